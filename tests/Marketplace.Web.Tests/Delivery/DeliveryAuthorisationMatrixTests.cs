using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Delivery.DeliveryTestKit;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>
/// Every delivery endpoint and page against every role, the other enterprise and the other vendor, and a signed-out
/// visitor. Requests that would change data for an allowed caller are made so that they are refused after
/// authorisation (bad input or an illegal move), and the delivery tables are compared before and after.
/// </summary>
public sealed class DeliveryAuthorisationMatrixTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;
    private const HttpStatusCode Unauthorised = HttpStatusCode.Unauthorized;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode SignIn = HttpStatusCode.Redirect;

    private static readonly string?[] People = [null, Enterprise, OtherEnterprise, Vendor, OtherVendor, Officer, Reviewer, Admin];

    private sealed record Row(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode[] Expected);

    /// <summary>In the order of <see cref="People"/>.</summary>
    private static HttpStatusCode[] Expect(HttpStatusCode anonymous, HttpStatusCode enterprise, HttpStatusCode otherEnterprise, HttpStatusCode vendor,
        HttpStatusCode otherVendor, HttpStatusCode officer, HttpStatusCode reviewer, HttpStatusCode admin) =>
        [anonymous, enterprise, otherEnterprise, vendor, otherVendor, officer, reviewer, admin];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (long Challenge, long Project, long Milestone, long Adjustment)? _arranged;

    private async Task<(long Challenge, long Project, long Milestone, long Adjustment)> ArrangeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_arranged is { } done && factory.Services is not null && await ProjectExistsAsync(done.Project))
            {
                return done;
            }

            var (challenge, _) = await AwardAsync(factory, StripChallenge, Vendor);
            var project = Assert.Single(await StartDeliveryAsync(factory, challenge));
            using var vendor = await factory.ApiClientAsync(Vendor);
            var milestone = MilestoneIds(await ProjectAsync(vendor, project))[0];
            using var requested = await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/stage-adjustments",
                new { reason = "Supplier delay", changes = new[] { new { milestoneId = milestone, newDeliverable = "Pilot on line 3" } } });
            Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
            _arranged = (challenge, project, milestone, (await requested.JsonAsync()).GetProperty("adjustmentId").GetInt64());
            return _arranged.Value;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<bool> ProjectExistsAsync(long project)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM delivery_projects WHERE id = @Id", new { Id = project }) == 1;
    }

    [Fact]
    public async Task Api_EveryDeliveryEndpointAndRole_GetsTheExpectedStatus_AndRefusalsChangeNothing()
    {
        var (challenge, project, milestone, adjustment) = await ArrangeAsync();
        Row[] rows =
        [
            new("GET project", c => c.GetAsync($"/api/v1/delivery-projects/{project}"), Expect(Unauthorised, Ok, NotFound, Ok, NotFound, Ok, NotFound, NotFound)),
            new("GET projects", c => c.GetAsync("/api/v1/delivery-projects"), Expect(Unauthorised, Ok, Ok, Ok, Ok, Ok, Ok, Ok)),
            new("POST start (started already)", c => c.PostAsJsonAsync($"/api/v1/challenges/{challenge}/delivery/start", new { }),
                Expect(Unauthorised, Conflict, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden)),
            new("POST evidence (empty)", c => c.PostAsJsonAsync($"/api/v1/milestones/{milestone}/evidence", new { body = "" }),
                Expect(Unauthorised, Forbidden, NotFound, Bad, NotFound, Forbidden, NotFound, NotFound)),
            new("POST accept (nothing to accept)", c => c.PostAsJsonAsync($"/api/v1/milestones/{milestone}/accept", new { }),
                Expect(Unauthorised, Conflict, NotFound, Forbidden, NotFound, Forbidden, NotFound, NotFound)),
            new("POST reject (nothing to reject)", c => c.PostAsJsonAsync($"/api/v1/milestones/{milestone}/reject", new { reason = "x" }),
                Expect(Unauthorised, Conflict, NotFound, Forbidden, NotFound, Forbidden, NotFound, NotFound)),
            new("POST adjustment (one is open)", c => c.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/stage-adjustments", new { reason = "r", changes = Array.Empty<object>() }),
                Expect(Unauthorised, Conflict, NotFound, Conflict, NotFound, Forbidden, NotFound, NotFound)),
            new("POST decline adjustment (no note)", c => c.PostAsJsonAsync($"/api/v1/stage-adjustments/{adjustment}/decline", new { note = "" }),
                Expect(Unauthorised, Forbidden, NotFound, Forbidden, NotFound, Bad, NotFound, NotFound)),
            new("POST failure filing (unknown category)", c => c.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/failure-filing", new { category = "luck", cause = "c", lessons = "l" }),
                Expect(Unauthorised, Forbidden, NotFound, Forbidden, NotFound, Bad, NotFound, NotFound)),
            new("POST portfolio consent (not completed)", c => c.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/portfolio-consent", new { grant = true, nameClient = true }),
                Expect(Unauthorised, Conflict, NotFound, Forbidden, NotFound, Forbidden, NotFound, NotFound)),
            new("GET unknown project", c => c.GetAsync("/api/v1/delivery-projects/999999"), Expect(Unauthorised, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound)),
        ];

        var before = await factory.DeliverySnapshotAsync();
        var failures = new List<string>();
        foreach (var row in rows)
        {
            for (var i = 0; i < People.Length; i++)
            {
                using var client = await factory.ApiClientAsync(People[i]);
                using var response = await row.Send(client);
                if (response.StatusCode != row.Expected[i])
                {
                    failures.Add($"{row.Name} as {People[i] ?? "anonymous"}: expected {(int)row.Expected[i]}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await factory.DeliverySnapshotAsync());
    }

    [Fact]
    public async Task ProjectLists_ShowOnlyTheCallersProjects()
    {
        var (_, project, _, _) = await ArrangeAsync();
        foreach (var (email, sees) in new[] { (Enterprise, true), (Vendor, true), (Officer, true), (OtherEnterprise, false), (OtherVendor, false), (Reviewer, false), (Admin, false) })
        {
            using var api = await factory.ApiClientAsync(email);
            var ids = (await (await api.GetAsync("/api/v1/delivery-projects")).JsonAsync()).EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
            Assert.True(ids.Contains(project) == sees, $"{email} {(sees ? "should" : "should not")} see project {project}");
            using var browser = await factory.SignedInBrowserAsync(email);
            var (status, html) = await browser.GetPageAsync("/delivery");
            Assert.Equal(Ok, status);
            Assert.True(html.Contains($"/delivery/projects/{project}", StringComparison.Ordinal) == sees, $"{email}'s /delivery page");
        }
    }

    [Fact]
    public async Task Pages_EveryDeliveryPageAndRole_GetsTheExpectedStatus_AndRefusalsChangeNothing()
    {
        var (challenge, project, milestone, adjustment) = await ArrangeAsync();
        var before = await factory.DeliverySnapshotAsync();
        var failures = new List<string>();
        async Task CheckAsync(string name, Func<HttpClient, Task<HttpResponseMessage>> send, HttpStatusCode[] expected)
        {
            for (var i = 0; i < People.Length; i++)
            {
                using var client = await factory.SignedInBrowserAsync(People[i]);
                using var response = await send(client);
                if (response.StatusCode != expected[i])
                {
                    failures.Add($"{name} as {People[i] ?? "anonymous"}: expected {(int)expected[i]}, got {(int)response.StatusCode}");
                }
            }
        }

        await CheckAsync("GET project page", c => c.GetAsync($"/delivery/projects/{project}"), Expect(SignIn, Ok, NotFound, Ok, NotFound, Ok, NotFound, NotFound));
        await CheckAsync("GET projects page", c => c.GetAsync("/delivery"), Expect(SignIn, Ok, Ok, Ok, Ok, Ok, Ok, Ok));
        await CheckAsync("GET challenge page", c => c.GetAsync($"/challenges/{challenge}"), Expect(Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok));

        // Form posts need a signed-in session's antiforgery token (taken from the home page's layout).
        var signedIn = People.Skip(1).ToArray();
        async Task PostAsync(string name, string url, Dictionary<string, string> fields, HttpStatusCode[] expected)
        {
            for (var i = 0; i < signedIn.Length; i++)
            {
                using var client = await factory.SignedInBrowserAsync(signedIn[i]);
                using var response = await client.PostFormAsync("/notifications", url, fields);
                if (response.StatusCode != expected[i + 1])
                {
                    failures.Add($"{name} as {signedIn[i]}: expected {(int)expected[i + 1]}, got {(int)response.StatusCode}");
                }
            }
        }

        await PostAsync("POST evidence form (empty)", $"/delivery/milestones/{milestone}/evidence", new() { ["body"] = "" },
            Expect(SignIn, Forbidden, NotFound, Bad, NotFound, Forbidden, NotFound, NotFound));
        await PostAsync("POST reject form (nothing to reject)", $"/delivery/milestones/{milestone}/reject", new() { ["reason"] = "x" },
            Expect(SignIn, Conflict, NotFound, Forbidden, NotFound, Forbidden, NotFound, NotFound));
        await PostAsync("POST decide adjustment (decline, no note)", $"/delivery/adjustments/{adjustment}/decide", new() { ["projectId"] = project.ToString(System.Globalization.CultureInfo.InvariantCulture), ["decision"] = "decline", ["note"] = "" },
            Expect(SignIn, Forbidden, NotFound, Forbidden, NotFound, Bad, NotFound, NotFound));
        await PostAsync("POST failure form (no cause)", $"/delivery/projects/{project}/failure", new() { ["category"] = "data", ["cause"] = "", ["lessons"] = "" },
            Expect(SignIn, Forbidden, NotFound, Forbidden, NotFound, Bad, NotFound, NotFound));
        await PostAsync("POST consent form (not completed)", $"/delivery/projects/{project}/consent", new() { ["decision"] = "grant" },
            Expect(SignIn, Conflict, NotFound, Forbidden, NotFound, Forbidden, NotFound, NotFound));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await factory.DeliverySnapshotAsync());
    }
}
