using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Email;
using Marketplace.Core.Notifications;
using Marketplace.Data.Application;
using Marketplace.Data.Email;
using Marketplace.Testing;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Email;

/// <summary>The app with a real SMTP server (aiosmtpd) behind Smtp:Host and a configured base URL for links.</summary>
public sealed class EmailMarketplaceFactory : MarketplaceFactory
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Smtp = await SmtpTestServer.StartNewAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:Security", "none");
        builder.UseSetting("Marketplace:BaseUrl", "https://marketplace.example");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<long> UserIdAsync(string email)
    {
        _ = Services; // the app migrates and seeds when it starts: a test that begins here must not find an empty file
        await using var connection = await Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE normalized_email = @Email", new { Email = email.ToUpperInvariant() });
    }

    /// <summary>Writes a notification the way every use case does (through the runner's outbox, in a transaction).</summary>
    public async Task NotifyAsync(string kind, string title, params long[] userIds)
    {
        await using var work = await DbUnitOfWork.BeginAsync(Database.Connections, CancellationToken.None);
        await Get<INotificationOutbox>().AddAsync(work, new NotificationRecord(kind, null, title, null, [Audience.Users(userIds)], Clock.GetUtcNow()), CancellationToken.None);
        await work.CommitAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<(long Id, string Status, long UserId)>> OutboxAsync()
    {
        await using var connection = await Database.Connections.OpenAsync();
        return (await connection.QueryAsync<(long Id, string Status, long UserId)>(
            "SELECT id AS Id, status AS Status, recipient_user_id AS UserId FROM email_outbox ORDER BY id")).AsList();
    }
}

/// <summary>Preferences, one-click unsubscribe and the administrators' outbox, through HTTP with the real pipeline.</summary>
public sealed class EmailPagesTests(EmailMarketplaceFactory factory) : IClassFixture<EmailMarketplaceFactory>
{
    [Fact]
    public async Task UnsubscribeLinkFromAMail_WorksWithoutSigningIn_AndStopsFurtherMail()
    {
        var user = await factory.UserIdAsync("reviewer2@test.example");
        await factory.NotifyAsync(NotificationKinds.ReviewAssigned, "Unsubscribe test", user);
        var before = factory.Smtp.Messages().Count;
        await factory.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);
        var mail = (await factory.Smtp.WaitForAsync(before + 1)).Single(m => (m.Subject ?? "").Contains("Unsubscribe test", StringComparison.Ordinal));
        var link = new Uri((mail.Headers["List-Unsubscribe"] ?? "").Trim('<', '>'));
        Assert.Equal("marketplace.example", link.Host);

        var anonymous = factory.CreateBrowserClient();
        var (status, html) = await anonymous.GetPageAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"unsubscribe-form\"", html, StringComparison.Ordinal);

        // RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" with no page and no antiforgery token.
        using var oneClick = await anonymous.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Contains("data-testid=\"unsubscribed\"", await oneClick.ReadHtmlAsync(), StringComparison.Ordinal);

        await factory.NotifyAsync(NotificationKinds.ReviewAssigned, "After unsubscribing", user);
        Assert.Equal(EmailStatus.Suppressed, (await factory.OutboxAsync()).Last(r => r.UserId == user).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetPageAsync("/email/unsubscribe/not-a-token")).Status);
    }

    [Fact]
    public async Task Preferences_SignedInUserSwitchesToDigestAndTurnsAKindOff()
    {
        var client = await factory.SignedInBrowserAsync("reviewer3@test.example");
        var (status, html) = await client.GetPageAsync("/email/preferences");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("reviewer3@test.example", html, StringComparison.Ordinal);

        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", AccountTestKit.AntiforgeryToken(html)),
            new("mode", EmailMode.Digest),
            new("allEmail", "true"),
        };
        fields.AddRange(EmailKinds.Notifiable.Where(k => k != NotificationKinds.ReviewAssigned).Select(k => new KeyValuePair<string, string>("kinds", k)));
        using var saved = await client.PostAsync("/email/preferences", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var user = await factory.UserIdAsync("reviewer3@test.example");
        await factory.NotifyAsync(NotificationKinds.ReviewAssigned, "Turned off", user);
        await factory.NotifyAsync(NotificationKinds.ReviewConcluded, "Digest me", user);
        var rows = (await factory.OutboxAsync()).Where(r => r.UserId == user).Select(r => r.Status).ToList();
        Assert.Equal([EmailStatus.Suppressed, EmailStatus.Digest], rows);

        var (_, page) = await client.GetPageAsync("/email/preferences");
        Assert.Contains($"value=\"{EmailMode.Digest}\" checked", page, StringComparison.Ordinal);

        using var bad = await client.PostFormAsync("/email/preferences", "/email/preferences", new Dictionary<string, string> { ["mode"] = "hourly", ["allEmail"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await factory.CreateBrowserClient().GetAsync("/email/preferences")).StatusCode);
    }

    [Fact]
    public async Task AdminPage_ListsDeadLetters_AndRetrySendsThemOnce()
    {
        var user = await factory.UserIdAsync("reviewer@test.example");
        await factory.NotifyAsync(NotificationKinds.ReviewAssigned, "Dead letter test", user);
        var id = (await factory.OutboxAsync()).Last(r => r.UserId == user).Id;
        // The dispatcher's way to a dead letter is covered against a stopped SMTP server in Data.Tests; here it is set up directly.
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE email_outbox SET status = 'dead', attempts = 5, last_error = 'SocketException: Connection refused' WHERE id = @Id", new { Id = id });
        }

        var admin = await factory.SignedInBrowserAsync("admin@test.example");
        // With an SMTP server configured the dashboard does not ask for one, and it points at the dead letter.
        var dashboard = await admin.GetStringAsync("/dashboard");
        Assert.DoesNotContain("data-testid=\"smtp-not-configured\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"dead-letters\"", dashboard, StringComparison.Ordinal);
        var (status, html) = await admin.GetPageAsync("/admin/email");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("SocketException: Connection refused", html, StringComparison.Ordinal);

        using var retried = await admin.PostFormAsync("/admin/email", $"/admin/email/{id}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal(EmailStatus.Pending, (await factory.OutboxAsync()).Single(r => r.Id == id).Status);
        using var again = await admin.PostFormAsync("/admin/email", $"/admin/email/{id}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await factory.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);
        await factory.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);
        Assert.Single(factory.Smtp.Messages(), m => (m.Subject ?? "").Contains("Dead letter test", StringComparison.Ordinal));
        Assert.Equal(EmailStatus.Sent, (await factory.OutboxAsync()).Single(r => r.Id == id).Status);
    }

    [Fact]
    public async Task AdminOutbox_IsForAdministratorsOnly_OnPagesAndInTheApi()
    {
        using var anonymousPage = await factory.CreateBrowserClient().GetAsync("/admin/email");
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.Contains("/account/signin", anonymousPage.Headers.Location!.ToString(), StringComparison.Ordinal);
        var vendor = await factory.SignedInBrowserAsync("vendor@test.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetPageAsync("/admin/email")).Status);

        using var anonymousApi = await (await factory.ApiClientAsync(null)).GetAsync("/api/v1/admin/email");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousApi.StatusCode);
        Assert.Equal("application/problem+json", anonymousApi.Content.Headers.ContentType?.MediaType);
        var officerApi = await factory.ApiClientAsync("officer@test.example");
        using var forbidden = await officerApi.GetAsync("/api/v1/admin/email");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        using var forbiddenRetry = await officerApi.PostAsync("/api/v1/admin/email/1/retry", null);
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenRetry.StatusCode);

        var adminApi = await factory.ApiClientAsync("admin@test.example");
        var overview = await adminApi.GetFromJsonAsync<JsonElement>("/api/v1/admin/email");
        Assert.Equal(EmailStatus.All, overview.GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("status").GetString()));
        using var missing = await adminApi.PostAsync("/api/v1/admin/email/999999/retry", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var user = await factory.UserIdAsync("enterprise@test.example");
        await factory.NotifyAsync(NotificationKinds.ChallengePublished, "API retry", user);
        var id = (await factory.OutboxAsync()).Last(r => r.UserId == user).Id;
        using var notDead = await adminApi.PostAsync($"/api/v1/admin/email/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, notDead.StatusCode);
    }
}
