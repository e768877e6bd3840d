namespace DicomArchive.Dicom.Network.Association;

/// <summary>Actions of the DICOM upper layer state machine (PS3.8 9.2.2, Table 9-10; action names AE-n, DT-n, AR-n, AA-n).</summary>
public enum AssociationAction
{
    /// <summary>The event is not valid in the current state (an empty cell of Table 9-10).</summary>
    None = 0,

    /// <summary>Issue TRANSPORT CONNECT request primitive to local transport service.</summary>
    AE1,

    /// <summary>Send A-ASSOCIATE-RQ PDU.</summary>
    AE2,

    /// <summary>Issue A-ASSOCIATE confirmation (accept) primitive.</summary>
    AE3,

    /// <summary>Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection.</summary>
    AE4,

    /// <summary>Issue transport connection response primitive; start ARTIM timer.</summary>
    AE5,

    /// <summary>Stop ARTIM; if acceptable issue A-ASSOCIATE indication, else send A-ASSOCIATE-RJ and start ARTIM.</summary>
    AE6,

    /// <summary>Send A-ASSOCIATE-AC PDU.</summary>
    AE7,

    /// <summary>Send A-ASSOCIATE-RJ PDU and start ARTIM timer.</summary>
    AE8,

    /// <summary>Send P-DATA-TF PDU.</summary>
    DT1,

    /// <summary>Send P-DATA indication primitive.</summary>
    DT2,

    /// <summary>Send A-RELEASE-RQ PDU.</summary>
    AR1,

    /// <summary>Issue A-RELEASE indication primitive.</summary>
    AR2,

    /// <summary>Issue A-RELEASE confirmation primitive and close transport connection.</summary>
    AR3,

    /// <summary>Issue A-RELEASE-RP PDU and start ARTIM timer.</summary>
    AR4,

    /// <summary>Stop ARTIM timer.</summary>
    AR5,

    /// <summary>Issue P-DATA indication.</summary>
    AR6,

    /// <summary>Issue P-DATA-TF PDU.</summary>
    AR7,

    /// <summary>Issue A-RELEASE indication (release collision).</summary>
    AR8,

    /// <summary>Send A-RELEASE-RP PDU.</summary>
    AR9,

    /// <summary>Issue A-RELEASE confirmation primitive.</summary>
    AR10,

    /// <summary>Send A-ABORT PDU (service-user source) and start (or restart) ARTIM timer.</summary>
    AA1,

    /// <summary>Stop ARTIM timer if running; close transport connection.</summary>
    AA2,

    /// <summary>Issue A-ABORT (or A-P-ABORT) indication and close transport connection.</summary>
    AA3,

    /// <summary>Issue A-P-ABORT indication primitive.</summary>
    AA4,

    /// <summary>Stop ARTIM timer.</summary>
    AA5,

    /// <summary>Ignore PDU.</summary>
    AA6,

    /// <summary>Send A-ABORT PDU.</summary>
    AA7,

    /// <summary>Send A-ABORT PDU (service-provider source), issue A-P-ABORT indication, and start ARTIM timer.</summary>
    AA8,
}
