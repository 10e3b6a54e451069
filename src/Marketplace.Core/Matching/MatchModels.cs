namespace Marketplace.Core.Matching;

/// <summary>What people decide about a suggested vendor; the re-ranker learns from these.</summary>
public static class MatchSignalKind
{
    public const string Invited = "invited";
    public const string Dismissed = "dismissed";
    public const string Shortlisted = "shortlisted";
    public const string Awarded = "awarded";

    public static IReadOnlyList<string> All { get; } = [Invited, Dismissed, Shortlisted, Awarded];

    /// <summary>The kinds a person gives on the suggestions panel (awards are recorded by the award decision).</summary>
    public static IReadOnlyList<string> GivenOnSuggestions { get; } = [Invited, Shortlisted, Dismissed];
}

/// <summary>A term and its share of a pair's score, for the decision report's bars.</summary>
public sealed record TermShare(string Term, double Share);

/// <summary>The stored reasons for one suggestion.</summary>
public sealed record SuggestionReasons(IReadOnlyList<TermShare> Terms, IReadOnlyList<string> MatchedTags, string? BestCaseTitle, double? BestCaseScore);

/// <summary>A vendor suggested for a challenge, as the challenge page shows it.</summary>
public sealed record VendorSuggestion
{
    public long VendorId { get; init; }
    public string VendorSlug { get; init; } = "";
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, where it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public string? VendorCity { get; init; }
    public int Rank { get; init; }
    public double Score { get; init; }
    public SuggestionReasons Reasons { get; init; } = new([], [], null, null);

    /// <summary>The latest decision someone made about this suggestion, if any.</summary>
    public string? LatestSignal { get; init; }
}

/// <summary>A challenge recommended to a vendor.</summary>
public sealed record ChallengeRecommendation
{
    public long ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string EnterpriseName { get; init; } = "";
    /// <summary>The enterprise's English name, where it gave one (English pages show it).</summary>
    public string? EnterpriseNameEn { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }
    public decimal? BudgetAmount { get; init; }
    public string BudgetCurrency { get; init; } = "CNY";
    public string Visibility { get; init; } = "public";
    public double Score { get; init; }

    /// <summary>The score as a level: high, medium or low (below the cut-off a challenge is not recommended).</summary>
    public string Level { get; init; } = "";
    public SuggestionReasons Reasons { get; init; } = new([], [], null, null);

    /// <summary>The vendor's own live proposal on this challenge, if it has bid already.</summary>
    public long? OwnProposalId { get; init; }

    /// <summary>The text the matcher read (the title and, of a public challenge, the scenario), to put its reasons in whole words.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string MatchText { get; init; } = "";
}

/// <summary>A run of the matcher: rebuild or refresh, with what it covered and which ranker it used.</summary>
public sealed record MatchRun
{
    public long Id { get; init; }
    public string Reason { get; init; } = "";
    public string Status { get; init; } = "";
    public int Challenges { get; init; }
    public int Vendors { get; init; }
    public int Progress { get; init; }
    public string Ranker { get; init; } = "text";
    public string? Message { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
