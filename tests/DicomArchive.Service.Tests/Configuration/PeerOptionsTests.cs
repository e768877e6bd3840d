using DicomArchive.Service.Configuration;

namespace DicomArchive.Service.Tests.Configuration;

public sealed class PeerOptionsTests
{
    [TestCase(0)]
    [TestCase(3)]
    public void Validate_AssociationsPerMoveOutsideOneToMaxAssociations_KeyNamed(int perMove)
    {
        var options = new ArchiveOptions
        {
            Peers = [new PeerOptions { AeTitle = "VIEWER", Host = "h", MaxAssociations = 2, AssociationsPerMove = perMove }],
        };

        var result = new ArchiveOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should()
            .Be($"Archive:Peers:0:AssociationsPerMove: {perMove} is not between 1 and Archive:Peers:0:MaxAssociations (2)");
    }

    [TestCase(1)]
    [TestCase(4)]
    public void Validate_AssociationsPerMoveWithinMaxAssociations_Succeeds(int perMove)
    {
        var options = new ArchiveOptions
        {
            Peers = [new PeerOptions { AeTitle = "VIEWER", Host = "h", MaxAssociations = 4, AssociationsPerMove = perMove }],
        };

        new ArchiveOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.Peers[0].EffectiveAssociationsPerMove.Should().Be(perMove);
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 3)]
    [TestCase(10, 3)]
    public void EffectiveAssociationsPerMove_Absent_ThreeOrMaxAssociationsWhenLess(int maxAssociations, int expected)
    {
        var options = new ArchiveOptions { Peers = [new PeerOptions { AeTitle = "VIEWER", Host = "h", MaxAssociations = maxAssociations }] };

        new ArchiveOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.Peers[0].EffectiveAssociationsPerMove.Should().Be(expected);
    }
}
