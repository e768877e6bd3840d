namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>Values of Command Field (0000,0100) (PS3.7 E.1, Table E.1-1 and 9.3/10.3 message definitions).</summary>
public enum DimseCommandField : ushort
{
    CStoreRq = 0x0001,
    CStoreRsp = 0x8001,
    CGetRq = 0x0010,
    CGetRsp = 0x8010,
    CFindRq = 0x0020,
    CFindRsp = 0x8020,
    CMoveRq = 0x0021,
    CMoveRsp = 0x8021,
    CEchoRq = 0x0030,
    CEchoRsp = 0x8030,
    NEventReportRq = 0x0100,
    NEventReportRsp = 0x8100,
    NGetRq = 0x0110,
    NGetRsp = 0x8110,
    NSetRq = 0x0120,
    NSetRsp = 0x8120,
    NActionRq = 0x0130,
    NActionRsp = 0x8130,
    NCreateRq = 0x0140,
    NCreateRsp = 0x8140,
    NDeleteRq = 0x0150,
    NDeleteRsp = 0x8150,
    CCancelRq = 0x0FFF,
}

/// <summary>Helpers over <see cref="DimseCommandField"/>.</summary>
public static class DimseCommandFieldExtensions
{
    /// <summary>Whether the command is a response (PS3.7 E.1: response command fields have bit 15 set).</summary>
    public static bool IsResponse(this DimseCommandField field) => ((ushort)field & 0x8000) != 0;

    /// <summary>The response command field that answers a request.</summary>
    public static DimseCommandField ToResponse(this DimseCommandField field) => (DimseCommandField)((ushort)field | 0x8000);
}
