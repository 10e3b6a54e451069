using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Features.Proposals;

/// <summary>A vendor starts a proposal to a challenge, as a draft or submitted at once.</summary>
public sealed record SubmitProposalRequest(long ChallengeId, bool AsDraft, ProposalInput Input);

/// <summary>The author changes a proposal: saves the draft again, submits it, or submits a revision (a new version).</summary>
public sealed record ReviseProposalRequest(long ProposalId, bool AsDraft, ProposalInput Input);

public sealed record WithdrawProposalRequest(long ProposalId);

/// <summary>What a save returns: the proposal, its state and, once submitted, the receipt of the sealed version.</summary>
public sealed record ProposalSaved(long ProposalId, long ChallengeId, string Status, ProposalReceipt? Receipt);

/// <summary>A proposal's content as the rules accepted it: the technical envelope (partners resolved) and the price envelope.</summary>
public sealed record ProposalContent(TechnicalEnvelope Technical, PriceEnvelope Price)
{
    /// <summary>What the input names as partners (a slug, a name or an English name), lower-cased, to look up before deciding.</summary>
    public static IReadOnlyList<string> PartnerNames(ProposalInput input) =>
        input.Partners.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    public const string UnknownPartner = "There is no registered vendor organisation with this name. Type part of the name and choose it from the list.";
    public const string AmbiguousPartner = "Several registered vendor organisations have this name. Choose one from the list, or type its identifier shown there.";
    public const string LeadAsPartner = "Your own organisation leads the proposal; name only the other partners.";
    public const string PartnerTwice = "Name each partner only once.";

    /// <summary>
    /// Validates the input against the challenge (complete unless a draft) and resolves each named partner to one of the
    /// registered vendor organisations <paramref name="found"/>: unknown, ambiguous, the lead itself or named twice is a
    /// field error on that partner. Every error comes back at once, the partners' with the other fields'.
    /// </summary>
    public static Result<ProposalContent> Decide(ProposalInput input, ChallengeDetail challenge, bool asDraft, IReadOnlyList<VendorOrganisation> found, long leadId)
    {
        var valid = ProposalRules.Validate(input, challenge.AcceptanceTargets, challenge.DeadlineAt, complete: !asDraft);
        var errors = new ValidationErrors();
        foreach (var (field, messages) in valid.Error?.FieldErrors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        var partners = new List<ConsortiumPartner>();
        var named = input.Partners.Select((p, i) => (Text: p?.Trim(), Index: i)).Where(p => !string.IsNullOrEmpty(p.Text));
        foreach (var (text, index) in named)
        {
            var matches = found.Where(v => v.IsNamed(text!)).DistinctBy(v => v.Id).ToList();
            // A slug is unique: typed exactly, it wins over a name another organisation happens to share.
            var vendor = matches.Count == 1 ? matches[0] : matches.FirstOrDefault(v => string.Equals(v.Slug, text, StringComparison.OrdinalIgnoreCase));
            var problem = matches.Count == 0 ? UnknownPartner
                : vendor is null ? AmbiguousPartner
                : vendor.Id == leadId ? LeadAsPartner
                : partners.Any(p => p.OrganisationId == vendor.Id) ? PartnerTwice
                : null;
            if (problem is not null)
            {
                errors.Add($"partners[{index}]", problem);
            }
            else
            {
                partners.Add(new ConsortiumPartner { OrganisationId = vendor!.Id, Slug = vendor.Slug, Name = vendor.Name });
            }
        }

        if (!valid.IsSuccess && errors.IsEmpty)
        {
            return valid.Error!;
        }

        return errors.IsEmpty ? new ProposalContent(valid.Value!.Technical with { Partners = partners }, valid.Value.Price) : errors.ToError();
    }

    /// <summary>
    /// Seals a version: the JSON text stored is the text fingerprinted, under a fresh random salt kept with the version
    /// (no salt and no fingerprint for an unsubmitted draft).
    /// </summary>
    public ProposalVersionRecord Seal(long proposalId, int version, long challengeId, long vendorId, long userId, DateTimeOffset now, DateTimeOffset? submittedAt)
    {
        var json = ProposalSeal.Serialize(Technical);
        var salt = submittedAt is null ? null : ProposalSeal.NewSalt();
        var fingerprint = submittedAt is { } at ? ProposalSeal.Fingerprint(proposalId, version, challengeId, vendorId, at, json, Price, salt) : null;
        return new ProposalVersionRecord(proposalId, version, json, Technical, Price, userId, now, submittedAt, fingerprint, salt);
    }
}

/// <summary>What starting a proposal needs: the challenge, the actor's vendor organisations, their NDA, the named partners and whether the lead already has one.</summary>
public sealed record NewProposal(ChallengeDetail Challenge, IReadOnlyList<VendorOrganisation> Vendors, bool NdaAccepted, IReadOnlyList<VendorOrganisation> Partners, bool HasLiveProposal)
{
    public VendorOrganisation Lead => Vendors[0];
}

/// <summary>
/// A vendor starts a proposal on a published challenge before its deadline, as a draft or submitted (sealed, with a
/// receipt). The first of their vendor organisations leads it; one live proposal per lead and challenge. A confidential
/// challenge needs its NDA, read here inside the transaction rather than trusted from the caller.
/// </summary>
public sealed class SubmitProposal(IProposalStore store, IChallengeLifecycleStore challenges) : UseCase<SubmitProposalRequest, NewProposal, ProposalContent, ProposalSaved>
{
    protected override async Task<NewProposal?> LoadAsync(UseCaseContext context, SubmitProposalRequest request, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindDetailAsync(context.Work, request.ChallengeId, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        var actor = context.Person;
        var vendors = await store.VendorOrganisationsOfAsync(context.Work, actor.UserId, cancellationToken);
        var nda = challenge.IsConfidential && actor.OrganisationIds.Count > 0
                  && await store.HasAcceptedNdaAsync(context.Work, challenge.Id, actor.OrganisationIds, cancellationToken);
        var partners = await store.VendorsNamedAsync(context.Work, ProposalContent.PartnerNames(request.Input), cancellationToken);
        var live = vendors.Count > 0 && await store.HasLiveProposalAsync(context.Work, challenge.Id, vendors[0].Id, cancellationToken);
        return new NewProposal(challenge, vendors, nda, partners, live);
    }

    protected override Error? Authorise(UseCaseContext context, SubmitProposalRequest request, NewProposal? state) =>
        ProposalPolicy.AsNewAuthor(state?.Challenge, state?.Vendors ?? [], request.ChallengeId)
        ?? ProposalPolicy.MayPropose(context.Person, state!.Challenge, state.NdaAccepted);

    protected override Result<ProposalContent> Decide(UseCaseContext context, SubmitProposalRequest request, NewProposal state)
    {
        if (ProposalRules.AcceptsChanges(state.Challenge.Status, state.Challenge.DeadlineAt, context.Now) is { } closed)
        {
            return closed;
        }

        var content = ProposalContent.Decide(request.Input, state.Challenge, request.AsDraft, state.Partners, state.Lead.Id);
        if (!content.IsSuccess)
        {
            return content;
        }

        return ProposalRules.MayStart(state.HasLiveProposal) is { } live ? live : content;
    }

    protected override async Task<Result<ProposalSaved>> ApplyAsync(UseCaseContext context, SubmitProposalRequest request, NewProposal state, ProposalContent content,
        CancellationToken cancellationToken)
    {
        var (challengeId, leadId, userId, now) = (state.Challenge.Id, state.Lead.Id, context.Person.UserId, context.Now);
        if (await store.InsertProposalAsync(context.Work, challengeId, leadId, userId, now, cancellationToken) is not { } id)
        {
            return Error.Conflict(ProposalRules.AlreadyLive);
        }

        var version = content.Seal(id, 1, challengeId, leadId, userId, now, request.AsDraft ? null : now);
        if (!await store.InsertVersionAsync(context.Work, version, cancellationToken))
        {
            return Error.Conflict(ProposalRules.AlreadyLive);
        }

        await store.ReplacePartnersAsync(context.Work, id, content.Technical.Partners, cancellationToken);
        if (!request.AsDraft)
        {
            await store.MarkSubmittedAsync(context.Work, id, 0, 1, now, cancellationToken);
            context.Audit(challengeId, ProposalActions.Submitted, null, ProposalStatus.Submitted, ProposalActions.Reference(id, 1));
        }

        return new ProposalSaved(id, challengeId, request.AsDraft ? ProposalStatus.Draft : ProposalStatus.Submitted, Receipt(version));
    }

    internal static ProposalReceipt? Receipt(ProposalVersionRecord version) =>
        version is { SubmittedAt: { } at, Fingerprint: { } fingerprint }
            ? new ProposalReceipt { ProposalId = version.ProposalId, VersionNumber = version.VersionNumber, SubmittedAt = at, Fingerprint = fingerprint, Salt = version.SealSalt }
            : null;
}

/// <summary>What an author's change works on: the proposal's state, its challenge, the actor's vendor organisations and the partners the change names.</summary>
public sealed record AuthorChange(ProposalState Proposal, ChallengeDetail Challenge, IReadOnlyList<VendorOrganisation> Vendors, IReadOnlyList<VendorOrganisation> Partners);

/// <summary>
/// The shared first steps of every change by the author (revise, withdraw): the proposal is one of their vendor
/// organisations' (otherwise it does not exist for them) and its challenge still accepts changes at the server's time.
/// </summary>
public abstract class AuthorChangeUseCase<TRequest, TDecision>(IProposalStore store, IChallengeLifecycleStore challenges)
    : UseCase<TRequest, AuthorChange, TDecision, ProposalSaved>
{
    protected IProposalStore Store => store;

    protected abstract long ProposalIdOf(TRequest request);

    /// <summary>The partner slugs the change names, looked up while loading (none by default).</summary>
    protected virtual IReadOnlyList<string> PartnerNamesOf(TRequest request) => [];

    /// <summary>The decision once the proposal is the actor's and its challenge accepts changes.</summary>
    protected abstract Result<TDecision> DecideChange(UseCaseContext context, TRequest request, AuthorChange change);

    protected sealed override async Task<AuthorChange?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(context.Work, ProposalIdOf(request), cancellationToken);
        var challenge = state is null ? null : await challenges.FindDetailAsync(context.Work, state.ChallengeId, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        var vendors = await store.VendorOrganisationsOfAsync(context.Work, context.Person.UserId, cancellationToken);
        return new AuthorChange(state!, challenge, vendors, await store.VendorsNamedAsync(context.Work, PartnerNamesOf(request), cancellationToken));
    }

    protected sealed override Error? Authorise(UseCaseContext context, TRequest request, AuthorChange? change) =>
        ProposalPolicy.AsAuthor(change?.Proposal, change?.Vendors ?? [], ProposalIdOf(request));

    protected sealed override Result<TDecision> Decide(UseCaseContext context, TRequest request, AuthorChange change) =>
        ProposalRules.AcceptsChanges(change.Challenge.Status, change.Challenge.DeadlineAt, context.Now) is { } closed
            ? closed
            : DecideChange(context, request, change);
}

/// <summary>
/// The author saves a draft again, submits it, or submits a revision of a submitted proposal as a new version (every
/// version is kept, each with its own receipt). Two saves at once: the second is a Conflict and changes nothing.
/// </summary>
public sealed class ReviseProposal(IProposalStore store, IChallengeLifecycleStore challenges)
    : AuthorChangeUseCase<ReviseProposalRequest, ProposalContent>(store, challenges)
{
    public const string ConcurrentChange = "Someone in your organisation saved this proposal at the same moment. Reload it to see the latest version, then try again.";

    protected override long ProposalIdOf(ReviseProposalRequest request) => request.ProposalId;

    protected override IReadOnlyList<string> PartnerNamesOf(ReviseProposalRequest request) => ProposalContent.PartnerNames(request.Input);

    protected override Result<ProposalContent> DecideChange(UseCaseContext context, ReviseProposalRequest request, AuthorChange change)
    {
        if (change.Proposal.Status == ProposalStatus.Withdrawn)
        {
            return Error.Conflict("This proposal was withdrawn. Start a new proposal instead.");
        }

        if (request.AsDraft && change.Proposal.Status != ProposalStatus.Draft)
        {
            return Error.Conflict("This proposal has been submitted; a change is submitted as a new version, not saved as a draft.");
        }

        return ProposalContent.Decide(request.Input, change.Challenge, request.AsDraft, change.Partners, change.Proposal.VendorId);
    }

    protected override async Task<Result<ProposalSaved>> ApplyAsync(UseCaseContext context, ReviseProposalRequest request, AuthorChange change, ProposalContent content,
        CancellationToken cancellationToken)
    {
        var (proposal, userId, now) = (change.Proposal, context.Person.UserId, context.Now);
        ProposalVersionRecord version;
        if (proposal.Status == ProposalStatus.Draft)
        {
            version = content.Seal(proposal.Id, 1, proposal.ChallengeId, proposal.VendorId, userId, now, request.AsDraft ? null : now);
            await Store.UpdateDraftVersionAsync(context.Work, version, cancellationToken);
            if (request.AsDraft)
            {
                await Store.TouchAsync(context.Work, proposal.Id, now, cancellationToken);
            }
            else if (!await Store.MarkSubmittedAsync(context.Work, proposal.Id, 0, 1, now, cancellationToken))
            {
                return Error.Conflict(ConcurrentChange);
            }
        }
        else
        {
            version = content.Seal(proposal.Id, proposal.CurrentVersion + 1, proposal.ChallengeId, proposal.VendorId, userId, now, now);
            if (!await Store.InsertVersionAsync(context.Work, version, cancellationToken)
                || !await Store.MarkSubmittedAsync(context.Work, proposal.Id, proposal.CurrentVersion, version.VersionNumber, now, cancellationToken))
            {
                return Error.Conflict(ConcurrentChange);
            }
        }

        await Store.ReplacePartnersAsync(context.Work, proposal.Id, content.Technical.Partners, cancellationToken);
        if (!request.AsDraft)
        {
            var action = proposal.Status == ProposalStatus.Draft ? ProposalActions.Submitted : ProposalActions.Revised;
            context.Audit(proposal.ChallengeId, action, proposal.Status, ProposalStatus.Submitted, ProposalActions.Reference(proposal.Id, version.VersionNumber));
        }

        return new ProposalSaved(proposal.Id, proposal.ChallengeId, request.AsDraft ? ProposalStatus.Draft : ProposalStatus.Submitted, SubmitProposal.Receipt(version));
    }
}

/// <summary>The author withdraws a proposal before the deadline. Its versions are kept; the organisation may start a new one.</summary>
public sealed class WithdrawProposal(IProposalStore store, IChallengeLifecycleStore challenges)
    : AuthorChangeUseCase<WithdrawProposalRequest, ProposalState>(store, challenges)
{
    protected override long ProposalIdOf(WithdrawProposalRequest request) => request.ProposalId;

    protected override Result<ProposalState> DecideChange(UseCaseContext context, WithdrawProposalRequest request, AuthorChange change) => change.Proposal;

    protected override async Task<Result<ProposalSaved>> ApplyAsync(UseCaseContext context, WithdrawProposalRequest request, AuthorChange change, ProposalState proposal,
        CancellationToken cancellationToken)
    {
        if (!await Store.MarkWithdrawnAsync(context.Work, proposal.Id, context.Now, cancellationToken))
        {
            return Error.Conflict("This proposal has already been withdrawn.");
        }

        context.Audit(proposal.ChallengeId, ProposalActions.Withdrawn, proposal.Status, ProposalStatus.Withdrawn, ProposalActions.Reference(proposal.Id, proposal.CurrentVersion));
        return new ProposalSaved(proposal.Id, proposal.ChallengeId, ProposalStatus.Withdrawn, null);
    }
}
