namespace Marketplace.Core.Delivery;

/// <summary>A row of a project list ("My projects", an enterprise's or the officers' overview).</summary>
public sealed record ProjectSummary : Features.Delivery.IProjectParties
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long ProposalId { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public long EnterpriseId { get; init; }
    public string EnterpriseName { get; init; } = "";
    public string? EnterpriseNameEn { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int MilestoneCount { get; init; }
    public int AcceptedCount { get; init; }
    public int OverdueCount { get; init; }
    public string? NextDueName { get; init; }
    public DateOnly? NextDueOn { get; init; }
}

public sealed record EvidenceView
{
    public long Id { get; init; }
    public string Body { get; init; } = "";
    public IReadOnlyList<string> Links { get; init; } = [];
    public string SubmittedByName { get; init; } = "";
    public DateTimeOffset SubmittedAt { get; init; }
}

public sealed record DecisionView
{
    public long Id { get; init; }
    public long EvidenceId { get; init; }
    public string Outcome { get; init; } = "";
    public string? Note { get; init; }
    public IReadOnlyList<int> TargetsMet { get; init; } = [];
    public string DecidedByName { get; init; } = "";
    public DateTimeOffset DecidedAt { get; init; }
}

/// <summary>The recorded release of a milestone's payment share ("recorded, not paid").</summary>
public sealed record PaymentRelease
{
    public decimal Share { get; init; }
    public decimal? Amount { get; init; }
    public string Currency { get; init; } = "";
    public string ReleasedByName { get; init; } = "";
    public DateTimeOffset ReleasedAt { get; init; }
}

public sealed record MilestoneView
{
    public long Id { get; init; }
    public int Position { get; init; }
    public string Name { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public string Deliverable { get; init; } = "";
    public decimal PaymentShare { get; init; }
    public decimal? PaymentAmount { get; init; }
    public string Status { get; init; } = "";
    public bool IsOverdue { get; init; }
    public IReadOnlyList<EvidenceView> Evidence { get; init; } = [];
    public IReadOnlyList<DecisionView> Decisions { get; init; } = [];
    public PaymentRelease? Payment { get; init; }
}

public sealed record AdjustmentItemView
{
    public long MilestoneId { get; init; }
    public int Position { get; init; }
    public string MilestoneName { get; init; } = "";
    public DateOnly OldDueOn { get; init; }
    public DateOnly? NewDueOn { get; init; }
    public string OldDeliverable { get; init; } = "";
    public string? NewDeliverable { get; init; }
}

public sealed record AdjustmentView
{
    public long Id { get; init; }
    public string Status { get; init; } = "";
    public string Reason { get; init; } = "";
    public string RequestedSide { get; init; } = "";
    public string RequestedByName { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedByName { get; init; }
    public string? DecisionNote { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public IReadOnlyList<AdjustmentItemView> Items { get; init; } = [];
}

public sealed record FailureFilingView
{
    public string Category { get; init; } = "";
    public string Cause { get; init; } = "";
    public string Lessons { get; init; } = "";
    public string FiledByName { get; init; } = "";
    public DateTimeOffset FiledAt { get; init; }
}

public sealed record PortfolioConsentView
{
    public string Decision { get; init; } = "";
    public bool ClientNamed { get; init; }
    public long? PortfolioCaseId { get; init; }
    public string DecidedByName { get; init; } = "";
    public DateTimeOffset DecidedAt { get; init; }
}

public sealed record TargetView
{
    public int Position { get; init; }
    public string Metric { get; init; } = "";
    public string Threshold { get; init; } = "";
    public string TestMethod { get; init; } = "";
}

/// <summary>A delivery project as one of its parties (or an officer) reads it.</summary>
public sealed record ProjectView
{
    public ProjectSummary Summary { get; init; } = new();
    public decimal? PriceAmount { get; init; }
    public string Currency { get; init; } = "CNY";
    public IReadOnlyList<TargetView> AcceptanceTargets { get; init; } = [];
    public IReadOnlyList<MilestoneView> Milestones { get; init; } = [];
    public IReadOnlyList<AdjustmentView> Adjustments { get; init; } = [];
    public FailureFilingView? Failure { get; init; }
    public PortfolioConsentView? Consent { get; init; }
    public PaymentSummary Payments { get; init; } = new(0, 0, null, null);

    public AdjustmentView? OpenAdjustment => Adjustments.FirstOrDefault(a => a.Status == AdjustmentStatus.Open);
}
