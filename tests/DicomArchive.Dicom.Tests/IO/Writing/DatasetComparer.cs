namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Element-by-element comparison of data sets as a conversion preserves them.</summary>
internal static class DatasetComparer
{
    /// <summary>
    /// Same tags in the same order (group lengths aside), same values (an odd value may come back padded), same
    /// items and fragments. VRs must agree unless one side is UN (a VR lost through implicit VR, or resolved from
    /// the dictionary) or the dictionary allows both ("OB or OW").
    /// </summary>
    public static void AssertEquivalent(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var e = expected.Where(x => !x.Tag.IsGroupLength).ToList();
        var a = actual.Where(x => !x.Tag.IsGroupLength).ToList();
        a.Select(x => x.Tag).Should().Equal(e.Select(x => x.Tag), $"the tags of {(path.Length == 0 ? "the data set" : path)}");
        for (var i = 0; i < e.Count; i++)
        {
            var where = $"{path}{e[i].Tag}";
            switch (e[i])
            {
                case DicomValueElement ev:
                    a[i].Should().BeOfType<DicomValueElement>(where);
                    var av = (DicomValueElement)a[i];
                    VRsAgree(ev.Tag, ev.VR, av.VR).Should().BeTrue($"{where} was {DicomVRInfo.Name(ev.VR)}, came back {DicomVRInfo.Name(av.VR)}");
                    var expectedBytes = ev.Bytes.ToArray();
                    var actualBytes = av.Bytes.ToArray();
                    if (expectedBytes.Length % 2 == 1 && actualBytes.Length == expectedBytes.Length + 1)
                    {
                        actualBytes = actualBytes[..^1];
                    }

                    actualBytes.Should().Equal(expectedBytes, where);
                    break;
                case DicomSequence es:
                    a[i].Should().BeOfType<DicomSequence>(where);
                    var sa = (DicomSequence)a[i];
                    sa.Items.Should().HaveCount(es.Items.Count, where);
                    for (var j = 0; j < es.Items.Count; j++)
                    {
                        AssertEquivalent(es.Items[j], sa.Items[j], $"{where}[{j}].");
                    }

                    break;
                case DicomFragmentSequence ef:
                    a[i].Should().BeOfType<DicomFragmentSequence>(where);
                    var fa = (DicomFragmentSequence)a[i];
                    fa.OffsetTable.ToArray().Should().Equal(ef.OffsetTable.ToArray(), where);
                    fa.Fragments.Select(f => f.Bytes.ToArray()).Should().BeEquivalentTo(ef.Fragments.Select(f => f.Bytes.ToArray()), o => o.WithStrictOrdering(), where);
                    break;
            }
        }
    }

    private static bool VRsAgree(DicomTag tag, DicomVR expected, DicomVR actual)
    {
        if (expected == actual || expected == DicomVR.UN || actual == DicomVR.UN)
        {
            return true;
        }

        return DicomDictionary.TryGetEntry(tag, out var entry)
            && (entry.VR == expected || entry.AlternateVR == expected)
            && (entry.VR == actual || entry.AlternateVR == actual);
    }
}
