using System.Globalization;
using Marketplace.Core.Application;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Notifications;

/// <summary>A challenge published recently that the matcher ranks among a vendor's top suggestions.</summary>
public sealed record DigestEntry
{
    public long VendorId { get; init; }
    public long ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public double Score { get; init; }
}

/// <summary>What the weekly digest reads.</summary>
public interface IDigestStore
{
    /// <summary>Published challenges (published after <paramref name="since"/>, so weekly runs never overlap) in the stored suggestions of each vendor, best first.</summary>
    Task<IReadOnlyList<DigestEntry>> RecommendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>
/// The weekly digest: to the members of each vendor organisation, the challenges published in the last seven days
/// that the matcher put among that vendor's suggestions (at most <see cref="MaxPerVendor"/>, best first). A vendor
/// with none gets nothing. Once per vendor and ISO week (Beijing calendar), through <see cref="SendReminder"/>'s
/// record, so running it twice, or from the job and the CLI at once, sends one digest.
/// </summary>
public sealed class WeeklyDigest(IDigestStore store, SendReminder send, UseCaseRunner runner)
{
    public const int MaxPerVendor = 10;

    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Sends the digests due this week; returns how many vendors got one now.</summary>
    public async Task<int> SendAsync(CancellationToken cancellationToken = default)
    {
        var now = runner.Now();
        var local = TimeZoneInfo.ConvertTime(now, Beijing).DateTime;
        var week = $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}";
        var sent = 0;
        foreach (var vendor in (await store.RecommendedSinceAsync(now.AddDays(-7), cancellationToken)).GroupBy(e => e.VendorId))
        {
            var entries = vendor.OrderByDescending(e => e.Score).ThenBy(e => e.ChallengeId).Take(MaxPerVendor).ToList();
            var list = string.Join("\n", entries.Select(e => $"· {e.Title}"));
            var reminder = new Reminder(NotificationKinds.WeeklyDigest, $"vendor:{vendor.Key}:{week}", null,
                entries.Count.ToString(CultureInfo.InvariantCulture), list, list, [Audience.MembersOf(vendor.Key)]);
            if ((await runner.RunAsync(send, null, reminder, cancellationToken)).IsSuccess)
            {
                sent++;
            }
        }

        return sent;
    }
}
