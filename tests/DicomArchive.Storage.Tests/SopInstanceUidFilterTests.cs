using DicomArchive.Storage.Index;

namespace DicomArchive.Storage.Tests;

public sealed class SopInstanceUidFilterTests
{
    [Test]
    public void MayContain_EveryAddedUid_True()
    {
        var filter = new SopInstanceUidFilter(10_000);
        var uids = Uids("1.2.826.0.1.3680043.2.1125.", 10_000);

        foreach (var uid in uids)
        {
            filter.Add(uid);
        }

        uids.Should().OnlyContain(uid => filter.MayContain(uid), "a Bloom filter has no false negatives");
    }

    [Test]
    public void MayContain_UidsNeverAdded_FalseForNearlyAllAtCapacity()
    {
        // UIDs of one series differ only in their last digits: the hash must still spread them.
        var filter = new SopInstanceUidFilter(100_000);
        foreach (var uid in Uids("1.2.840.113619.2.55.3.604688119.969.1268071029.320.", 100_000))
        {
            filter.Add(uid);
        }

        var falsePositives = Uids("1.2.840.113619.2.55.3.604688119.969.1268071029.321.", 100_000).Count(filter.MayContain);

        falsePositives.Should().BeLessThan(2_000, "about 1% at capacity (10 bits and 7 probes per UID)");
        filter.SizeInBytes.Should().BeLessThanOrEqualTo(256 * 1024);
    }

    [Test]
    public void Add_FromManyThreadsAtOnce_NoneLost()
    {
        var filter = new SopInstanceUidFilter(50_000);
        var uids = Uids("2.25.", 50_000);

        Parallel.ForEach(uids, filter.Add);

        uids.Should().OnlyContain(uid => filter.MayContain(uid));
    }

    [Test]
    public void MayContain_EmptyFilter_False()
    {
        var filter = new SopInstanceUidFilter(1);

        filter.MayContain("1.2.3").Should().BeFalse();
        filter.SizeInBytes.Should().Be(8);
    }

    private static List<string> Uids(string prefix, int count)
    {
        var uids = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            uids.Add(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return uids;
    }
}
