using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Challenges;
using Marketplace.Data.Notifications;

namespace Marketplace.Data.Clarifications;

/// <summary>
/// A vendor asks a question on a published challenge that is still open (and, if confidential, whose NDA their
/// organisation accepted). The enterprise's members are notified without being told who asked.
/// </summary>
public sealed class AskQuestionHandler(ChallengeLifecycleStore store, NotificationStore notifications, TimeProvider clock)
{
    public const int MaxQuestionLength = 2000;

    public async Task<Result<long>> HandleAsync(Actor actor, long challengeId, string? question, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        var state = await store.LoadStateAsync(connection, null, challengeId, cancellationToken);
        if (state is null || !(ChallengeAccess.IsPubliclyVisible(state.Status) || actor.IsProgrammeStaff || actor.BelongsTo(state.EnterpriseId)))
        {
            return ChallengeAccess.NotFound(challengeId);
        }

        if (!actor.IsVendor)
        {
            return Error.Forbidden("Only vendors ask clarification questions.");
        }

        var vendorOrganisation = actor.OrganisationIds.Count == 0 ? null : await connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(
            $"SELECT id FROM organisations WHERE kind = 'vendor' AND {store.Connections.Dialect.InList("id", "@Ids")} ORDER BY id",
            new { Ids = actor.OrganisationIds.ToList() }, cancellationToken: cancellationToken));
        if (vendorOrganisation is null)
        {
            return Error.Forbidden("Your account does not belong to a vendor organisation.");
        }

        if (!ChallengeWorkflow.IsOpen(state.Status, state.DeadlineAt, now))
        {
            return Error.Conflict("Questions can be asked only while the challenge is open for proposals.");
        }

        if (state.Visibility == "confidential" && !await store.HasAcceptedNdaAsync(challengeId, [vendorOrganisation.Value], cancellationToken))
        {
            return Error.Forbidden("Accept the challenge's NDA terms before asking about it.");
        }

        if (string.IsNullOrWhiteSpace(question))
        {
            return Error.Invalid("question", "Write your question.");
        }

        if (question.Trim().Length > MaxQuestionLength)
        {
            return Error.Invalid("question", "The question must be at most 2000 characters.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            store.Connections.Dialect.InsertReturningId("challenge_questions", "challenge_id, asked_by_user_id, asked_by_organisation, question, asked_at",
                "@ChallengeId, @UserId, @OrganisationId, @Question, @Now"),
            new { ChallengeId = challengeId, actor.UserId, OrganisationId = vendorOrganisation, Question = question.Trim(), Now = now }, transaction, cancellationToken: cancellationToken));
        await notifications.AddAsync(connection, transaction, await NotificationStore.EnterpriseMembersAsync(connection, transaction, challengeId, cancellationToken),
            NotificationKinds.QuestionAsked, challengeId, state.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }
}

/// <summary>
/// The enterprise or an officer answers a question; the answer is published to every viewer of the challenge (the
/// asker stays anonymous) and every vendor following the challenge is notified.
/// </summary>
public sealed class AnswerQuestionHandler(ChallengeLifecycleStore store, ClarificationStore questions, NotificationStore notifications, TimeProvider clock)
{
    public const int MaxAnswerLength = 4000;

    public async Task<Result<long>> HandleAsync(Actor actor, long questionId, string? answer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var question = await questions.FindAsync(questionId, cancellationToken);
        if (question is null)
        {
            return Error.NotFound($"There is no question {questionId}.");
        }

        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        var state = await store.LoadStateAsync(connection, null, question.ChallengeId, cancellationToken);
        var answersFor = actor.IsProgrammeStaff || (actor.IsEnterprise && actor.BelongsTo(state!.EnterpriseId));
        if (!answersFor)
        {
            // The asking vendor knows the question exists; anyone else is not told it does.
            return actor.BelongsTo(question.AskedByOrganisation) || ChallengeAccess.IsPubliclyVisible(state!.Status)
                ? Error.Forbidden("Only the enterprise that posted the challenge or the programme office answers questions.")
                : Error.NotFound($"There is no question {questionId}.");
        }

        if (question.Answer is not null)
        {
            return Error.Conflict("This question has already been answered.");
        }

        if (state!.Status != ChallengeStatus.Published)
        {
            return Error.Conflict("Questions can be answered only while the challenge is published.");
        }

        if (string.IsNullOrWhiteSpace(answer))
        {
            return Error.Invalid("answer", "Write the answer.");
        }

        if (answer.Trim().Length > MaxAnswerLength)
        {
            return Error.Invalid("answer", "The answer must be at most 4000 characters.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE challenge_questions SET answer = @Answer, answered_by_user_id = @UserId, answered_at = @Now WHERE id = @Id AND answer IS NULL",
            new { Id = questionId, Answer = answer.Trim(), actor.UserId, Now = now }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Error.Conflict("This question has already been answered.");
        }

        await notifications.AddAsync(connection, transaction, await NotificationStore.FollowingVendorsAsync(connection, transaction, question.ChallengeId, cancellationToken),
            NotificationKinds.QuestionAnswered, question.ChallengeId, state.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return question.ChallengeId;
    }
}
