namespace Marketplace.Core.Proposals;

/// <summary>Where a proposal is: a draft only its author sees, submitted (sealed until the deadline), or withdrawn.</summary>
/// <summary>
/// What the audit log records for a proposal (challenge_audit.action). The reason names the proposal and version only:
/// never a price, never content. The challenge's audit view hides these entries while it still accepts proposals, so
/// the log does not unseal who bid before the deadline.
/// </summary>
public static class ProposalActions
{
    public const string Prefix = "proposal_";
    public const string Submitted = "proposal_submitted";
    public const string Revised = "proposal_revised";
    public const string Withdrawn = "proposal_withdrawn";

    public static string Reference(long proposalId, int version) => $"Proposal #{proposalId} v{version}";
}

public static class ProposalStatus
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Withdrawn = "withdrawn";
}

/// <summary>
/// Who reads proposals, and when. Every proposal query takes one, so sealing is decided in the SQL: the author
/// organisation always sees its own; the challenge's enterprise and programme officers see submitted proposals
/// only once <see cref="Now"/> is at or past the deadline. Administrators are not officers here.
/// </summary>
public sealed record ProposalViewer(long? UserId, IReadOnlyList<long> OrganisationIds, bool IsOfficer, DateTimeOffset Now)
{
    public static ProposalViewer Anonymous(DateTimeOffset now) => new(null, [], false, now);
}

/// <summary>How the proposal meets one of the challenge's acceptance targets (one answer per target, in order).</summary>
public sealed record TargetAnswer
{
    public int Position { get; init; }
    public string Metric { get; init; } = "";
    public string Threshold { get; init; } = "";
    public string Answer { get; init; } = "";
}

/// <summary>A delivery milestone with the share of the price paid when it is accepted.</summary>
public sealed record ProposalMilestone
{
    public string Name { get; init; } = "";
    public DateOnly? DueOn { get; init; }
    public string Deliverable { get; init; } = "";
    public decimal? PaymentSharePercent { get; init; }
}

/// <summary>A registered vendor organisation in the lead vendor's consortium.</summary>
public sealed record ConsortiumPartner
{
    public long OrganisationId { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>The technical envelope: everything reviewers score before any price is known.</summary>
public sealed record TechnicalEnvelope
{
    public string Approach { get; init; } = "";
    public IReadOnlyList<TargetAnswer> TargetAnswers { get; init; } = [];
    public int? CurrentTrl { get; init; }
    public int? DeliveryTrl { get; init; }
    public string Team { get; init; } = "";
    public IReadOnlyList<ProposalMilestone> Milestones { get; init; } = [];
    public IReadOnlyList<ConsortiumPartner> Partners { get; init; } = [];
}

/// <summary>The price envelope, kept apart and opened only by an officer after technical scoring.</summary>
public sealed record PriceEnvelope
{
    public decimal? Amount { get; init; }
    public string Currency { get; init; } = "CNY";
    public string PaymentTerms { get; init; } = "";
}

/// <summary>
/// What the vendor keeps as proof of a submission: the version, when, the fingerprint of the sealed content and the
/// salt it was computed under. <see cref="Salt"/> is given to the author only (null for everyone else, and for a
/// version sealed before salts existed): with it the author can show anyone that the fingerprint covers exactly the
/// content and price they claim; without it, nobody can test a guessed price against the fingerprint.
/// </summary>
public sealed record ProposalReceipt
{
    public long ProposalId { get; init; }
    public int VersionNumber { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public string Fingerprint { get; init; } = "";
    public string? Salt { get; init; }
}

/// <summary>
/// A proposal as one viewer may see it. <see cref="Price"/> is null unless the viewer is the author, or the
/// challenge's price envelopes have been opened; <see cref="Versions"/> are listed for the author only.
/// </summary>
public sealed record ProposalView
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public string Status { get; init; } = "";
    public int CurrentVersion { get; init; }
    public DateTimeOffset? FirstSubmittedAt { get; init; }
    public DateTimeOffset? LastSubmittedAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public bool IsAuthor { get; init; }
    public DateTimeOffset? PriceEnvelopesOpenedAt { get; init; }
    public TechnicalEnvelope Technical { get; init; } = new();
    public PriceEnvelope? Price { get; init; }
    public ProposalReceipt? Receipt { get; init; }
    public IReadOnlyList<ProposalReceipt> Versions { get; init; } = [];
}

/// <summary>A row of "My proposals" or of a closed challenge's proposal list.</summary>
public sealed record ProposalListItem
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public string Status { get; init; } = "";
    public int CurrentVersion { get; init; }
    public DateTimeOffset? LastSubmittedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? Fingerprint { get; init; }
    public int? CurrentTrl { get; init; }
    public int? DeliveryTrl { get; init; }
}

/// <summary>A closed challenge's submitted proposals for its enterprise or an officer, with prices once opened.</summary>
public sealed record ChallengeProposals
{
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public DateTimeOffset? PriceEnvelopesOpenedAt { get; init; }
    public IReadOnlyList<ProposalView> Proposals { get; init; } = [];
}
