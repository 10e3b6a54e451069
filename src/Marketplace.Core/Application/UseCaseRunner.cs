using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Core.Application;

/// <summary>
/// Runs every use case the same way: one transaction, one clock reading (to the millisecond, which every engine
/// stores exactly), the use case's steps, then its audit entries and notifications, then commit, then the follow-up
/// work it asked for (<see cref="IFollowUpWork"/>). Any Error rolls
/// back and changes nothing; a write that lost a race to another request comes back as a Conflict to retry.
/// Pages, the API, the CLI and the background jobs all come through here, so this is also where every request's text
/// is checked for control characters and text-direction overrides (<see cref="TextSafety"/>).
/// </summary>
public sealed class UseCaseRunner(IUnitOfWorkFactory database, IAuditTrail audit, INotificationOutbox notifications, TimeProvider clock, IFollowUpWork followUps)
{
    public const string ConcurrentChangeMessage = "Someone else changed this at the same moment. Nothing was saved: reload and try again.";

    /// <summary>The time a run decides by: now, cut to whole milliseconds.</summary>
    public DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public async Task<Result<TResult>> RunAsync<TRequest, TResult>(IUseCase<TRequest, TResult> useCase, Actor? actor, TRequest request, CancellationToken cancellationToken)
    {
        // Control characters and text-direction overrides are refused in every text of every request, before anything runs.
        if (TextSafety.Check(request) is { } unsafeText)
        {
            return unsafeText;
        }

        await using var work = await database.BeginAsync(cancellationToken);
        var context = new UseCaseContext(work, actor, Now());
        try
        {
            var result = await useCase.ExecuteAsync(context, request, cancellationToken);
            if (!result.IsSuccess)
            {
                await work.RollbackAsync(cancellationToken);
                return result;
            }

            if (context.AuditEntries.Count > 0)
            {
                await audit.AppendAsync(work, context.AuditEntries, cancellationToken);
            }

            foreach (var notification in context.Notifications)
            {
                await notifications.AddAsync(work, notification, cancellationToken);
            }

            await work.CommitAsync(cancellationToken);
            if (context.FollowUps.Count > 0)
            {
                // After the commit, so a job never reads the state before the change it was asked for.
                followUps.Request(context.FollowUps);
            }

            return result;
        }
        catch (Exception exception) when (database.IsConcurrencyConflict(exception))
        {
            await work.RollbackAsync(CancellationToken.None);
            return Error.Conflict(ConcurrentChangeMessage);
        }
    }
}
