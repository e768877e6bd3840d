namespace DicomArchive.Service.Tests.Installer;

/// <summary>Removes the shared published build once every fixture of this namespace has run.</summary>
[SetUpFixture]
public sealed class PublishedBuildCleanup
{
    [OneTimeTearDown]
    public void DeletePublishedBuild() => PublishedBuild.Delete();
}
