namespace Marketplace.Core.Application;

/// <summary>
/// Work a use case asks for once its transaction has committed, done in the background (the matcher's refresh after
/// a publish, later the automatic reviewer assignment after a close). A request names what to do, never how: Core
/// does not know the scheduler. The runner hands the requests of a committed run to <see cref="IFollowUpWork"/>;
/// a rolled-back run asks for nothing.
/// </summary>
public sealed record FollowUp(string Kind, string Reason, long? SubjectId = null)
{
    /// <summary>Bring the matcher's index and stored suggestions up to date (a challenge or a vendor profile changed).</summary>
    public const string RematchKind = "rematch";

    /// <summary>A challenge reached its deadline and closed (the automatic reviewer assignment hooks here after the merge).</summary>
    public const string ChallengeClosedKind = "challenge_closed";

    public static FollowUp Rematch(string reason) => new(RematchKind, reason);

    public static FollowUp ChallengeClosed(long challengeId) => new(ChallengeClosedKind, "challenge closed", challengeId);
}

/// <summary>
/// Takes the follow-up work of a committed use case. The jobs project implements it by enqueueing background jobs;
/// an implementation must not throw (the change is already committed): it logs, and the recurring jobs are the
/// safety net that catches up with anything a lost request missed.
/// </summary>
public interface IFollowUpWork
{
    void Request(IReadOnlyList<FollowUp> work);
}

/// <summary>No background work (the CLI, tests of Core and Data, an app with Jobs:Enabled=false): the requests are dropped.</summary>
public sealed class NoFollowUpWork : IFollowUpWork
{
    public void Request(IReadOnlyList<FollowUp> work)
    {
    }
}
