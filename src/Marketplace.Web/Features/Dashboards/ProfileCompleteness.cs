using Marketplace.Data.Dashboards;

namespace Marketplace.Web.Features.Dashboards;

/// <summary>One thing the matcher reads of a vendor, whether the profile has it, and what to add (an English resource key).</summary>
public sealed record ProfileCheck(string Name, bool Done, string Hint);

/// <summary>
/// How much of what the matcher reads a vendor's profile gives it (docs/matching.md): the profile summary is the
/// capability text, capability tags are the only bridge between a Chinese challenge and an English profile, portfolio
/// cases are separate evidence (the best one is named in every match), industries and the highest TRL delivered feed
/// the ranker's features.
/// </summary>
public static class ProfileCompleteness
{
    public const int MinimumSummaryLength = 80;
    public const int MinimumCapabilities = 3;

    public static IReadOnlyList<ProfileCheck> Assess(VendorProfileFacts profile) =>
    [
        new("Profile summary", (profile.Summary?.Trim().Length ?? 0) >= MinimumSummaryLength,
            "Describe what you build in a summary of a few sentences: the matcher reads it as your capabilities."),
        new("Capability tags", profile.Capabilities >= MinimumCapabilities,
            "Add at least three capability tags: tags are what connects a Chinese challenge to an English profile and back."),
        new("Portfolio cases", profile.Cases > 0,
            "Add a past project as a portfolio case: the closest case is shown to enterprises as evidence in every match."),
        new("Industries", profile.Industries > 0, "Name the industries you serve."),
        new("Highest TRL delivered", profile.MaxTrlDelivered is not null,
            "State the highest technology readiness level you have delivered: it is compared with each challenge's target."),
    ];

    /// <summary>The share of checks met, 0–100.</summary>
    public static int Percent(IReadOnlyList<ProfileCheck> checks) =>
        checks.Count == 0 ? 0 : (int)Math.Round(100.0 * checks.Count(c => c.Done) / checks.Count);
}
