using Marketplace.Data.Reminders;

namespace Marketplace.Data.Challenges;

/// <summary>
/// The lifecycle's time-triggered work, brought up to date: closes challenges whose deadline has passed and sends
/// the reminders now due. Every step is idempotent, so the pages call it lazily before they show a challenge (nothing
/// past its deadline is ever shown as open) and the CLI runs it on demand; the jobs issue schedules it.
/// </summary>
public sealed class LifecycleCatchUp(ChallengeCloser closer, DueReminders reminders, TimeProvider clock)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Closing first: a challenge past its deadline gets its "closed" notice, never a late "deadline near".
        await closer.CloseDueChallengesAsync(now, cancellationToken);
        await reminders.SendDueAsync(now, cancellationToken);
    }
}
