using Marketplace.Core.Proposals;

namespace Marketplace.Web.Features.Proposals;

/// <summary>How proposal states look on the pages. Names are English keys of ProposalText.</summary>
public static class ProposalDisplay
{
    public static string StatusName(string status) => status switch
    {
        ProposalStatus.Draft => "Draft",
        ProposalStatus.Submitted => "Submitted",
        ProposalStatus.Withdrawn => "Withdrawn",
        _ => status,
    };

    public static string StatusBadge(string status) => status switch
    {
        ProposalStatus.Draft => "text-bg-secondary",
        ProposalStatus.Submitted => "text-bg-success",
        _ => "text-bg-light border",
    };

    /// <summary>The fingerprint in groups of eight, easier to read aloud or compare.</summary>
    public static string Grouped(string fingerprint) =>
        string.Join(' ', Enumerable.Range(0, (fingerprint.Length + 7) / 8).Select(i => fingerprint.Substring(i * 8, Math.Min(8, fingerprint.Length - (i * 8)))));
}
