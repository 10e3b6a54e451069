using System.CommandLine;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>`marketplace notifications remind` and `weekly-digest`: the CLI twins of the reminder part of the lifecycle-clock job and of the weekly-digest job (idempotent).</summary>
public static class NotificationCommands
{
    public static Command Create(GlobalOptions global)
    {
        var hours = new Option<int>("--deadline-hours")
        {
            Description = "Remind vendors this many hours before a challenge's deadline.",
            DefaultValueFactory = _ => new ReminderSettings().DeadlineNearHours,
        };
        var days = new Option<int>("--milestone-days")
        {
            Description = "Remind both parties of a delivery project this many days before a milestone is due.",
            DefaultValueFactory = _ => new ReminderSettings().MilestoneDueDays,
        };
        var reviewHours = new Option<int>("--review-hours")
        {
            Description = "Remind reviewers this many hours before their scores are due (and once more when overdue).",
            DefaultValueFactory = _ => new ReminderSettings().ReviewDueHours,
        };
        var remind = new Command("remind", "Send every reminder now due (a challenge's deadline is near, a delivery milestone is due, a reviewer's scores are due). Each one goes out once, however often this runs.") { hours, days, reviewHours };
        remind.SetAction(async (parseResult, cancellationToken) =>
        {
            var deadlineHours = parseResult.GetValue(hours);
            if (deadlineHours is < 1 or > 24 * 60)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: --deadline-hours must be between 1 and 1440.");
                return 2;
            }

            var milestoneDays = parseResult.GetValue(days);
            if (milestoneDays is < 0 or > 365)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: --milestone-days must be between 0 and 365.");
                return 2;
            }

            var reviewDueHours = parseResult.GetValue(reviewHours);
            if (reviewDueHours is < 0 or > 24 * 60)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: --review-hours must be between 0 and 1440.");
                return 2;
            }

            await using var services = global.BuildServices(parseResult);
            var reminders = new DueReminders(services.GetRequiredService<IReminderStore>(), services.GetRequiredService<SendReminder>(),
                services.GetRequiredService<UseCaseRunner>(),
                new ReminderSettings { DeadlineNearHours = deadlineHours, MilestoneDueDays = milestoneDays, ReviewDueHours = reviewDueHours });
            var sent = await reminders.SendDueAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(sent == 0 ? "No reminder is due." : $"{sent} reminder(s) sent.");
            return 0;
        });
        var digest = new Command("weekly-digest", "Send each vendor its weekly digest of new challenges recommended for it (once per vendor and week, however often this runs).");
        digest.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var sent = await services.GetRequiredService<WeeklyDigest>().SendAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(sent == 0 ? "No digest is due." : $"{sent} digest(s) sent.");
            return 0;
        });
        return new Command("notifications", "Notification commands.") { remind, digest };
    }
}
