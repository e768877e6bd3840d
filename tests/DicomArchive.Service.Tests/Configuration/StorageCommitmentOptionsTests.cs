using DicomArchive.Service.Configuration;

namespace DicomArchive.Service.Tests.Configuration;

public sealed class StorageCommitmentOptionsTests
{
    [Test]
    public void Validate_RetryValuesOutOfRange_EachKeyNamed()
    {
        var options = new ArchiveOptions { StorageCommitment = { RetrySeconds = 0, RetryIntervalSeconds = 100_000 } };

        var result = new ArchiveOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().Contain(f => f.StartsWith("Archive:StorageCommitment:RetrySeconds: 0 ", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Archive:StorageCommitment:RetryIntervalSeconds: 100000 ", StringComparison.Ordinal));
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        var options = new ArchiveOptions();

        new ArchiveOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.StorageCommitment.Enabled.Should().BeTrue();
    }
}
