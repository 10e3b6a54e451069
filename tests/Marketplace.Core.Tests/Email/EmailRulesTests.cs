using Marketplace.Core.Features.Email;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Tests.Email;

public sealed class EmailRulesTests
{
    [Fact]
    public void Backoff_DoublesFromTheBase_AndStopsAtTheCap()
    {
        var delays = Enumerable.Range(1, 8).Select(n => EmailBackoff.After(n, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1)).TotalSeconds);

        Assert.Equal([60, 120, 240, 480, 960, 1920, 3600, 3600], delays);
        Assert.Equal(TimeSpan.FromHours(1), EmailBackoff.After(500, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Preferences_DecideTheStatusOfANewMessage()
    {
        var off = new EmailPreferences(EmailMode.EachNotification, false, new HashSet<string> { NotificationKinds.ChallengeClosed });

        Assert.Equal(EmailStatus.Pending, EmailPreferences.Default.StatusFor(NotificationKinds.ChallengeClosed));
        Assert.Equal(EmailStatus.Suppressed, off.StatusFor(NotificationKinds.ChallengeClosed));
        Assert.Equal(EmailStatus.Pending, off.StatusFor(NotificationKinds.ChallengePublished));
        Assert.Equal(EmailStatus.Digest, (off with { Mode = EmailMode.Digest }).StatusFor(NotificationKinds.ChallengePublished));
        Assert.Equal(EmailStatus.Suppressed, (off with { Unsubscribed = true }).StatusFor(NotificationKinds.ChallengePublished));
    }

    [Fact]
    public void Template_EncodesNotificationText_AndCarriesAbsoluteLinks()
    {
        var links = new EmailLinks("https://m.example/challenges/7", "https://m.example/email/preferences", "https://m.example/email/unsubscribe/t0k");

        var mail = EmailTemplates.ForNotification("en", "Published: <script>alert(1)</script>", "A & B", links);

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("A &amp; B", mail.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://m.example/challenges/7\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains("https://m.example/email/unsubscribe/t0k", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", mail.Html.Replace("https://", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryNotificationKind_HasALabelInBothLanguages()
    {
        foreach (var kind in EmailKinds.Notifiable)
        {
            Assert.NotEqual(kind, EmailKinds.Label(kind, "en"));
            Assert.NotEqual(kind, EmailKinds.Label(kind, "zh-CN"));
            Assert.False(string.IsNullOrWhiteSpace(EmailKinds.Label(kind, "en")));
        }

        var declared = typeof(NotificationKinds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order();
        Assert.Equal(declared, EmailKinds.Notifiable.Order());
        Assert.Equal("已发布", EmailKinds.Label(NotificationKinds.ChallengePublished, "zh-CN"));
        Assert.Equal("Published", EmailKinds.Label(NotificationKinds.ChallengePublished, "en"));
    }
}
