using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Awards;
using Marketplace.Core.Features.Reviews;
using Marketplace.Data.Application;
using Marketplace.Data.Matching;

namespace Marketplace.Data.Reviews;

/// <summary>A recorded award decision.</summary>
public sealed record AwardDecision
{
    public long ChallengeId { get; init; }
    public string Outcome { get; init; } = "";
    public string? Reason { get; init; }
    public int Quota { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
    public IReadOnlyList<AwardWinner> Winners { get; init; } = [];
}

/// <summary>A winning proposal (the award is a public record: the vendor's name and the position).</summary>
public sealed record AwardWinner
{
    public long ProposalId { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public int Position { get; init; }
    public int ProposalVersion { get; init; }
}

/// <summary>
/// The award decision tables (0010): written once, in the decision's transaction, never changed. Feedback is read
/// only for one proposal at a time (its vendor's, or the officer's) — never as a list for anyone else.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class AwardStore(DbConnectionFactory connections, MatchStore matches) : IAwardStore
{
    async Task<bool> IAwardStore.ExistsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>("SELECT COUNT(*) FROM award_decisions WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, cancellationToken) > 0;

    async Task IAwardStore.InsertAsync(IUnitOfWork work, long challengeId, AwardPlan plan, int quota, long userId, DateTimeOffset now,
        IReadOnlyList<ReviewedProposal> winnersInOrder, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync(
            "INSERT INTO award_decisions (challenge_id, outcome, reason, quota, decided_by, decided_at) VALUES (@ChallengeId, @Outcome, @Reason, @Quota, @UserId, @Now)",
            new { ChallengeId = challengeId, Outcome = plan.NoAward ? AwardOutcome.NotAwarded : AwardOutcome.Awarded, plan.Reason, Quota = quota, UserId = userId, Now = now },
            cancellationToken);
        var position = 0;
        foreach (var w in winnersInOrder)
        {
            await db.ExecuteAsync(
                "INSERT INTO award_winners (challenge_id, proposal_id, vendor_id, proposal_version, position) VALUES (@ChallengeId, @ProposalId, @VendorId, @Version, @Position)",
                new { ChallengeId = challengeId, w.ProposalId, w.VendorId, Version = w.CurrentVersion, Position = ++position }, cancellationToken);
        }

        foreach (var (proposalId, text) in plan.Feedback)
        {
            await db.ExecuteAsync(
                "INSERT INTO award_feedback (challenge_id, proposal_id, feedback, written_by, written_at) VALUES (@ChallengeId, @ProposalId, @Feedback, @UserId, @Now)",
                new { ChallengeId = challengeId, ProposalId = proposalId, Feedback = text, UserId = userId, Now = now }, cancellationToken);
        }
    }

    Task IAwardStore.RecordAwardedAsync(IUnitOfWork work, long challengeId, long vendorId, long userId, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return matches.RecordSignalAsync(db.Connection, db.Transaction, challengeId, vendorId, "awarded", userId, cancellationToken);
    }

    /// <summary>The decision with its winners (public once recorded), or null before it.</summary>
    public async Task<AwardDecision?> DecisionAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var decision = await connection.QuerySingleOrDefaultAsync<AwardDecision>(new CommandDefinition(
            "SELECT challenge_id AS ChallengeId, outcome AS Outcome, reason AS Reason, quota AS Quota, decided_at AS DecidedAt FROM award_decisions WHERE challenge_id = @ChallengeId",
            new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        if (decision is null)
        {
            return null;
        }

        var winners = await connection.QueryAsync<AwardWinner>(new CommandDefinition(
            """
            SELECT w.proposal_id AS ProposalId, w.vendor_id AS VendorId, o.name AS VendorName, o.name_en AS VendorNameEn, w.position AS Position, w.proposal_version AS ProposalVersion
            FROM award_winners w JOIN organisations o ON o.id = w.vendor_id
            WHERE w.challenge_id = @ChallengeId ORDER BY w.position
            """, new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        return decision with { Winners = winners.ToList() };
    }

    /// <summary>The feedback written to one proposal (the caller has checked who may read it).</summary>
    public async Task<string?> FeedbackAsync(long proposalId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT feedback FROM award_feedback WHERE proposal_id = @ProposalId", new { ProposalId = proposalId }, cancellationToken: cancellationToken));
    }
}
