using DicomArchive.Dicom;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// Which transfer syntax a stored instance is sent in on a C-STORE sub-operation (PS3.7 9.3.1, PS3.8 7.1.1.13): its
/// stored syntax when the peer accepted it for the SOP class, otherwise an uncompressed syntax the peer accepted (the
/// instance is then converted while it is sent), as long as the stored syntax is one we can convert from.
/// </summary>
internal static class RetrieveSyntax
{
    /// <summary>The syntax to send in, or null when the peer accepted nothing we can send the instance in.</summary>
    /// <param name="storedSyntaxUid">The transfer syntax of the stored file.</param>
    /// <param name="accepted">The transfer syntaxes the peer accepted for the instance's SOP class.</param>
    public static TransferSyntax? Choose(string storedSyntaxUid, IReadOnlyCollection<string> accepted)
    {
        if (accepted.Contains(storedSyntaxUid))
        {
            return TransferSyntax.Lookup(storedSyntaxUid);
        }

        var stored = TransferSyntax.Lookup(storedSyntaxUid);
        if (stored.IsEncapsulated || stored.IsPixelDataReferenced)
        {
            // Changing a compressed encoding needs a codec, which the archive does not have.
            return null;
        }

        if (accepted.Contains(TransferSyntax.ExplicitVRLittleEndian.Uid))
        {
            return TransferSyntax.ExplicitVRLittleEndian;
        }

        if (accepted.Contains(TransferSyntax.ImplicitVRLittleEndian.Uid))
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        foreach (var uid in accepted)
        {
            var candidate = TransferSyntax.Lookup(uid);
            if (!candidate.IsEncapsulated && !candidate.IsPixelDataReferenced)
            {
                return candidate;
            }
        }

        return null;
    }
}
