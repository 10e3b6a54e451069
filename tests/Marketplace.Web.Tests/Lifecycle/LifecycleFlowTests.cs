using System.Net;
using System.Net.Http.Json;
using Marketplace.Core.Features.Notifications;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Lifecycle;

/// <summary>
/// The whole lifecycle through HTTP, once with the pages and once with the API, each on its own application (the
/// tests move its clock past the deadline): draft → submit → flagged by the negative list → published with an
/// override → a vendor asks → the enterprise answers → every vendor sees the answer, the asker anonymous → the
/// deadline passes → with no proposal it ends without an award ("no proposals") → the enterprise re-opens it with a new
/// deadline, with notifications along the way.
/// </summary>
public sealed class LifecycleFlowTests
{
    private const string FlaggedScenario = "Cameras at the welding cells also run 情绪识别 on every 员工 to spot fatigue and stress.";

    [Fact]
    public async Task ThroughThePages_ChallengeGoesFromDraftToClosed_AndReopensWithoutProposals()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var enterprise = await factory.SignedInBrowserAsync(Enterprise);

        // Draft and submit.
        using (var created = await enterprise.PostFormAsync("/my/challenges/new", ChallengeForm(factory.Clock.GetUtcNow(), scenario: FlaggedScenario)))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        var mine = await enterprise.GetHtmlAsync("/my/challenges");
        Assert.Contains("The draft is saved.", mine, StringComparison.Ordinal);
        var id = await NewestOfMineAsync(enterprise);
        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignedInBrowserAsync(Vendor)).GetAsync($"/challenges/{id}")).StatusCode);
        using (var submitted = await enterprise.PostFormAsync($"/my/challenges/{id}/submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        // Screening: the officer sees it in the queue with its negative-list flag; publishing needs an override reason.
        var officer = await factory.SignedInBrowserAsync(Officer);
        Assert.Contains($"data-challenge-id=\"{id}\"", await officer.GetHtmlAsync("/screening"), StringComparison.Ordinal);
        var review = await officer.GetHtmlAsync($"/screening/challenges/{id}");
        Assert.Contains("Emotion recognition used to monitor employees", review, StringComparison.Ordinal);
        Assert.Contains("<mark>情绪识别</mark>", review, StringComparison.Ordinal);
        using (var refused = await officer.PostFormAsync($"/screening/challenges/{id}/publish"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("give an override reason", await refused.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        using (var published = await officer.PostFormAsync($"/screening/challenges/{id}/publish", new Dictionary<string, string> { ["overrideReason"] = "Fatigue alerts only, works council agreed; no emotion scores are stored." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        }

        var audit = await officer.GetHtmlAsync($"/screening/challenges/{id}");
        Assert.Contains("Fatigue alerts only, works council agreed", audit, StringComparison.Ordinal);
        Assert.Contains("Olivia Officer", audit, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"unread-count\">", await enterprise.GetHtmlAsync("/"), StringComparison.Ordinal);
        Assert.Contains("Published", await enterprise.GetHtmlAsync("/notifications"), StringComparison.Ordinal);
        Assert.Contains("href=\"/screening\"", await officer.GetHtmlAsync("/"), StringComparison.Ordinal);

        // Clarification: the vendor asks; the enterprise sees the question without the asker and answers it.
        var vendor = await factory.SignedInBrowserAsync(Vendor);
        using (var asked = await vendor.PostFormAsync($"/challenges/{id}/questions", new Dictionary<string, string> { ["question"] = "Can we get 200 labelled seam images before the deadline?" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        }

        var otherVendor = await factory.SignedInBrowserAsync(OtherVendor);
        Assert.DoesNotContain("Can we get 200 labelled", await otherVendor.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);
        var enterpriseView = await enterprise.GetHtmlAsync($"/challenges/{id}");
        Assert.Contains("Can we get 200 labelled seam images", enterpriseView, StringComparison.Ordinal);
        Assert.All(VendorNames, name => Assert.DoesNotContain(name, enterpriseView, StringComparison.Ordinal));
        var questionId = System.Text.RegularExpressions.Regex.Match(enterpriseView, "data-question-id=\"(\\d+)\"").Groups[1].Value;
        using (var answered = await enterprise.PostFormAsync($"/questions/{questionId}/answer", new Dictionary<string, string> { ["answer"] = "Yes: 200 labelled images are on our share from Monday.", ["challengeId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        var seenByOther = await otherVendor.GetHtmlAsync($"/challenges/{id}");
        Assert.Contains("Can we get 200 labelled seam images", seenByOther, StringComparison.Ordinal);
        Assert.Contains("Yes: 200 labelled images are on our share from Monday.", seenByOther, StringComparison.Ordinal);
        Assert.All(VendorNames, name => Assert.DoesNotContain(name, seenByOther, StringComparison.Ordinal));
        Assert.Contains("asked by your organisation", await vendor.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);
        Assert.Contains("Question answered", await vendor.GetHtmlAsync("/notifications"), StringComparison.Ordinal);

        // The deadline passes: the challenge closes (by the scheduler's work) and everyone involved is told.
        factory.Clock.Advance(TimeSpan.FromDays(31));
        // The scheduler closes it (pages never write); here the test runs the same work at the moment it chooses.
        await factory.Services.GetRequiredService<LifecycleClockWork>().RunAsync(CancellationToken.None);
        enterprise = await factory.SignedInBrowserAsync(Enterprise);
        var afterDeadline = await enterprise.GetHtmlAsync("/my/challenges");
        Assert.Contains("Not awarded", afterDeadline, StringComparison.Ordinal);
        Assert.Contains("No proposals arrived by the deadline.", afterDeadline, StringComparison.Ordinal);
        Assert.Contains($"/my/challenges/{id}/reopen", afterDeadline, StringComparison.Ordinal);
        Assert.Contains("No proposals: Weld-seam defect detection", await enterprise.GetHtmlAsync("/notifications"), StringComparison.Ordinal);
        vendor = await factory.SignedInBrowserAsync(Vendor);
        Assert.Contains("Closed: Weld-seam defect detection", await vendor.GetHtmlAsync("/notifications"), StringComparison.Ordinal);
        using (var late = await vendor.PostFormAsync($"/challenges/{id}/questions", new Dictionary<string, string> { ["question"] = "One more?" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Contains("only while the challenge is open", await late.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        // The enterprise re-opens it from its list: a deadline it cannot use is a form error, a good one opens it again.
        using (var past = await enterprise.PostFormAsync($"/my/challenges/{id}/reopen", new Dictionary<string, string> { ["deadlineLocal"] = "2020-01-01T10:00" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
            Assert.Contains("The deadline must be in the future.", await past.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        var newDeadline = factory.Clock.GetUtcNow().AddDays(20).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        using (var reopened = await enterprise.PostFormAsync($"/my/challenges/{id}/reopen", new Dictionary<string, string> { ["deadlineLocal"] = newDeadline }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        }

        Assert.Contains("is open for proposals again", await enterprise.GetHtmlAsync("/my/challenges"), StringComparison.Ordinal);
        Assert.Contains("Open again: Weld-seam defect detection", await vendor.GetHtmlAsync("/notifications"), StringComparison.Ordinal);
        using (var again = await vendor.PostFormAsync($"/challenges/{id}/questions", new Dictionary<string, string> { ["question"] = "Is the line the same as before?" }))
        {
            Assert.True(again.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"Asking after re-opening answered {again.StatusCode}.");
        }
    }

    [Fact]
    public async Task ThroughTheApi_ChallengeGoesFromDraftToClosed_AndReopensWithoutProposals()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var enterprise = await factory.ApiClientAsync(Enterprise);
        var officer = await factory.ApiClientAsync(Officer);
        var vendor = await factory.ApiClientAsync(Vendor);
        var otherVendor = await factory.ApiClientAsync(OtherVendor);

        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), scenario: "Drivers' faces are analysed for 情绪识别 of each 员工 during deliveries."));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal("draft", (await created.JsonAsync()).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { rowVersion = 1 })).StatusCode);
        var queue = await (await officer.GetAsync("/api/v1/screening/challenges")).JsonAsync();
        Assert.Contains(queue.EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);
        var screening = await (await officer.GetAsync($"/api/v1/challenges/{id}/screening")).JsonAsync();
        Assert.NotEmpty(screening.GetProperty("flags").EnumerateArray());

        using var refused = await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/publish", new { });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("overrideReason", out _));

        using var published = await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/publish", new { overrideReason = "Safety use agreed with the drivers' union." });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("published", (await published.JsonAsync()).GetProperty("to").GetString());
        using var again = await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/publish", new { overrideReason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        using var asked = await vendor.PostAsJsonAsync($"/api/v1/challenges/{id}/questions", new { question = "Which telematics box do the trucks use?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var questionId = (await asked.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Empty((await (await otherVendor.GetAsync($"/api/v1/challenges/{id}/questions")).JsonAsync()).EnumerateArray());

        var forEnterprise = await enterprise.GetStringAsync($"/api/v1/challenges/{id}/questions");
        Assert.Contains("Which telematics box", forEnterprise, StringComparison.Ordinal);
        Assert.All(VendorNames, name => Assert.DoesNotContain(name, forEnterprise, StringComparison.Ordinal));
        Assert.DoesNotContain("organisation", forEnterprise, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.NoContent, (await enterprise.PostAsJsonAsync($"/api/v1/questions/{questionId}/answer", new { answer = "Teltonika FMB920." })).StatusCode);
        var seen = (await (await otherVendor.GetAsync($"/api/v1/challenges/{id}/questions")).JsonAsync()).EnumerateArray().Single();
        Assert.Equal("Teltonika FMB920.", seen.GetProperty("answer").GetString());
        Assert.False(seen.GetProperty("askedByMe").GetBoolean());
        Assert.True((await (await vendor.GetAsync($"/api/v1/challenges/{id}/questions")).JsonAsync()).EnumerateArray().Single().GetProperty("askedByMe").GetBoolean());

        var vendorNotifications = await vendor.GetAsync("/api/v1/notifications");
        Assert.Equal("1", vendorNotifications.Headers.GetValues("X-Unread-Count").Single());
        Assert.Equal("question_answered", (await vendorNotifications.JsonAsync()).GetProperty("items")[0].GetProperty("kind").GetString());

        factory.Clock.Advance(TimeSpan.FromDays(31));
        // The scheduler closes it (pages never write); here the test runs the same work at the moment it chooses.
        await factory.Services.GetRequiredService<LifecycleClockWork>().RunAsync(CancellationToken.None);
        enterprise = await factory.ApiClientAsync(Enterprise);
        var mine = await (await enterprise.GetAsync("/api/v1/my/challenges")).JsonAsync();
        Assert.Equal("not_awarded", mine.EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == id).GetProperty("status").GetString());
        var kinds = (await (await enterprise.GetAsync("/api/v1/notifications")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("challengeId").GetInt64() == id).Select(n => n.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["challenge_closed_without_proposals", "question_asked", "challenge_published"], kinds);

        // Re-opening: bad input is a problem and changes nothing; another enterprise cannot; the owner can.
        using (var noDeadline = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/reopen", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noDeadline.StatusCode);
            Assert.True((await noDeadline.JsonAsync()).GetProperty("errors").TryGetProperty("deadlineAt", out _));
        }

        var otherEnterprise = await factory.ApiClientAsync(OtherEnterprise);
        using (var stranger = await otherEnterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/reopen", new { deadlineAt = factory.Clock.GetUtcNow().AddDays(20) }))
        {
            Assert.True(stranger.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"Another enterprise got {stranger.StatusCode}.");
        }

        using var reopened = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/reopen", new { deadlineAt = factory.Clock.GetUtcNow().AddDays(20), note = "Extended: the line is free in spring." });
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("published", (await reopened.JsonAsync()).GetProperty("to").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/reopen", new { deadlineAt = factory.Clock.GetUtcNow().AddDays(30) })).StatusCode);
    }
}
