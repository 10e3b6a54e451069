using Marketplace.Core.Application;
using Marketplace.Core.Delivery;
using Marketplace.Core.Vendors;

namespace Marketplace.Core.Features.Delivery;

/// <summary>What a delivery use case decides on about the project, read inside its transaction.</summary>
public sealed record ProjectState : IProjectParties
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long EnterpriseId { get; init; }
    public long VendorId { get; init; }
    public long ProposalId { get; init; }
    public int ProposalVersion { get; init; }
    public string Status { get; init; } = "";
    public string Currency { get; init; } = "CNY";
}

/// <summary>A milestone as its use cases decide on it.</summary>
public sealed record MilestoneState
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public int Position { get; init; }
    public string Name { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public string Deliverable { get; init; } = "";
    public decimal PaymentShare { get; init; }
    public decimal? PaymentAmount { get; init; }
    public string Status { get; init; } = "";

    public AdjustableMilestone ToAdjustable() => new(Id, Position, Status, DueOn, Deliverable);

    /// <summary>How audit entries and notifications name the milestone: "2. Pilot — the reason".</summary>
    public string Reference(string? detail = null) => string.IsNullOrWhiteSpace(detail) ? $"{Position}. {Name}" : $"{Position}. {Name} — {detail}";
}

/// <summary>A winning proposal version as delivery starts from it.</summary>
public sealed record WinningVersion
{
    public long ProposalId { get; init; }
    public long VendorId { get; init; }
    public int ProposalVersion { get; init; }
    public string TechnicalContent { get; init; } = "";
    public decimal? PriceAmount { get; init; }
    public string? PriceCurrency { get; init; }
}

/// <summary>A stage adjustment as its decision needs it.</summary>
public sealed record AdjustmentState
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public string Status { get; init; } = "";
    public string RequestedSide { get; init; } = "";
}

/// <summary>What a portfolio case is written from: the challenge and its enterprise.</summary>
public sealed record CaseSource
{
    public string Title { get; init; } = "";
    public string Scenario { get; init; } = "";
    public string? ExpectedOutcome { get; init; }
    public string Industry { get; init; } = "";
    public string EnterpriseName { get; init; } = "";
}

/// <summary>Delivery projects: finding one (from itself, a milestone or an adjustment), starting, moving and ending them.</summary>
public interface IProjectStore
{
    Task<ProjectState?> LoadProjectAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken);

    Task<long?> ProjectOfMilestoneAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken);

    Task<long?> ProjectOfAdjustmentAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken);

    /// <summary>The winners of an awarded challenge with the winning version's technical envelope and price.</summary>
    Task<IReadOnlyList<WinningVersion>> WinnersAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<long> InsertProjectAsync(IUnitOfWork work, long challengeId, long enterpriseId, WinningVersion winner, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task InsertMilestoneAsync(IUnitOfWork work, long projectId, PlannedMilestone milestone, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The statuses of every project of a challenge (to decide whether the challenge ends).</summary>
    Task<IReadOnlyList<string>> ProjectStatusesAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Ends a project, guarded by the state the move was decided from; false when it moved meanwhile.</summary>
    Task<bool> MoveProjectAsync(IUnitOfWork work, long projectId, DeliveryMove move, DateTimeOffset now, CancellationToken cancellationToken);

    Task InsertFailureAsync(IUnitOfWork work, long projectId, string category, string cause, string lessons, long userId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Milestones, their evidence, the enterprise's decisions and the payment releases.</summary>
public interface IMilestoneStore
{
    Task<MilestoneState?> LoadMilestoneAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken);

    /// <summary>A project's milestones in plan order.</summary>
    Task<IReadOnlyList<MilestoneState>> MilestonesAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken);

    Task<int> AcceptanceTargetCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<long?> LatestEvidenceIdAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken);

    /// <summary>Moves a milestone, guarded by the state the move was decided from; false when it moved meanwhile.</summary>
    Task<bool> MoveMilestoneAsync(IUnitOfWork work, long milestoneId, DeliveryMove move, DateTimeOffset now, CancellationToken cancellationToken);

    Task<long> InsertEvidenceAsync(IUnitOfWork work, long milestoneId, string body, IReadOnlyList<string> links, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task InsertDecisionAsync(IUnitOfWork work, long milestoneId, long evidenceId, string outcome, string? note, IReadOnlyList<int> targetsMet, long userId, DateTimeOffset now,
        CancellationToken cancellationToken);

    Task InsertPaymentAsync(IUnitOfWork work, MilestoneState milestone, string currency, long userId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Stage adjustments (阶段调整) and their items.</summary>
public interface IStageAdjustmentStore
{
    Task<bool> HasOpenAdjustmentAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken);

    Task<AdjustmentState?> LoadAdjustmentAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AdjustmentItem>> AdjustmentItemsAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken);

    Task<long> InsertAdjustmentAsync(IUnitOfWork work, long projectId, string reason, string side, IReadOnlyList<AdjustmentItem> items, long userId, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Records the decision on a still open request; false when it was decided meanwhile.</summary>
    Task<bool> DecideAdjustmentAsync(IUnitOfWork work, long adjustmentId, DeliveryMove move, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies an approved change to a milestone that is still not accepted; false when it was accepted meanwhile.</summary>
    Task<bool> ApplyAdjustmentItemAsync(IUnitOfWork work, AdjustmentItem item, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The enterprise's portfolio consent and the vendor's portfolio case it writes.</summary>
public interface IPortfolioConsentStore
{
    Task<bool> HasConsentAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken);

    Task InsertConsentAsync(IUnitOfWork work, long projectId, string decision, bool clientNamed, long? caseId, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<CaseSource> CaseSourceAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ChallengeTagsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Writes the case with its tags; returns its id.</summary>
    Task<long> AddCaseAsync(IUnitOfWork work, NewPortfolioCase portfolioCase, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Moves the vendor's change stamp so the matcher's incremental refresh re-reads its document.</summary>
    Task TouchVendorAsync(IUnitOfWork work, long vendorId, DateTimeOffset now, CancellationToken cancellationToken);
}
