using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Association;

/// <summary>
/// The acceptor's negotiation rules: which callers and which presentation contexts are accepted, and with which
/// transfer syntax (PS3.8 7.1.1, 9.3.3 and 9.3.4). Immutable once the server starts.
/// </summary>
public sealed class AssociationNegotiationPolicy
{
    /// <summary>Our AE title, compared with the Called AE Title of each request.</summary>
    public string AeTitle { get; init; } = "DICOMARCHIVE";

    /// <summary>Whether a request naming another called AE title is rejected (reason 7, PS3.8 9.3.4).</summary>
    public bool CheckCalledAeTitle { get; init; } = true;

    /// <summary>When set, only these calling AE titles are accepted (reason 3, PS3.8 9.3.4); null accepts any caller.</summary>
    public IReadOnlySet<string>? AllowedCallingAeTitles { get; init; }

    /// <summary>Our maximum P-DATA-TF length (PS3.8 D.1), sent in the A-ASSOCIATE-AC.</summary>
    public uint MaxPduLength { get; init; } = 65536;

    /// <summary>Abstract syntaxes we accept, each with the transfer syntaxes we support for it (in our order of preference).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AbstractSyntaxes { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>When set, every storage SOP class of PS3.4 Annex B is accepted with these transfer syntaxes.</summary>
    public IReadOnlyList<string>? StorageTransferSyntaxes { get; init; }

    /// <summary>When true (with <see cref="StorageTransferSyntaxes"/>), any transfer syntax registered in PS3.6 is accepted for storage.</summary>
    public bool AcceptAnyRegisteredStorageTransferSyntax { get; init; }

    public TransferSyntaxPreference TransferSyntaxPreference { get; init; } = TransferSyntaxPreference.Proposer;

    /// <summary>The uncompressed syntaxes for services whose data sets are small (verification, query/retrieve).</summary>
    public static IReadOnlyList<string> DefaultTransferSyntaxes { get; } =
        [DicomNetworkUids.ExplicitVRLittleEndian, DicomNetworkUids.ImplicitVRLittleEndian, "1.2.840.10008.1.2.2"];

    /// <summary>
    /// Decides on an A-ASSOCIATE-RQ: either an A-ASSOCIATE-RJ with the right result/source/reason, or an
    /// A-ASSOCIATE-AC answering every proposed presentation context.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="overAssociationLimit">Whether accepting would exceed the maximum number of associations.</param>
    public Pdu Negotiate(AAssociateRq request, bool overAssociationLimit) => Negotiate(request, overAssociationLimit, null);

    /// <summary>
    /// As <see cref="Negotiate(AAssociateRq, bool)"/>, for a caller with <paramref name="permissions"/>: a refused caller
    /// gets reason 3 (calling AE title not recognized), and the contexts of services it may not use are answered
    /// "abstract syntax not supported" (PS3.8 9.3.3.2).
    /// </summary>
    public Pdu Negotiate(AAssociateRq request, bool overAssociationLimit, AssociationPermissions? permissions)
    {
        ArgumentNullException.ThrowIfNull(request);

        // PS3.8 9.3.2: bit 0 of the protocol version is version 1, the only one defined.
        if ((request.ProtocolVersion & 0x0001) == 0)
        {
            return new AAssociateRj(AssociateRejectResult.RejectedPermanent, AssociateRejectSource.ServiceProviderAcse,
                AssociateRejectReason.ProtocolVersionNotSupported);
        }

        if (!string.Equals(request.ApplicationContextName, AAssociatePdu.DicomApplicationContextName, StringComparison.Ordinal))
        {
            return new AAssociateRj(AssociateRejectResult.RejectedPermanent, AssociateRejectSource.ServiceUser,
                AssociateRejectReason.ApplicationContextNameNotSupported);
        }

        if (CheckCalledAeTitle && !string.Equals(request.CalledAeTitle, AeTitle, StringComparison.Ordinal))
        {
            return new AAssociateRj(AssociateRejectResult.RejectedPermanent, AssociateRejectSource.ServiceUser,
                AssociateRejectReason.CalledAeTitleNotRecognized);
        }

        if ((AllowedCallingAeTitles is not null && !AllowedCallingAeTitles.Contains(request.CallingAeTitle))
            || permissions is { Allowed: false })
        {
            return new AAssociateRj(AssociateRejectResult.RejectedPermanent, AssociateRejectSource.ServiceUser,
                AssociateRejectReason.CallingAeTitleNotRecognized);
        }

        // PS3.8 9.3.4 source 3 reason 2: temporary, the caller may retry later.
        if (overAssociationLimit)
        {
            return new AAssociateRj(AssociateRejectResult.RejectedTransient, AssociateRejectSource.ServiceProviderPresentation,
                AssociateRejectReason.LocalLimitExceeded);
        }

        var accept = new AAssociateAc
        {
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
        };
        accept.UserInformation.MaximumLength = MaxPduLength;
        accept.UserInformation.ImplementationClassUid = DicomImplementation.ClassUid;
        accept.UserInformation.ImplementationVersionName = DicomImplementation.VersionName;
        foreach (PresentationContextRequest pc in request.PresentationContexts)
        {
            accept.PresentationContexts.Add(permissions is null || Permitted(pc.AbstractSyntax, permissions, request.UserInformation.RoleSelections)
                ? Answer(pc)
                : new PresentationContextResponse(pc.Id, PresentationContextResult.AbstractSyntaxNotSupported, null));
        }

        // PS3.7 D.3.3.4: answer each role selection; we take whatever roles the requestor proposes.
        foreach (ScpScuRoleSelection role in request.UserInformation.RoleSelections)
        {
            accept.UserInformation.RoleSelections.Add(role);
        }

        return accept;
    }

    /// <summary>
    /// Whether the service an abstract syntax belongs to is permitted. A storage context serves C-STORE to us (Store),
    /// or, when the requestor proposes the SCP role for it (PS3.7 D.3.3.4), the sub-operations of a C-GET (Get).
    /// Abstract syntaxes of no classified service follow <see cref="DicomServices.All"/>.
    /// </summary>
    static bool Permitted(string abstractSyntax, AssociationPermissions permissions, IList<ScpScuRoleSelection> roles)
    {
        if (permissions.Services == DicomServices.All)
        {
            return true;
        }

        DicomServices service = ServiceOf(abstractSyntax);
        if (service == DicomServices.Store && !permissions.Permits(DicomServices.Store) && permissions.Permits(DicomServices.Get))
        {
            foreach (ScpScuRoleSelection role in roles)
            {
                if (role.ScpRole && string.Equals(role.SopClassUid, abstractSyntax, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        return service == DicomServices.None ? permissions.Services == DicomServices.All : permissions.Permits(service);
    }

    /// <summary>The service an abstract syntax is negotiated for (PS3.4 Annex A, B and C; PS3.6 Table A-1).</summary>
    public static DicomServices ServiceOf(string abstractSyntax)
    {
        ArgumentNullException.ThrowIfNull(abstractSyntax);
        return abstractSyntax switch
        {
            DicomNetworkUids.Verification => DicomServices.Echo,
            "1.2.840.10008.5.1.4.1.2.1.1" or "1.2.840.10008.5.1.4.1.2.2.1" or "1.2.840.10008.5.1.4.1.2.3.1" => DicomServices.Find,
            "1.2.840.10008.5.1.4.1.2.1.2" or "1.2.840.10008.5.1.4.1.2.2.2" or "1.2.840.10008.5.1.4.1.2.3.2" => DicomServices.Move,
            "1.2.840.10008.5.1.4.1.2.1.3" or "1.2.840.10008.5.1.4.1.2.2.3" or "1.2.840.10008.5.1.4.1.2.3.3" => DicomServices.Get,
            _ when IsStorageSopClass(abstractSyntax) => DicomServices.Store,
            _ => DicomServices.None,
        };
    }

    PresentationContextResponse Answer(PresentationContextRequest pc)
    {
        IReadOnlyList<string>? supported = SupportedTransferSyntaxes(pc.AbstractSyntax, out bool anyRegistered);
        if (supported is null)
        {
            return new PresentationContextResponse(pc.Id, PresentationContextResult.AbstractSyntaxNotSupported, null);
        }

        string? chosen = null;
        if (TransferSyntaxPreference == TransferSyntaxPreference.Acceptor)
        {
            foreach (string ts in supported)
            {
                if (pc.TransferSyntaxes.Contains(ts))
                {
                    chosen = ts;
                    break;
                }
            }
        }

        if (chosen is null)
        {
            foreach (string ts in pc.TransferSyntaxes)
            {
                if (supported.Contains(ts) || (anyRegistered && IsRegisteredTransferSyntax(ts)))
                {
                    chosen = ts;
                    break;
                }
            }
        }

        return chosen is null
            ? new PresentationContextResponse(pc.Id, PresentationContextResult.TransferSyntaxesNotSupported, null)
            : new PresentationContextResponse(pc.Id, PresentationContextResult.Acceptance, chosen);
    }

    IReadOnlyList<string>? SupportedTransferSyntaxes(string abstractSyntax, out bool anyRegistered)
    {
        anyRegistered = false;
        if (AbstractSyntaxes.TryGetValue(abstractSyntax, out IReadOnlyList<string>? list))
        {
            return list;
        }

        if (StorageTransferSyntaxes is not null && IsStorageSopClass(abstractSyntax))
        {
            anyRegistered = AcceptAnyRegisteredStorageTransferSyntax;
            return StorageTransferSyntaxes;
        }

        return null;
    }

    /// <summary>PS3.4 B.5: storage SOP classes are registered under 1.2.840.10008.5.1.4.1.1 (plus the registry's own list).</summary>
    static bool IsStorageSopClass(string uid) =>
        uid.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal)
        || (DicomUid.TryLookup(uid, out DicomUid? entry) && entry.IsStorageSopClass);

    static bool IsRegisteredTransferSyntax(string uid) =>
        StandardTransferSyntaxes.Contains(uid)
        || (DicomUid.TryLookup(uid, out DicomUid? entry) && entry.Type == DicomUidType.TransferSyntax);

    /// <summary>Transfer syntaxes defined by PS3.5 Annex A / PS3.6 Table A-1 (non-retired and commonly still sent).</summary>
    public static IReadOnlySet<string> StandardTransferSyntaxes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.98", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
        "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95",
        "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103",
        "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107",
        "1.2.840.10008.1.2.4.108", "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112",
        "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.5",
    };
}
