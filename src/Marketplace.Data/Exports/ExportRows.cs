namespace Marketplace.Data.Exports;

// The rows of the officers' exports. Property names are the column headers (CSV and Excel), in this order.

public sealed record ChallengeExportRow
{
    public long ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public string Enterprise { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Region { get; init; } = "";
    public string Language { get; init; } = "";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "";
    public int TargetTrl { get; init; }
    public decimal? Budget { get; init; }
    public string Currency { get; init; } = "";
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }

    /// <summary>Submitted proposals, once unsealed (from the deadline on); empty before.</summary>
    public long? Proposals { get; init; }
    public string? AwardOutcome { get; init; }
}

public sealed record ProposalExportRow
{
    public long ProposalId { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Vendor { get; init; } = "";
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset? FirstSubmittedAt { get; init; }
    public DateTimeOffset? LastSubmittedAt { get; init; }
    public int? CurrentTrl { get; init; }
    public int? DeliveryTrl { get; init; }

    /// <summary>The price envelope, only once the challenge's envelopes were opened (technical scoring closed).</summary>
    public decimal? Price { get; init; }
    public string? PriceCurrency { get; init; }
    public bool PriceOpened { get; init; }
}

public sealed record ScoreExportRow
{
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public long ProposalId { get; init; }
    public string Vendor { get; init; } = "";
    public string Reviewer { get; init; } = "";
    public string CriterionZh { get; init; } = "";
    public string CriterionEn { get; init; } = "";
    public int Weight { get; init; }
    public int Score { get; init; }
    public string Comment { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}

public sealed record AwardExportRow
{
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Enterprise { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string? Reason { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
    public int? Position { get; init; }
    public string? Winner { get; init; }
    public long? ProposalId { get; init; }
    public decimal? Price { get; init; }
    public string? PriceCurrency { get; init; }
}

public sealed record MilestoneExportRow
{
    public long ProjectId { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Vendor { get; init; } = "";
    public string Enterprise { get; init; } = "";
    public string ProjectStatus { get; init; } = "";
    public decimal? Price { get; init; }
    public string Currency { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? FailureCategory { get; init; }
    public int? Milestone { get; init; }
    public string? MilestoneName { get; init; }
    public DateOnly? DueOn { get; init; }
    public string? MilestoneStatus { get; init; }
    public decimal? PaymentShare { get; init; }
}

/// <summary>One line of the supply–demand ledger (供需台账): a challenge and the vendors around it.</summary>
public sealed record LedgerExportRow
{
    public long ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public string Enterprise { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Status { get; init; } = "";
    public string SuggestedVendors { get; init; } = "";
    public string InvitedVendors { get; init; } = "";

    /// <summary>Vendors with a submitted proposal, once unsealed; "sealed" before the deadline.</summary>
    public string BiddingVendors { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string Winners { get; init; } = "";
}
