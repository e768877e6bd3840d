using DicomArchive.Storage;

namespace DicomArchive.Service.Hosting;

/// <summary>The instance store, opened by <see cref="ArchiveService"/> at start and shared by the DIMSE handlers.</summary>
internal sealed class ArchiveStoreHolder
{
    private InstanceStore? store;

    /// <exception cref="InvalidOperationException">The service has not opened the store (yet).</exception>
    public InstanceStore Store => store ?? throw new InvalidOperationException("The instance store is not open");

    public bool IsOpen => store is not null;

    internal void Set(InstanceStore? value) => store = value;
}
