using System.Data.Common;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Identity;

namespace Marketplace.Data.Proposals;

/// <summary>
/// A vendor starts a proposal to a challenge, as a draft or submitted at once. <see cref="MayReadFullText"/> is the
/// web layer's answer to "may this user read the challenge's full text?" (a confidential challenge needs its NDA).
/// </summary>
public sealed record SubmitProposal
{
    public long ChallengeId { get; init; }
    public long UserId { get; init; }
    public bool MayReadFullText { get; init; }
    public bool AsDraft { get; init; }
    public ProposalInput Input { get; init; } = new();
}

/// <summary>The author changes a proposal: saves the draft again, submits it, or submits a revision (a new version).</summary>
public sealed record ReviseProposal
{
    public long ProposalId { get; init; }
    public long UserId { get; init; }
    public bool AsDraft { get; init; }
    public ProposalInput Input { get; init; } = new();
}

public sealed record WithdrawProposal(long ProposalId, long UserId);

public sealed record OpenPriceEnvelopes(long ChallengeId, long UserId, bool IsOfficer);

/// <summary>What a save returns: the proposal, its state and, once submitted, the receipt of the sealed version.</summary>
public sealed record ProposalSaved(long ProposalId, long ChallengeId, string Status, ProposalReceipt? Receipt);

public sealed record PriceEnvelopesOpened(long ChallengeId, DateTimeOffset OpenedAt, int ProposalCount);

/// <summary>
/// The shared steps of the proposal handlers: who the lead vendor is, whether the challenge accepts changes now,
/// and writing a version with its price envelope in the caller's transaction.
/// </summary>
/// <summary>What an author's change works on: the proposal's state, its challenge and the time of the change.</summary>
public sealed record AuthorChange(ProposalState State, ChallengeDetail Challenge, DateTimeOffset Now);

public sealed class ProposalWriter(ProposalStore store, ChallengeStore challenges, TimeProvider clock)
{
    public ProposalStore Store => store;

    public ChallengeStore Challenges => challenges;

    /// <summary>The server's time, to the millisecond, so the fingerprint's time survives every engine's precision.</summary>
    public DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>
    /// The first step of every change by the author (revise, withdraw): the proposal is theirs and its challenge
    /// still accepts changes at the server's time.
    /// </summary>
    public async Task<Result<AuthorChange>> AuthorChangeAsync(
        DbConnection connection, DbTransaction transaction, long proposalId, IReadOnlyList<VendorOrganisation> vendors, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(connection, transaction, proposalId, cancellationToken);
        if (ProposalAccess.AsAuthor(state, vendors, proposalId) is { } denied)
        {
            return denied;
        }

        var challenge = await challenges.FindAsync(state!.ChallengeId, cancellationToken);
        var now = Now();
        if (ProposalRules.AcceptsChanges(challenge!.Status, challenge.DeadlineAt, now) is { } closed)
        {
            return closed;
        }

        return new AuthorChange(state, challenge, now);
    }

    /// <summary>Resolves partner slugs to registered vendor organisations, field error per unknown one.</summary>
    public async Task<Result<IReadOnlyList<ConsortiumPartner>>> PartnersAsync(IReadOnlyList<string> slugs, long leadId, ProposalInput input, CancellationToken cancellationToken)
    {
        var found = await store.VendorsBySlugAsync(slugs, cancellationToken);
        var errors = new ValidationErrors();
        var partners = new List<ConsortiumPartner>();
        var rawIndexes = input.Partners.Select((p, i) => (Slug: p?.Trim().ToLowerInvariant(), Index: i)).Where(p => !string.IsNullOrEmpty(p.Slug)).ToList();
        foreach (var (slug, index) in rawIndexes)
        {
            var vendor = found.FirstOrDefault(v => string.Equals(v.Slug, slug, StringComparison.OrdinalIgnoreCase));
            if (vendor is null)
            {
                errors.Add($"partners[{index}]", "There is no registered vendor organisation with this identifier.");
            }
            else if (vendor.Id == leadId)
            {
                errors.Add($"partners[{index}]", "Your own organisation leads the proposal; name only the other partners.");
            }
            else
            {
                partners.Add(new ConsortiumPartner { OrganisationId = vendor.Id, Slug = vendor.Slug, Name = vendor.Name });
            }
        }

        return errors.IsEmpty ? partners : errors.ToError();
    }

    /// <summary>Seals a version: the JSON text stored is the text fingerprinted.</summary>
    public static (string Json, string? Fingerprint) Seal(long proposalId, int version, long challengeId, long vendorId, TechnicalEnvelope technical, PriceEnvelope price, DateTimeOffset? submittedAt)
    {
        var json = ProposalSeal.Serialize(technical);
        return (json, submittedAt is { } at ? ProposalSeal.Fingerprint(proposalId, version, challengeId, vendorId, at, json, price) : null);
    }
}

public sealed class SubmitProposalHandler(ProposalWriter writer)
{
    public async Task<Result<ProposalSaved>> HandleAsync(SubmitProposal request, CancellationToken cancellationToken)
    {
        var challenge = await writer.Challenges.FindAsync(request.ChallengeId, cancellationToken);
        if (challenge is null || !ChallengeStatus.PubliclyListed.Contains(challenge.Status))
        {
            return Error.NotFound($"There is no challenge {request.ChallengeId}.");
        }

        var vendors = await writer.Store.VendorOrganisationsOfAsync(request.UserId, cancellationToken);
        if (vendors.Count == 0)
        {
            return Error.Forbidden("Only members of a vendor organisation can submit proposals.");
        }

        if (!request.MayReadFullText)
        {
            return Error.Forbidden("This challenge is confidential: accept its confidentiality terms (NDA) before you submit a proposal.");
        }

        var now = writer.Now();
        if (ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, now) is { } closed)
        {
            return closed;
        }

        var lead = vendors[0];
        var valid = ProposalRules.Validate(request.Input, challenge.AcceptanceTargets, challenge.DeadlineAt, complete: !request.AsDraft);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var partners = await writer.PartnersAsync(valid.Value!.PartnerSlugs, lead.Id, request.Input, cancellationToken);
        if (!partners.IsSuccess)
        {
            return partners.Error!;
        }

        var technical = valid.Value.Technical with { Partners = partners.Value! };
        var price = valid.Value.Price;
        await using var connection = await writer.Store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (ProposalRules.MayStart(await writer.Store.HasLiveProposalAsync(connection, transaction, challenge.Id, lead.Id, cancellationToken)) is { } live)
            {
                return live;
            }

            var id = await writer.Store.InsertProposalAsync(connection, transaction, challenge.Id, lead.Id, request.UserId, now, cancellationToken);
            DateTimeOffset? submittedAt = request.AsDraft ? null : now;
            var (json, fingerprint) = ProposalWriter.Seal(id, 1, challenge.Id, lead.Id, technical, price, submittedAt);
            await writer.Store.InsertVersionAsync(connection, transaction, id, 1, json, technical, price, request.UserId, now, submittedAt, fingerprint, cancellationToken);
            await writer.Store.ReplacePartnersAsync(connection, transaction, id, technical.Partners, cancellationToken);
            if (!request.AsDraft)
            {
                await writer.Store.MarkSubmittedAsync(connection, transaction, id, 0, 1, now, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new ProposalSaved(id, challenge.Id, request.AsDraft ? ProposalStatus.Draft : ProposalStatus.Submitted,
                fingerprint is null ? null : new ProposalReceipt { ProposalId = id, VersionNumber = 1, SubmittedAt = now, Fingerprint = fingerprint });
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict(ProposalRules.AlreadyLive);
        }
    }
}

public sealed class ReviseProposalHandler(ProposalWriter writer)
{
    public async Task<Result<ProposalSaved>> HandleAsync(ReviseProposal request, CancellationToken cancellationToken)
    {
        var vendors = await writer.Store.VendorOrganisationsOfAsync(request.UserId, cancellationToken);
        await using var connection = await writer.Store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var change = await writer.AuthorChangeAsync(connection, transaction, request.ProposalId, vendors, cancellationToken);
        if (!change.IsSuccess)
        {
            return change.Error!;
        }

        var (state, challenge, now) = change.Value!;

        if (state.Status == ProposalStatus.Withdrawn)
        {
            return Error.Conflict("This proposal was withdrawn. Start a new proposal instead.");
        }

        if (request.AsDraft && state.Status != ProposalStatus.Draft)
        {
            return Error.Conflict("This proposal has been submitted; a change is submitted as a new version, not saved as a draft.");
        }

        var valid = ProposalRules.Validate(request.Input, challenge.AcceptanceTargets, challenge.DeadlineAt, complete: !request.AsDraft);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var partners = await writer.PartnersAsync(valid.Value!.PartnerSlugs, state.VendorId, request.Input, cancellationToken);
        if (!partners.IsSuccess)
        {
            return partners.Error!;
        }

        var technical = valid.Value.Technical with { Partners = partners.Value! };
        var price = valid.Value.Price;
        try
        {
            ProposalReceipt? receipt = null;
            if (state.Status == ProposalStatus.Draft)
            {
                DateTimeOffset? submittedAt = request.AsDraft ? null : now;
                var (json, fingerprint) = ProposalWriter.Seal(state.Id, 1, state.ChallengeId, state.VendorId, technical, price, submittedAt);
                await writer.Store.UpdateDraftVersionAsync(connection, transaction, state.Id, json, technical, price, request.UserId, now, submittedAt, fingerprint, cancellationToken);
                if (request.AsDraft)
                {
                    await writer.Store.TouchAsync(connection, transaction, state.Id, now, cancellationToken);
                }
                else if (!await writer.Store.MarkSubmittedAsync(connection, transaction, state.Id, 0, 1, now, cancellationToken))
                {
                    return Error.Conflict(ConcurrentChange);
                }

                receipt = fingerprint is null ? null : new ProposalReceipt { ProposalId = state.Id, VersionNumber = 1, SubmittedAt = now, Fingerprint = fingerprint };
            }
            else
            {
                var version = state.CurrentVersion + 1;
                var (json, fingerprint) = ProposalWriter.Seal(state.Id, version, state.ChallengeId, state.VendorId, technical, price, now);
                await writer.Store.InsertVersionAsync(connection, transaction, state.Id, version, json, technical, price, request.UserId, now, now, fingerprint, cancellationToken);
                if (!await writer.Store.MarkSubmittedAsync(connection, transaction, state.Id, state.CurrentVersion, version, now, cancellationToken))
                {
                    return Error.Conflict(ConcurrentChange);
                }

                receipt = new ProposalReceipt { ProposalId = state.Id, VersionNumber = version, SubmittedAt = now, Fingerprint = fingerprint! };
            }

            await writer.Store.ReplacePartnersAsync(connection, transaction, state.Id, technical.Partners, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new ProposalSaved(state.Id, state.ChallengeId, request.AsDraft ? ProposalStatus.Draft : ProposalStatus.Submitted, receipt);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict(ConcurrentChange);
        }
    }

    public const string ConcurrentChange = "Someone in your organisation saved this proposal at the same moment. Reload it to see the latest version, then try again.";
}

public sealed class WithdrawProposalHandler(ProposalWriter writer)
{
    public async Task<Result<ProposalSaved>> HandleAsync(WithdrawProposal request, CancellationToken cancellationToken)
    {
        var vendors = await writer.Store.VendorOrganisationsOfAsync(request.UserId, cancellationToken);
        await using var connection = await writer.Store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var change = await writer.AuthorChangeAsync(connection, transaction, request.ProposalId, vendors, cancellationToken);
        if (!change.IsSuccess)
        {
            return change.Error!;
        }

        var (state, challenge, now) = change.Value!;

        if (!await writer.Store.MarkWithdrawnAsync(connection, transaction, state.Id, now, cancellationToken))
        {
            return Error.Conflict("This proposal has already been withdrawn.");
        }

        await transaction.CommitAsync(cancellationToken);
        return new ProposalSaved(state.Id, state.ChallengeId, ProposalStatus.Withdrawn, null);
    }
}

/// <summary>
/// Opening the price envelopes is closing technical scoring (two-envelope review): the request goes to
/// <see cref="Core.Features.Reviews.CloseTechnicalScoring"/>, which refuses until the challenge is under review and every
/// proposal has a complete review. Kept so the existing page and API route keep their meaning.
/// </summary>
public sealed class OpenPriceEnvelopesHandler(Core.Application.UseCaseRunner runner, Core.Features.Reviews.CloseTechnicalScoring closer)
{
    public async Task<Result<PriceEnvelopesOpened>> HandleAsync(OpenPriceEnvelopes request, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(closer, new Actor(request.UserId, [], request.IsOfficer ? [Core.Accounts.Roles.Officer] : []),
            new Core.Features.Reviews.ReviewOf(request.ChallengeId), cancellationToken);
        return result.IsSuccess ? new PriceEnvelopesOpened(result.Value!.ChallengeId, result.Value.OpenedAt, result.Value.ProposalCount) : result.Error!;
    }
}

/// <summary>Who may change a proposal: a proposal outside the user's vendor organisations does not exist for them (sealed).</summary>
public static class ProposalAccess
{
    public static Error? AsAuthor(ProposalState? state, IReadOnlyList<VendorOrganisation> vendors, long id) =>
        state is not null && vendors.Any(v => v.Id == state.VendorId) ? null : NotFound(id);

    public static Error NotFound(long id) => Error.NotFound($"There is no proposal {id}.");
}
