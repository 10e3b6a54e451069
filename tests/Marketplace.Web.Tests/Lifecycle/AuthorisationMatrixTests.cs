using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Lifecycle;

/// <summary>
/// Every lifecycle endpoint and page against every role, another organisation's enterprise, another vendor and a signed-out visitor,
/// with the status each must get. Requests that would change data for an allowed caller are made so that they are
/// refused after authorisation (bad input, a stale row version, an illegal move): the status then shows the
/// authorisation decision without changing what the next row sees.
/// </summary>
public sealed class AuthorisationMatrixTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;
    private const HttpStatusCode Unauthorised = HttpStatusCode.Unauthorized;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode SignIn = HttpStatusCode.Redirect;

    private static readonly string?[] People = [null, Enterprise, OtherEnterprise, Vendor, Officer, Reviewer, Admin, OtherVendor];

    private sealed record Row(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode[] Expected);

    /// <summary>
    /// Expected statuses in the order of <see cref="People"/>: anonymous, enterprise, other enterprise, vendor, officer,
    /// reviewer, admin, another vendor. The other vendor gets what the vendor gets unless a row says otherwise: these
    /// rows touch enterprise-owned challenges and the vendor's question, where both vendors stand alike.
    /// </summary>
    private static HttpStatusCode[] Expect(HttpStatusCode anonymous, HttpStatusCode enterprise, HttpStatusCode otherEnterprise, HttpStatusCode vendor,
        HttpStatusCode officer, HttpStatusCode reviewer, HttpStatusCode admin, HttpStatusCode? otherVendor = null) =>
        [anonymous, enterprise, otherEnterprise, vendor, officer, reviewer, admin, otherVendor ?? vendor];

    private async Task<(long Draft, long Withdrawn, long Published, long Confidential, long Question)> ArrangeAsync()
    {
        var enterprise = await factory.ApiClientAsync(Enterprise);
        async Task<long> DraftAsync()
        {
            using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow()));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (await created.JsonAsync()).GetProperty("id").GetInt64();
        }

        var draft = await DraftAsync();
        var withdrawn = await DraftAsync();
        Assert.Equal(Ok, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{withdrawn}/withdraw", new { })).StatusCode);
        var published = await SeededChallengeIdAsync(factory, "冷轧带钢表面缺陷在线检测");
        var confidential = await SeededChallengeIdAsync(factory, "Blast furnace hot-metal silicon prediction");
        using var asked = await (await factory.ApiClientAsync(Vendor)).PostAsJsonAsync($"/api/v1/challenges/{published}/questions", new { question = "Which camera line rate do you run?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        return (draft, withdrawn, published, confidential, (await asked.JsonAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Api_EveryEndpointAndRole_GetsTheExpectedStatus()
    {
        var (draft, withdrawn, published, confidential, question) = await ArrangeAsync();
        var empty = new { };
        Row[] rows =
        [
            new("GET my/challenges", c => c.GetAsync("/api/v1/my/challenges"), Expect(Unauthorised, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("POST challenges (empty)", c => c.PostAsJsonAsync("/api/v1/challenges", empty), Expect(Unauthorised, Bad, Bad, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("PUT draft (no rowVersion)", c => c.PutAsJsonAsync($"/api/v1/challenges/{draft}", empty), Expect(Unauthorised, Bad, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("PUT published (no rowVersion)", c => c.PutAsJsonAsync($"/api/v1/challenges/{published}", empty), Expect(Unauthorised, Bad, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("submit draft (stale)", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/submit", new { rowVersion = 999 }), Expect(Unauthorised, Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("withdraw withdrawn", c => c.PostAsJsonAsync($"/api/v1/challenges/{withdrawn}/withdraw", empty), Expect(Unauthorised, Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("withdraw published (other org)", c => c.PostAsJsonAsync($"/api/v1/challenges/{published}/withdraw", empty), Expect(Unauthorised, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)) { },
            new("publish draft", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/publish", empty), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Conflict)),
            new("return draft", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/return", new { reason = "x" }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Conflict)),
            new("reject draft", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/reject", new { reason = "x" }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Conflict)),
            new("GET screening queue", c => c.GetAsync("/api/v1/screening/challenges"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("GET draft screening report", c => c.GetAsync($"/api/v1/challenges/{draft}/screening"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("GET draft", c => c.GetAsync($"/api/v1/challenges/{draft}"), Expect(NotFound, Ok, NotFound, NotFound, Ok, NotFound, Ok)),
            new("GET draft questions", c => c.GetAsync($"/api/v1/challenges/{draft}/questions"), Expect(NotFound, Ok, NotFound, NotFound, Ok, NotFound, Ok)),
            new("GET confidential questions", c => c.GetAsync($"/api/v1/challenges/{confidential}/questions"), Expect(Forbidden, Ok, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("ask (empty)", c => c.PostAsJsonAsync($"/api/v1/challenges/{published}/questions", new { question = "" }), Expect(Unauthorised, Forbidden, Forbidden, Bad, Forbidden, Forbidden, Forbidden)),
            new("ask on a draft", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/questions", new { question = "?" }), Expect(Unauthorised, Forbidden, Forbidden, NotFound, Forbidden, Forbidden, Forbidden)),
            new("answer (empty)", c => c.PostAsJsonAsync($"/api/v1/questions/{question}/answer", new { answer = "" }), Expect(Unauthorised, Bad, Forbidden, Forbidden, Bad, Forbidden, Bad)),
            new("NDA on a public challenge", c => c.PostAsJsonAsync($"/api/v1/challenges/{published}/nda", empty), Expect(Unauthorised, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Forbidden)),
            new("NDA on a draft", c => c.PostAsJsonAsync($"/api/v1/challenges/{draft}/nda", empty), Expect(Unauthorised, Forbidden, Forbidden, NotFound, Forbidden, Forbidden, Forbidden)),
            new("GET notifications", c => c.GetAsync("/api/v1/notifications"), Expect(Unauthorised, Ok, Ok, Ok, Ok, Ok, Ok)),
            new("mark someone else's notification", c => c.PostAsync("/api/v1/notifications/999999/read", null), Expect(Unauthorised, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)),
        ];

        // The one row that succeeds for the owner would withdraw a seeded challenge others read: run it last, owner last.
        var failures = new List<string>();
        foreach (var row in rows)
        {
            for (var i = People.Length - 1; i >= 0; i--)
            {
                if (row.Name.StartsWith("withdraw published", StringComparison.Ordinal) && People[i] == Enterprise)
                {
                    continue;
                }

                var client = await factory.ApiClientAsync(People[i]);
                using var response = await row.Send(client);
                if (response.StatusCode != row.Expected[i])
                {
                    failures.Add($"{row.Name} as {People[i] ?? "anonymous"}: expected {(int)row.Expected[i]}, got {(int)response.StatusCode}");
                }
                else if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{row.Name} as {People[i] ?? "anonymous"}: {(int)response.StatusCode} without problem details");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Pages_EveryPageAndRole_GetsTheExpectedStatus()
    {
        var (draft, _, published, confidential, question) = await ArrangeAsync();
        Row[] rows =
        [
            new("GET /my/challenges", c => c.GetAsync("/my/challenges"), Expect(SignIn, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("GET /my/challenges/new", c => c.GetAsync("/my/challenges/new"), Expect(SignIn, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("GET edit draft", c => c.GetAsync($"/my/challenges/{draft}/edit"), Expect(SignIn, Ok, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("GET edit published", c => c.GetAsync($"/my/challenges/{published}/edit"), Expect(SignIn, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("POST new (empty)", c => c.PostFormAsync("/my/challenges/new"), Expect(SignIn, Bad, Bad, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("POST edit draft (empty)", c => c.PostFormAsync($"/my/challenges/{draft}/edit"), Expect(SignIn, Bad, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("POST submit draft (stale)", c => c.PostFormAsync($"/my/challenges/{draft}/submit", new Dictionary<string, string> { ["rowVersion"] = "999" }), Expect(SignIn, Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("POST withdraw published (other org)", c => c.PostFormAsync($"/my/challenges/{published}/withdraw"), Expect(SignIn, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("GET /screening", c => c.GetAsync("/screening"), Expect(SignIn, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("GET screening review", c => c.GetAsync($"/screening/challenges/{draft}"), Expect(SignIn, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("GET negative list", c => c.GetAsync("/screening/negative-list"), Expect(SignIn, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok)),
            new("POST publish draft", c => c.PostFormAsync($"/screening/challenges/{draft}/publish"), Expect(SignIn, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Conflict)),
            new("POST negative list (empty)", c => c.PostFormAsync("/screening/negative-list"), Expect(SignIn, Forbidden, Forbidden, Forbidden, Bad, Forbidden, Bad)),
            new("GET draft page", c => c.GetAsync($"/challenges/{draft}"), Expect(NotFound, Ok, NotFound, NotFound, Ok, NotFound, Ok)),
            new("GET NDA page", c => c.GetAsync($"/challenges/{confidential}/nda"), Expect(SignIn, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden)),
            new("POST ask (empty)", c => c.PostFormAsync($"/challenges/{published}/questions", new Dictionary<string, string> { ["question"] = "" }), Expect(SignIn, Forbidden, Forbidden, Bad, Forbidden, Forbidden, Forbidden)),
            new("POST answer (empty)", c => c.PostFormAsync($"/questions/{question}/answer", new Dictionary<string, string> { ["answer"] = "", ["challengeId"] = published.ToString(System.Globalization.CultureInfo.InvariantCulture) }), Expect(SignIn, Bad, Forbidden, Forbidden, Bad, Forbidden, Bad)),
            new("GET /notifications", c => c.GetAsync("/notifications"), Expect(SignIn, Ok, Ok, Ok, Ok, Ok, Ok)),
        ];

        var failures = new List<string>();
        foreach (var row in rows)
        {
            for (var i = People.Length - 1; i >= 0; i--)
            {
                if (row.Name.StartsWith("POST withdraw published", StringComparison.Ordinal) && People[i] == Enterprise)
                {
                    continue;
                }

                var client = await factory.SignedInBrowserAsync(People[i]);
                using var response = await row.Send(client);
                if (response.StatusCode != row.Expected[i])
                {
                    failures.Add($"{row.Name} as {People[i] ?? "anonymous"}: expected {(int)row.Expected[i]}, got {(int)response.StatusCode}");
                }
                else if (response.StatusCode == SignIn && !(response.Headers.Location?.OriginalString ?? "").Contains("/account/signin", StringComparison.Ordinal))
                {
                    failures.Add($"{row.Name} as {People[i] ?? "anonymous"}: redirected to {response.Headers.Location} instead of the sign-in page");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
