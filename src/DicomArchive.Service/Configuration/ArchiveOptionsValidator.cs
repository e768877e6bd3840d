using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Configuration;

/// <summary>
/// Checks every key of <see cref="ArchiveOptions"/> and reports all problems at once, each as one line that
/// names the key and what is wrong, so an operator fixes the file in one go.
/// </summary>
public sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingFailures);
        var section = ArchiveOptions.SectionName;

        if (AeTitleProblem(options.AeTitle) is { } aeProblem)
        {
            failures.Add($"{section}:AeTitle: '{options.AeTitle}' {aeProblem}");
        }

        CheckPort(failures, $"{section}:Port", options.Port);

        if (options.BindAddress != "*" && !System.Net.IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"{section}:BindAddress: '{options.BindAddress}' is not an IP address or '*'");
        }

        if (options.MaxAssociations is < 1 or > 10000)
        {
            failures.Add($"{section}:MaxAssociations: {options.MaxAssociations} is not between 1 and 10000");
        }

        // PS3.8 D.1: the maximum length is a 32-bit number; below a few KB no real peer can work with us.
        if (options.MaxPduLength is < 4096 or > 16 * 1024 * 1024)
        {
            failures.Add($"{section}:MaxPduLength: {options.MaxPduLength} is not between 4096 and 16777216 bytes");
        }

        for (var i = 0; i < options.AcceptedTransferSyntaxes.Count; i++)
        {
            var uid = options.AcceptedTransferSyntaxes[i];
            if (!Dicom.DicomUid.TryLookup(uid ?? string.Empty, out var entry) || entry.Type != Dicom.DicomUidType.TransferSyntax)
            {
                failures.Add($"{section}:AcceptedTransferSyntaxes:{i}: '{uid}' is not a transfer syntax UID of PS3.6 Table A-1");
            }
        }

        if (options.MaxQueryResults < 0)
        {
            failures.Add($"{section}:MaxQueryResults: {options.MaxQueryResults} must be 0 (no limit) or more");
        }

        CheckSeconds(failures, $"{section}:AssociationTimeoutSeconds", options.AssociationTimeoutSeconds);
        CheckSeconds(failures, $"{section}:IdleTimeoutSeconds", options.IdleTimeoutSeconds);
        CheckSeconds(failures, $"{section}:DimseTimeoutSeconds", options.DimseTimeoutSeconds);

        // The storage layer knows its own rules (character set terms, enums); report them under our keys.
        foreach (var problem in Hosting.ArchiveConfiguration.ToStorageOptions(options).Validate())
        {
            failures.Add($"{section}:{problem}");
        }

        failures.AddRange(options.Tls.Validate($"{section}:Tls"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var peer = options.Peers[i];
            var key = $"{section}:Peers:{i}";
            if (AeTitleProblem(peer.AeTitle) is { } problem)
            {
                failures.Add($"{key}:AeTitle: '{peer.AeTitle}' {problem}");
            }
            else if (!seen.Add(peer.AeTitle.Trim()))
            {
                failures.Add($"{key}:AeTitle: '{peer.AeTitle}' is listed twice");
            }

            if (string.IsNullOrWhiteSpace(peer.Host))
            {
                failures.Add($"{key}:Host: must name a host or IP address");
            }

            CheckPort(failures, $"{key}:Port", peer.Port);
            if (peer.MaxAssociations is < 1 or > 1000)
            {
                failures.Add($"{key}:MaxAssociations: {peer.MaxAssociations} is not between 1 and 1000");
            }

            if (peer.AssociationsPerMove is { } perMove && (perMove < 1 || perMove > peer.MaxAssociations))
            {
                failures.Add($"{key}:AssociationsPerMove: {perMove} is not between 1 and {key}:MaxAssociations ({peer.MaxAssociations})");
            }
        }

        CheckSeconds(failures, $"{section}:StorageCommitment:RetrySeconds", options.StorageCommitment.RetrySeconds);
        CheckSeconds(failures, $"{section}:StorageCommitment:RetryIntervalSeconds", options.StorageCommitment.RetryIntervalSeconds);

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    /// <summary>PS3.5 6.2 AE: 16 bytes at most, default repertoire without backslash or control characters, not all spaces.</summary>
    internal static string? AeTitleProblem(string? aeTitle)
    {
        if (string.IsNullOrWhiteSpace(aeTitle))
        {
            return "must not be empty";
        }

        if (aeTitle.Length > 16)
        {
            return "is longer than 16 characters";
        }

        foreach (var c in aeTitle)
        {
            if (c < 0x20 || c > 0x7E || c == '\\')
            {
                return "may only hold printable ASCII characters other than backslash";
            }
        }

        return null;
    }

    private static void CheckPort(List<string> failures, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{key}: {port} is not a TCP port (1-65535)");
        }
    }

    private static void CheckSeconds(List<string> failures, string key, int seconds)
    {
        if (seconds is < 1 or > 86400)
        {
            failures.Add($"{key}: {seconds} is not between 1 and 86400 seconds");
        }
    }
}
