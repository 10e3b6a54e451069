using Marketplace.Core.Application;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Features.Proposals;

/// <summary>The state a proposal use case decides on, read inside its transaction.</summary>
public sealed record ProposalState
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public long VendorId { get; init; }
    public string Status { get; init; } = "";
    public int CurrentVersion { get; init; }
}

/// <summary>A vendor organisation as a proposal names it (the lead, or a consortium partner).</summary>
public sealed record VendorOrganisation
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The English name, where the organisation gave one.</summary>
    public string? NameEn { get; init; }

    /// <summary>Whether a partner typed on the form means this organisation: its slug, its name or its English name, ignoring case.</summary>
    public bool IsNamed(string text) =>
        string.Equals(Slug, text, StringComparison.OrdinalIgnoreCase) || string.Equals(Name, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(NameEn, text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A version to write: its number, the sealed technical text, both envelopes, and (once sealed) when, its salt and its fingerprint.</summary>
public sealed record ProposalVersionRecord(
    long ProposalId, int VersionNumber, string TechnicalJson, TechnicalEnvelope Technical, PriceEnvelope Price, long UserId, DateTimeOffset Now,
    DateTimeOffset? SubmittedAt, string? Fingerprint, string? SealSalt);

/// <summary>The proposal writes and the reads the proposal use cases make inside their transaction.</summary>
public interface IProposalStore
{
    /// <summary>The vendor organisations a user belongs to, oldest membership first: the first one leads their proposals.</summary>
    Task<IReadOnlyList<VendorOrganisation>> VendorOrganisationsOfAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken);

    /// <summary>
    /// Registered vendor organisations whose slug, name or English name is one of <paramref name="names"/> (lower-cased);
    /// unknown names and other kinds are simply absent, and one name may find several organisations.
    /// </summary>
    Task<IReadOnlyList<VendorOrganisation>> VendorsNamedAsync(IUnitOfWork work, IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Whether one of the organisations accepted the challenge's NDA terms.</summary>
    Task<bool> HasAcceptedNdaAsync(IUnitOfWork work, long challengeId, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken);

    Task<bool> HasLiveProposalAsync(IUnitOfWork work, long challengeId, long vendorId, CancellationToken cancellationToken);

    Task<ProposalState?> LoadStateAsync(IUnitOfWork work, long id, CancellationToken cancellationToken);

    /// <summary>Starts a draft proposal; null when the vendor got a live proposal to this challenge in meanwhile.</summary>
    Task<long?> InsertProposalAsync(IUnitOfWork work, long challengeId, long vendorId, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes a version with its price envelope; false when that version number was written meanwhile.</summary>
    Task<bool> InsertVersionAsync(IUnitOfWork work, ProposalVersionRecord version, CancellationToken cancellationToken);

    /// <summary>Rewrites the unsubmitted draft row (version 1) and its price envelope; sealing it if a fingerprint is given.</summary>
    Task UpdateDraftVersionAsync(IUnitOfWork work, ProposalVersionRecord version, CancellationToken cancellationToken);

    Task ReplacePartnersAsync(IUnitOfWork work, long proposalId, IReadOnlyList<ConsortiumPartner> partners, CancellationToken cancellationToken);

    /// <summary>Moves the proposal to a newly sealed version, if nobody else did first; false means nothing changed.</summary>
    Task<bool> MarkSubmittedAsync(IUnitOfWork work, long proposalId, int expectedVersion, int newVersion, DateTimeOffset now, CancellationToken cancellationToken);

    Task TouchAsync(IUnitOfWork work, long proposalId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Withdraws a live proposal; false when it was already withdrawn.</summary>
    Task<bool> MarkWithdrawnAsync(IUnitOfWork work, long proposalId, DateTimeOffset now, CancellationToken cancellationToken);
}
