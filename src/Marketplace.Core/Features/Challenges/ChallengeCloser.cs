using Marketplace.Core.Application;

namespace Marketplace.Core.Features.Challenges;

/// <summary>
/// Closes every published challenge whose deadline has passed, each in its own transaction through
/// <see cref="CloseChallenge"/>. Idempotent: a challenge closed meanwhile is skipped. Time-driven work like this never
/// runs on a page view: the scheduler and `marketplace challenges close-due` run it.
/// </summary>
public sealed class ChallengeCloser(IChallengeLifecycleStore store, CloseChallenge close, UseCaseRunner runner)
{
    public async Task<int> CloseDueChallengesAsync(CancellationToken cancellationToken = default)
    {
        var closed = 0;
        foreach (var id in await store.DueForClosingAsync(runner.Now(), cancellationToken))
        {
            if ((await runner.RunAsync(close, null, new ChallengeMove(id), cancellationToken)).IsSuccess)
            {
                closed++;
            }
        }

        return closed;
    }
}
