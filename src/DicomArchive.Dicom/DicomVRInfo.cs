namespace DicomArchive.Dicom;

/// <summary>Properties of a <see cref="DicomVR"/> that encoding and decoding depend on (PS3.5 6.2, 7.1.2).</summary>
public static class DicomVRInfo
{
    /// <summary>Every VR of PS3.5 Table 6.2-1, in alphabetical order.</summary>
    public static ReadOnlySpan<DicomVR> All =>
    [
        DicomVR.AE, DicomVR.AS, DicomVR.AT, DicomVR.CS, DicomVR.DA, DicomVR.DS, DicomVR.DT, DicomVR.FD, DicomVR.FL,
        DicomVR.IS, DicomVR.LO, DicomVR.LT, DicomVR.OB, DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.OW,
        DicomVR.PN, DicomVR.SH, DicomVR.SL, DicomVR.SQ, DicomVR.SS, DicomVR.ST, DicomVR.SV, DicomVR.TM, DicomVR.UC,
        DicomVR.UI, DicomVR.UL, DicomVR.UN, DicomVR.UR, DicomVR.US, DicomVR.UT, DicomVR.UV,
    ];

    /// <summary>Parses the two ASCII bytes of an explicit VR. Returns false for anything not in PS3.5 Table 6.2-1.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = (DicomVR)((first << 8) | second);
        if (IsKnown(vr))
        {
            return true;
        }

        vr = DicomVR.None;
        return false;
    }

    /// <summary>Parses a two-letter VR name such as "PN".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomVR vr)
    {
        vr = DicomVR.None;
        return text.Length == 2 && text[0] < 128 && text[1] < 128 && TryParse((byte)text[0], (byte)text[1], out vr);
    }

    /// <summary>True for the 34 VRs of PS3.5 Table 6.2-1.</summary>
    public static bool IsKnown(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.AT or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.FD
            or DicomVR.FL or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL
            or DicomVR.OV or DicomVR.OW or DicomVR.PN or DicomVR.SH or DicomVR.SL or DicomVR.SQ or DicomVR.SS or DicomVR.ST
            or DicomVR.SV or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UL or DicomVR.UN or DicomVR.UR or DicomVR.US
            or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>
    /// PS3.5 7.1.2, Table 7.1-1: these VRs have two reserved bytes and a 32-bit length in explicit VR;
    /// all others have a 16-bit length.
    /// </summary>
    public static bool HasLongExplicitLength(DicomVR vr) => vr switch
    {
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SQ or DicomVR.SV
            or DicomVR.UC or DicomVR.UN or DicomVR.UR or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>VRs whose value is character data (PS3.5 6.2).</summary>
    public static bool IsString(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.LO
            or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.TM or DicomVR.UC or DicomVR.UI
            or DicomVR.UR or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>
    /// VRs whose characters are affected by Specific Character Set (0008,0005) (PS3.5 6.1.2.3);
    /// all other string VRs use the default repertoire.
    /// </summary>
    public static bool UsesSpecificCharacterSet(DicomVR vr) => vr switch
    {
        DicomVR.SH or DicomVR.LO or DicomVR.ST or DicomVR.LT or DicomVR.PN or DicomVR.UC or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>
    /// String VRs that hold one value whatever backslashes they contain (PS3.5 6.4: LT, ST, UT, UR are single-valued).
    /// </summary>
    public static bool IsSingleValuedText(DicomVR vr) => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

    /// <summary>
    /// The byte that pads a value to even length (PS3.5 6.2): NUL for UI and the binary VRs, space for the other string VRs.
    /// </summary>
    public static byte PaddingByte(DicomVR vr) => IsString(vr) && vr != DicomVR.UI ? (byte)' ' : (byte)0;

    /// <summary>
    /// The size of the unit that changes byte order between little and big endian (PS3.5 7.3):
    /// 1 for byte and character data, else the size of the binary number.
    /// </summary>
    public static int ByteSwapUnit(DicomVR vr) => vr switch
    {
        DicomVR.AT or DicomVR.OW or DicomVR.SS or DicomVR.US => 2,
        DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.SL or DicomVR.UL => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.OV or DicomVR.SV or DicomVR.UV => 8,
        _ => 1,
    };

    /// <summary>For binary numeric VRs, the fixed size of one value; 0 for the others.</summary>
    public static int FixedValueSize(DicomVR vr) => vr switch
    {
        DicomVR.SS or DicomVR.US => 2,
        DicomVR.AT or DicomVR.FL or DicomVR.SL or DicomVR.UL => 4,
        DicomVR.FD or DicomVR.SV or DicomVR.UV => 8,
        _ => 0,
    };

    /// <summary>The two-letter name.</summary>
    public static string Name(DicomVR vr) => vr == DicomVR.None ? "--" : string.Create(2, vr, static (s, v) =>
    {
        s[0] = (char)((ushort)v >> 8);
        s[1] = (char)((ushort)v & 0xFF);
    });
}
