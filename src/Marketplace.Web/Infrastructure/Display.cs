using System.Globalization;
using Marketplace.Core.Challenges;

namespace Marketplace.Web.Infrastructure;

/// <summary>Formats domain values for the current interface language (zh-CN or en).</summary>
public static class Display
{
    /// <summary>China Standard Time: what a page shows before the browser's script converts to the viewer's own zone.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    public static string Industry(string? slug) =>
        Industries.Find(slug) is { } industry ? (Chinese ? industry.NameZh : industry.NameEn) : slug ?? "";

    public static string Tag(string slug) =>
        Tags.Find(slug) is { } tag ? (Chinese ? tag.NameZh : tag.NameEn) : slug;

    /// <summary>An organisation's name in the interface language: its English name on English pages, where it gave one.</summary>
    public static string Name(string name, string? nameEn) =>
        Chinese || string.IsNullOrWhiteSpace(nameEn) ? name : nameEn;

    public static string Language(string code) => code switch
    {
        "zh" => Chinese ? "中文" : "Chinese",
        "en" => Chinese ? "英文" : "English",
        _ => code,
    };

    public static string Money(decimal? amount, string currency)
    {
        if (amount is null)
        {
            return Chinese ? "面议" : "Negotiable";
        }

        if (Chinese && currency == "CNY" && amount >= 10_000m)
        {
            return (amount.Value / 10_000m).ToString("#,0.##", CultureInfo.InvariantCulture) + " 万元";
        }

        return currency + " " + amount.Value.ToString("#,0", CultureInfo.InvariantCulture);
    }

    /// <summary>Machine-readable UTC time for the &lt;time datetime&gt; attribute.</summary>
    public static string IsoUtc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The time in China Standard Time, which the page's script replaces with the viewer's local time.</summary>
    public static string DateTime(DateTimeOffset time) =>
        time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC+8)";

    public static string Date(DateTimeOffset time) =>
        time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"12 days left" / "closed 3 days ago", relative to now.</summary>
    public static string DeadlineDistance(DateTimeOffset deadline, DateTimeOffset now)
    {
        var days = (int)Math.Floor((deadline - now).TotalDays);
        if (deadline <= now)
        {
            var ago = (int)Math.Floor((now - deadline).TotalDays);
            return Chinese ? (ago == 0 ? "今日截止" : $"已截止 {ago} 天") : (ago == 0 ? "closed today" : $"closed {ago} days ago");
        }

        return Chinese ? (days == 0 ? "今日截止" : $"剩余 {days} 天") : (days == 0 ? "closes today" : $"{days} days left");
    }

    public static string StatusName(string status) => (status, Chinese) switch
    {
        (ChallengeStatus.Published, true) => "征集中",
        (ChallengeStatus.Published, false) => "Open",
        (ChallengeStatus.Closed, true) => "已截止",
        (ChallengeStatus.Closed, false) => "Closed",
        (ChallengeStatus.UnderReview, true) => "评审中",
        (ChallengeStatus.UnderReview, false) => "Under review",
        (ChallengeStatus.Awarded, true) => "已揭榜",
        (ChallengeStatus.Awarded, false) => "Awarded",
        (ChallengeStatus.NotAwarded, true) => "未揭榜",
        (ChallengeStatus.NotAwarded, false) => "Not awarded",
        (ChallengeStatus.InDelivery, true) => "实施中",
        (ChallengeStatus.InDelivery, false) => "In delivery",
        (ChallengeStatus.Completed, true) => "已完成",
        (ChallengeStatus.Completed, false) => "Completed",
        (ChallengeStatus.Failed, true) => "失败备案",
        (ChallengeStatus.Failed, false) => "Failed (filed)",
        _ => status,
    };

    public static string StatusBadge(string status) => status switch
    {
        ChallengeStatus.Published => "text-bg-success",
        ChallengeStatus.Closed or ChallengeStatus.UnderReview => "text-bg-secondary",
        ChallengeStatus.Awarded or ChallengeStatus.InDelivery or ChallengeStatus.Completed => "text-bg-primary",
        ChallengeStatus.Failed or ChallengeStatus.NotAwarded => "text-bg-warning",
        _ => "text-bg-light",
    };
}
