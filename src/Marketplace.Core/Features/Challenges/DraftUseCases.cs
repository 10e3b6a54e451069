using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Challenges;

/// <summary>A new challenge's text and, when the author belongs to several enterprises, which one posts it.</summary>
public sealed record CreateDraftRequest(ChallengeDraft Draft, long? EnterpriseId);

/// <summary>An enterprise member writes a new challenge; it starts as a draft nobody else sees.</summary>
public sealed class CreateChallengeDraft(IChallengeLifecycleStore store) : UseCase<CreateDraftRequest, IReadOnlyList<long>, (long Enterprise, ValidChallengeDraft Draft), long>
{
    /// <summary>The actor's enterprises.</summary>
    protected override async Task<IReadOnlyList<long>?> LoadAsync(UseCaseContext context, CreateDraftRequest request, CancellationToken cancellationToken) =>
        context.Person.OrganisationIds.Count == 0 ? [] : await store.OrganisationsOfKindAsync(context.Work, context.Person.OrganisationIds, "enterprise", cancellationToken);

    protected override Error? Authorise(UseCaseContext context, CreateDraftRequest request, IReadOnlyList<long>? enterprises)
    {
        if (!context.Person.IsEnterprise)
        {
            return Error.Forbidden("Only enterprise accounts post challenges.");
        }

        if (request.EnterpriseId is { } chosen)
        {
            return enterprises!.Contains(chosen) ? null : Error.Forbidden("You may post challenges only for an enterprise you belong to.");
        }

        return enterprises!.Count == 0 ? Error.Forbidden("Your account does not belong to an enterprise.") : null;
    }

    protected override Result<(long Enterprise, ValidChallengeDraft Draft)> Decide(UseCaseContext context, CreateDraftRequest request, IReadOnlyList<long> enterprises)
    {
        var valid = ChallengeDraftRules.Validate(request.Draft, context.Now);
        return valid.IsSuccess ? (request.EnterpriseId ?? enterprises[0], valid.Value!) : valid.Error!;
    }

    protected override async Task<Result<long>> ApplyAsync(UseCaseContext context, CreateDraftRequest request, IReadOnlyList<long> enterprises,
        (long Enterprise, ValidChallengeDraft Draft) decision, CancellationToken cancellationToken)
    {
        var id = await store.InsertDraftAsync(context.Work, decision.Draft, decision.Enterprise, context.Person.UserId, cancellationToken);
        context.Audit(id, ChallengeActions.Created, null, ChallengeStatus.Draft);
        return id;
    }
}

/// <summary>The text of a challenge as saved, with the row version it was read at and, for a published one, what changed.</summary>
public sealed record UpdateChallengeRequest(long ChallengeId, int? ExpectedRowVersion, ChallengeDraft Draft, string? ChangeNote);

/// <summary>The result of saving a challenge's text: its new row version and, for a published one, the version number.</summary>
public sealed record SavedChallenge(long Id, int RowVersion, int? PublishedVersion);

/// <summary>
/// An enterprise member changes the text. Drafts (and returned challenges) change freely; a published, open challenge
/// gets a new version that is kept and announced to the vendors following it. Optimistic concurrency: the save names
/// the row version it was read at, and a stale one changes nothing and is told so.
/// </summary>
public sealed class UpdateChallenge(IChallengeLifecycleStore store) : UseCase<UpdateChallengeRequest, ChallengeState, (ValidChallengeDraft Draft, bool IsRevision), SavedChallenge>
{
    protected override Task<ChallengeState?> LoadAsync(UseCaseContext context, UpdateChallengeRequest request, CancellationToken cancellationToken) =>
        store.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);

    protected override Error? Authorise(UseCaseContext context, UpdateChallengeRequest request, ChallengeState? state) =>
        ChallengePolicy.AsOwner(context.Actor, state, request.ChallengeId);

    protected override Result<(ValidChallengeDraft Draft, bool IsRevision)> Decide(UseCaseContext context, UpdateChallengeRequest request, ChallengeState state)
    {
        var mayEdit = ChallengeWorkflow.MayEdit(state.Status, state.DeadlineAt, context.Now);
        if (!mayEdit.IsSuccess)
        {
            return mayEdit.Error!;
        }

        if (request.ExpectedRowVersion is null)
        {
            return Error.Invalid("rowVersion", "rowVersion is required: send the rowVersion you read, so a concurrent change is not overwritten.");
        }

        var valid = ChallengeDraftRules.Validate(request.Draft, context.Now);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (request.ChangeNote is { Length: > ChallengeWorkflow.MaxReasonLength })
        {
            return Error.Invalid("changeNote", "The note on what changed must be at most 2000 characters.");
        }

        return (valid.Value!, mayEdit.Value);
    }

    protected override async Task<Result<SavedChallenge>> ApplyAsync(UseCaseContext context, UpdateChallengeRequest request, ChallengeState state,
        (ValidChallengeDraft Draft, bool IsRevision) decision, CancellationToken cancellationToken)
    {
        var (id, work, now) = (state.Id, context.Work, context.Now);
        if (decision.IsRevision && !await store.HasVersionsAsync(work, id, cancellationToken))
        {
            // Published before versions were kept (seeded or imported): keep the text vendors read so far as version 1.
            var original = await store.FindDetailAsync(work, id, cancellationToken);
            await store.AddVersionAsync(work, original!, null, null, original!.PublishedAt ?? now, cancellationToken);
        }

        var rowVersion = await store.UpdateTextAsync(work, id, request.ExpectedRowVersion!.Value, decision.Draft, now, cancellationToken);
        if (rowVersion is null)
        {
            return Error.Conflict(ChallengeMoveUseCase.StaleMessage);
        }

        if (!decision.IsRevision)
        {
            context.Audit(id, ChallengeActions.Edited, state.Status, state.Status);
            return new SavedChallenge(id, rowVersion.Value, null);
        }

        // The new text is read back inside the transaction so the version holds exactly what was stored.
        var detail = await store.FindDetailAsync(work, id, cancellationToken);
        var note = string.IsNullOrWhiteSpace(request.ChangeNote) ? null : request.ChangeNote.Trim();
        var version = await store.AddVersionAsync(work, detail!, request.ChangeNote, context.Person.UserId, now, cancellationToken);
        context.Audit(id, ChallengeActions.Revised, state.Status, state.Status, note is null ? $"Version {version}" : $"Version {version}: {note}");
        context.Notify(NotificationKinds.ChallengeRevised, id, decision.Draft.Title, note, Audience.FollowersOf(id));
        context.After(FollowUp.Rematch("challenge edited"));
        return new SavedChallenge(id, rowVersion.Value, version);
    }
}
