using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Marketplace.Web.Tests.Proposals;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Public;

/// <summary>Every API problem with the same status carries the same title, whichever part of the app answered; the detail says why.</summary>
public sealed class ProblemTitleTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [Fact]
    public async Task ProblemsOfOneStatus_ShareOneTitle_AndKeepTheirOwnDetail()
    {
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        using var anonymous = await factory.ApiClientAsync(null);
        using var vendor = await factory.ApiClientAsync(Vendor);
        using var otherEnterprise = await factory.ApiClientAsync(OtherEnterprise);
        using var officer = await factory.ApiClientAsync(Officer);

        var problems = new List<(string Source, HttpStatusCode Status, string? Title, string? Detail)>
        {
            await Problem("wrong password", anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Vendor, password = "not-the-password" })),
            await Problem("no token", anonymous.GetAsync("/api/v1/my/challenges")),
            await Problem("role missing", vendor.PostAsJsonAsync("/api/v1/challenges", new { })),
            await Problem("not the owner", otherEnterprise.PostAsync($"/api/v1/challenges/{strip}/withdraw", null)),
            await Problem("no such challenge", anonymous.GetAsync("/api/v1/challenges/987654")),
            await Problem("no such notification", vendor.PostAsync("/api/v1/notifications/987654/read", null)),
            await Problem("already published", officer.PostAsync($"/api/v1/challenges/{strip}/publish", null)),
            await Problem("bad page size", anonymous.GetAsync("/api/v1/challenges?pageSize=0")),
            await Problem("empty draft", (await factory.ApiClientAsync(LifecycleTestKit.Enterprise)).PostAsJsonAsync("/api/v1/challenges", new { })),
        };

        foreach (var group in problems.GroupBy(p => p.Status))
        {
            Assert.Single(group.Select(p => p.Title).Distinct());
        }

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.Conflict],
            problems.Select(p => p.Status).Distinct().Order());
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Title), p.Source));
        // The reasons still differ: a wrong password and a missing token are told apart in the detail.
        Assert.NotEqual(problems[0].Detail, problems[1].Detail);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheProblemResponses_DeclaredOnceForTheWholeApi()
    {
        using var client = await factory.ApiClientAsync(null);
        var paths = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/openapi/v1.json")).GetProperty("paths");

        string[] Statuses(string path, string method) =>
            [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name)];

        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "409" }, Statuses("/api/v1/challenges/{id}/publish", "post").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "401", "403" }, Statuses("/api/v1/my/challenges", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "404" }, Statuses("/api/v1/challenges/{id}", "get").ToHashSet());
        // A public read of a list neither needs sign-in nor can be "not found".
        Assert.DoesNotContain("401", Statuses("/api/v1/challenges", "get"));
        Assert.DoesNotContain("404", Statuses("/api/v1/challenges", "get"));
    }

    private static async Task<(string, HttpStatusCode, string?, string?)> Problem(string source, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True((int)response.StatusCode >= 400, $"{source}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ProposalTestKit.JsonAsync(response);
        return (source, response.StatusCode,
            body.TryGetProperty("title", out var title) ? title.GetString() : null,
            body.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }
}
