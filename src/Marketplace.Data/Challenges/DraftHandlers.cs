using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Audit;
using Marketplace.Data.Notifications;

namespace Marketplace.Data.Challenges;

/// <summary>An enterprise member writes a new challenge; it starts as a draft nobody else sees.</summary>
public sealed class CreateChallengeDraftHandler(ChallengeLifecycleStore store, AuditLog audit, TimeProvider clock)
{
    /// <param name="enterpriseId">Which of the actor's enterprises posts it; may be omitted when they belong to one only.</param>
    public async Task<Result<long>> HandleAsync(Actor actor, ChallengeDraft draft, long? enterpriseId, CancellationToken cancellationToken)
    {
        if (!actor.IsEnterprise)
        {
            return Error.Forbidden("Only enterprise accounts post challenges.");
        }

        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        var enterprises = actor.OrganisationIds.Count == 0 ? [] : (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM organisations WHERE kind = 'enterprise' AND {store.Connections.Dialect.InList("id", "@Ids")} ORDER BY id",
            new { Ids = actor.OrganisationIds.ToList() }, cancellationToken: cancellationToken))).ToList();
        long owner;
        if (enterpriseId is { } chosen)
        {
            if (!enterprises.Contains(chosen))
            {
                return Error.Forbidden("You may post challenges only for an enterprise you belong to.");
            }

            owner = chosen;
        }
        else if (enterprises.Count == 0)
        {
            return Error.Forbidden("Your account does not belong to an enterprise.");
        }
        else
        {
            owner = enterprises[0];
        }

        var now = clock.GetUtcNow();
        var valid = ChallengeDraftRules.Validate(draft, now);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await store.InsertDraftAsync(connection, transaction, valid.Value!, owner, actor.UserId, cancellationToken);
        await audit.AppendAsync(connection, transaction, id, actor.UserId, ChallengeActions.Created, null, ChallengeStatus.Draft, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }
}

/// <summary>The result of saving a challenge's text: its new row version and, for a published one, the version number.</summary>
public sealed record SavedChallenge(long Id, int RowVersion, int? PublishedVersion);

/// <summary>
/// An enterprise member changes the text. Drafts (and returned challenges) change freely; a published, open challenge
/// gets a new version that is kept and announced to the vendors following it. Optimistic concurrency: the save names
/// the row version it was read at, and a stale one changes nothing and is told so.
/// </summary>
public sealed class UpdateChallengeHandler(ChallengeLifecycleStore store, ChallengeStore challenges, AuditLog audit, NotificationStore notifications, TimeProvider clock)
{
    public const string StaleMessage = "Someone else saved this challenge after you opened it. Your changes were not saved: reload the page to see the current text, then make your changes again.";

    public async Task<Result<SavedChallenge>> HandleAsync(Actor actor, long id, int? expectedRowVersion, ChallengeDraft draft, string? changeNote, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        var state = await store.LoadStateAsync(connection, null, id, cancellationToken);
        if (ChallengeAccess.AsOwner(state, actor, id) is { } denied)
        {
            return denied;
        }

        var mayEdit = ChallengeWorkflow.MayEdit(state!.Status, state.DeadlineAt, now);
        if (!mayEdit.IsSuccess)
        {
            return mayEdit.Error!;
        }

        if (expectedRowVersion is null)
        {
            return Error.Invalid("rowVersion", "rowVersion is required: send the rowVersion you read, so a concurrent change is not overwritten.");
        }

        var valid = ChallengeDraftRules.Validate(draft, now);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var isRevision = mayEdit.Value;
        if (changeNote is { Length: > ChallengeWorkflow.MaxReasonLength })
        {
            return Error.Invalid("changeNote", "The note on what changed must be at most 2000 characters.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (isRevision && !await store.HasVersionsAsync(connection, transaction, id, cancellationToken))
        {
            // Published before versions were kept (seeded or imported): keep the text vendors read so far as version 1.
            var original = await challenges.FindAsync(connection, transaction, id, cancellationToken);
            await store.AddVersionAsync(connection, transaction, original!, null, null, original!.PublishedAt ?? now, cancellationToken);
        }

        var rowVersion = await store.UpdateTextAsync(connection, transaction, id, expectedRowVersion.Value, valid.Value!, now, cancellationToken);
        if (rowVersion is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Error.Conflict(StaleMessage);
        }

        int? version = null;
        if (isRevision)
        {
            // The new text is read back inside the transaction so the version holds exactly what was stored.
            var detail = await challenges.FindAsync(connection, transaction, id, cancellationToken);
            version = await store.AddVersionAsync(connection, transaction, detail!, changeNote, actor.UserId, now, cancellationToken);
            await audit.AppendAsync(connection, transaction, id, actor.UserId, ChallengeActions.Revised, state.Status, state.Status,
                string.IsNullOrWhiteSpace(changeNote) ? $"Version {version}" : $"Version {version}: {changeNote.Trim()}", now, cancellationToken);
            var followers = await NotificationStore.FollowingVendorsAsync(connection, transaction, id, cancellationToken);
            await notifications.AddAsync(connection, transaction, followers, NotificationKinds.ChallengeRevised, id, valid.Value!.Title,
                string.IsNullOrWhiteSpace(changeNote) ? null : changeNote.Trim(), now, cancellationToken);
        }
        else
        {
            await audit.AppendAsync(connection, transaction, id, actor.UserId, ChallengeActions.Edited, state.Status, state.Status, null, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new SavedChallenge(id, rowVersion.Value, version);
    }
}
