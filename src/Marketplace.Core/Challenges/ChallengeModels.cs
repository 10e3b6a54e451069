namespace Marketplace.Core.Challenges;

/// <summary>A measurable target a solution must meet: metric, threshold and how it is tested.</summary>
public sealed record AcceptanceTarget(string Metric, string Threshold, string TestMethod);

/// <summary>Money as a decimal amount with an ISO 4217 currency code (CNY by default).</summary>
public sealed record Money(decimal Amount, string Currency = "CNY");

/// <summary>A challenge as it appears in a list.</summary>
public sealed record ChallengeSummary
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Language { get; init; } = "zh";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "public";
    public int TargetTrl { get; init; }
    public decimal? BudgetAmount { get; init; }
    public string BudgetCurrency { get; init; } = "CNY";
    public DateTimeOffset DeadlineAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public long EnterpriseId { get; init; }
    public string EnterpriseName { get; init; } = "";
    /// <summary>The enterprise's English name, where it gave one (English pages show it).</summary>
    public string? EnterpriseNameEn { get; init; }
    public string? EnterpriseSlug { get; init; }

    /// <summary>The opening of the scenario; empty for a confidential challenge.</summary>
    public string Teaser { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool IsConfidential => Visibility == "confidential";
}

/// <summary>Everything a challenge says. For a confidential challenge, only the owner and officers see the body.</summary>
public sealed record ChallengeDetail
{
    public long Id { get; init; }
    public string? Slug { get; init; }
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Language { get; init; } = "zh";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "public";
    public string Scenario { get; init; } = "";
    public string? CurrentProcess { get; init; }
    public string? DataAvailable { get; init; }
    public string? Constraints { get; init; }
    public string? ExpectedOutcome { get; init; }
    public int TargetTrl { get; init; }
    public decimal? BudgetAmount { get; init; }
    public string BudgetCurrency { get; init; } = "CNY";
    public DateTimeOffset DeadlineAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int RowVersion { get; init; }
    public long EnterpriseId { get; init; }
    public string EnterpriseName { get; init; } = "";
    /// <summary>The enterprise's English name, where it gave one (English pages show it).</summary>
    public string? EnterpriseNameEn { get; init; }
    public string? EnterpriseSlug { get; init; }
    public string? EnterpriseCity { get; init; }
    public IReadOnlyList<AcceptanceTarget> AcceptanceTargets { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Links to documents, drawings or sample data the enterprise shares (http/https only).</summary>
    public IReadOnlyList<string> AttachmentLinks { get; init; } = [];

    /// <summary>The officer's reason when the challenge was returned for changes or rejected; for its enterprise and officers.</summary>
    public string? StatusReason { get; init; }

    public bool IsConfidential => Visibility == "confidential";

    /// <summary>The same challenge with its body withheld, for viewers who may not read a confidential one.</summary>
    public ChallengeDetail Redacted() => this with
    {
        Scenario = "",
        CurrentProcess = null,
        DataAvailable = null,
        Constraints = null,
        ExpectedOutcome = null,
        AcceptanceTargets = [],
        AttachmentLinks = [],
    };
}

/// <summary>Filters for the public challenge list. Every field is optional.</summary>
public sealed record ChallengeSearch
{
    public string? Text { get; init; }
    public string? Industry { get; init; }
    public string? Language { get; init; }
    public string? Tag { get; init; }
    public bool OpenOnly { get; init; }

    /// <summary>Budget bounds, compared only with challenges budgeted in <see cref="BudgetCurrency"/> (no conversion is guessed).</summary>
    public decimal? BudgetMin { get; init; }
    public decimal? BudgetMax { get; init; }
    public string BudgetCurrency { get; init; } = "CNY";

    /// <summary>Only challenges whose deadline falls before this instant.</summary>
    public DateTimeOffset? DeadlineBefore { get; init; }
}

/// <summary>What is needed to create a challenge (the seeder today; the lifecycle's drafting handler later).</summary>
public sealed record NewChallenge
{
    public string? Slug { get; init; }
    public long EnterpriseId { get; init; }
    public long? CreatedBy { get; init; }
    public string Language { get; init; } = "zh";
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Scenario { get; init; } = "";
    public string? CurrentProcess { get; init; }
    public string? DataAvailable { get; init; }
    public string? Constraints { get; init; }
    public string? ExpectedOutcome { get; init; }
    public int TargetTrl { get; init; }
    public Money? Budget { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }
    public string Status { get; init; } = ChallengeStatus.Draft;
    public string Visibility { get; init; } = "public";
    public DateTimeOffset? PublishedAt { get; init; }
    public IReadOnlyList<AcceptanceTarget> AcceptanceTargets { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
}
