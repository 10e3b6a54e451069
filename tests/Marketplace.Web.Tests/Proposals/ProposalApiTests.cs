using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Reviews;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>The proposal API through HTTP with bearer tokens: sealing, the authorisation matrix, revise, withdraw, deadline.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ProposalApiTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private static readonly string[] ApiPaths =
    [
        "/api/v1/challenges/{id}/proposals", "/api/v1/proposals/{id}", "/api/v1/proposals/{id}/withdraw",
        "/api/v1/my/proposals", "/api/v1/challenges/{id}/price-envelopes/open", "/api/v1/proposals/{id}/versions/{version}",
    ];

    private static readonly string[] OneAnswer = ["y"];

    private static readonly string[] FivePartners = ["a", "b", "c", "d", "e"];

    private static readonly string?[] Everyone = [Vendor, OtherVendor, Enterprise, OtherEnterprise, Officer, Reviewer, Admin, null];

    private async Task<HttpStatusCode> StatusAsync(string? email, HttpMethod method, string url, object? body = null)
    {
        using var client = await _factory.ApiClientAsync(email);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return response.StatusCode;
    }

    /// <summary>Runs every (person, expected status) pair and reports all mismatches at once.</summary>
    private async Task MatrixAsync(string label, HttpMethod method, string url, Dictionary<string, HttpStatusCode> expected, Func<object?>? body = null)
    {
        var wrong = new List<string>();
        foreach (var email in Everyone)
        {
            var who = email ?? "signed-out";
            var status = await StatusAsync(email, method, url, body?.Invoke());
            if (status != expected[who])
            {
                wrong.Add($"{label} {method} {url} as {who}: expected {(int)expected[who]}, got {(int)status}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private static Dictionary<string, HttpStatusCode> Expect(
        HttpStatusCode vendor, HttpStatusCode otherVendor, HttpStatusCode enterprise, HttpStatusCode otherEnterprise,
        HttpStatusCode officer, HttpStatusCode reviewer, HttpStatusCode admin, HttpStatusCode signedOut) => new()
    {
        [Vendor] = vendor,
        [OtherVendor] = otherVendor,
        [Enterprise] = enterprise,
        [OtherEnterprise] = otherEnterprise,
        [Officer] = officer,
        [Reviewer] = reviewer,
        [Admin] = admin,
        ["signed-out"] = signedOut,
    };

    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode Unauthorized = HttpStatusCode.Unauthorized;

    [Fact]
    public async Task AuthorisationMatrix_BeforeAndAfterTheDeadline()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var id = await _factory.SubmitThroughApiAsync(Vendor, challenge);

        // Before the deadline: the proposal exists only for its author.
        await MatrixAsync("before", HttpMethod.Get, $"/api/v1/proposals/{id}",
            Expect(Ok, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, Unauthorized));
        await MatrixAsync("before", HttpMethod.Get, $"/api/v1/challenges/{challenge}/proposals",
            Expect(Forbidden, Forbidden, Conflict, Forbidden, Conflict, Forbidden, Forbidden, Unauthorized));
        await MatrixAsync("before", HttpMethod.Get, "/api/v1/my/proposals",
            Expect(Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized));
        await MatrixAsync("before", HttpMethod.Post, $"/api/v1/challenges/{challenge}/price-envelopes/open",
            Expect(Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Unauthorized));
        await MatrixAsync("before", HttpMethod.Put, $"/api/v1/proposals/{id}",
            Expect(Ok, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized), () => ValidRequest(_factory, "Revised"));
        await MatrixAsync("before", HttpMethod.Post, $"/api/v1/proposals/{id}/withdraw",
            Expect(Ok, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized));

        // The withdrawal above went through; start again so there is a live proposal after the deadline.
        var live = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        _factory.PassTheDeadlines();

        await MatrixAsync("after", HttpMethod.Get, $"/api/v1/proposals/{live}",
            Expect(Ok, NotFound, Ok, NotFound, Ok, NotFound, NotFound, Unauthorized));
        await MatrixAsync("after", HttpMethod.Get, $"/api/v1/proposals/{id}",
            Expect(Ok, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, Unauthorized));
        await MatrixAsync("after", HttpMethod.Get, $"/api/v1/challenges/{challenge}/proposals",
            Expect(Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden, Forbidden, Unauthorized));
        await MatrixAsync("after", HttpMethod.Put, $"/api/v1/proposals/{live}",
            Expect(Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized), () => ValidRequest(_factory, "Too late"));
        await MatrixAsync("after", HttpMethod.Post, $"/api/v1/proposals/{live}/withdraw",
            Expect(Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized));
        await MatrixAsync("after", HttpMethod.Post, $"/api/v1/challenges/{challenge}/proposals",
            Expect(Conflict, Conflict, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Unauthorized), () => ValidRequest(_factory));
        // Price envelopes open only when technical scoring closes: refused until every proposal has a complete review.
        await MatrixAsync("after, before review", HttpMethod.Post, $"/api/v1/challenges/{challenge}/price-envelopes/open",
            Expect(Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Unauthorized));
        await _factory.ReviewAllAsync(challenge);
        await MatrixAsync("after review", HttpMethod.Post, $"/api/v1/challenges/{challenge}/price-envelopes/open",
            Expect(Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Unauthorized));
        Assert.Equal(Conflict, await StatusAsync(Officer, HttpMethod.Post, $"/api/v1/challenges/{challenge}/price-envelopes/open"));
    }

    [Fact]
    public async Task Submit_ReturnsAReceipt_AndTheEnterpriseSeesPricesOnlyAfterTheOfficerOpensThem()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);
        using var created = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory, partners: ["ven-test-routes"]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var receipt = (await created.JsonAsync()).GetProperty("receipt");
        var id = receipt.GetProperty("proposalId").GetInt64();
        Assert.Equal($"/api/v1/proposals/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(1, receipt.GetProperty("versionNumber").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", receipt.GetProperty("fingerprint").GetString());
        Assert.True(receipt.TryGetProperty("submittedAt", out _));

        var mine = await (await vendor.GetAsync($"/api/v1/proposals/{id}")).JsonAsync();
        Assert.Equal(980000m, mine.GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.Equal("Test Routing Labs", mine.GetProperty("technical").GetProperty("partners")[0].GetProperty("name").GetString());
        Assert.Equal(receipt.GetProperty("fingerprint").GetString(), mine.GetProperty("receipt").GetProperty("fingerprint").GetString());

        _factory.PassTheDeadlines();
        using var enterprise = await _factory.ApiClientAsync(Enterprise);
        var sealedPrice = await (await enterprise.GetAsync($"/api/v1/proposals/{id}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, sealedPrice.GetProperty("price").ValueKind);
        Assert.Equal("Line-scan cameras, a segmentation model on an edge GPU.", sealedPrice.GetProperty("technical").GetProperty("approach").GetString());
        var list = await (await enterprise.GetAsync($"/api/v1/challenges/{challenge}/proposals")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, list.GetProperty("priceEnvelopesOpenedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("proposals")[0].GetProperty("price").ValueKind);

        using var officer = await _factory.ApiClientAsync(Officer);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsync($"/api/v1/challenges/{challenge}/price-envelopes/open", null)).StatusCode);
        await _factory.ReviewAllAsync(challenge);
        using var opened = await officer.PostAsync($"/api/v1/challenges/{challenge}/price-envelopes/open", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(1, (await opened.JsonAsync()).GetProperty("proposalCount").GetInt32());

        var priced = await (await enterprise.GetAsync($"/api/v1/challenges/{challenge}/proposals")).JsonAsync();
        Assert.Equal(980000m, priced.GetProperty("proposals")[0].GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.Equal(980000m, (await (await officer.GetAsync($"/api/v1/proposals/{id}")).JsonAsync()).GetProperty("price").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Revise_KeepsEveryVersion_TheLatestCounts()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var id = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);

        using var revised = await vendor.PutAsJsonAsync($"/api/v1/proposals/{id}", ValidRequest(_factory, "Second thoughts.", 900000m));
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(2, (await revised.JsonAsync()).GetProperty("receipt").GetProperty("versionNumber").GetInt32());

        var mine = await (await vendor.GetAsync($"/api/v1/proposals/{id}")).JsonAsync();
        Assert.Equal(2, mine.GetProperty("currentVersion").GetInt32());
        Assert.Equal([2, 1], mine.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("versionNumber").GetInt32()));
        Assert.Equal("Second thoughts.", mine.GetProperty("technical").GetProperty("approach").GetString());
        Assert.Equal("1,2,2|submitted", await _factory.ProposalCountsAsync());

        var first = await (await vendor.GetAsync($"/api/v1/proposals/{id}/versions/1")).JsonAsync();
        Assert.Equal("Line-scan cameras, a segmentation model on an edge GPU.", first.GetProperty("approach").GetString());
        using var otherVendor = await _factory.ApiClientAsync(OtherVendor);
        Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.GetAsync($"/api/v1/proposals/{id}/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/api/v1/proposals/{id}/versions/3")).StatusCode);

        var list = await (await vendor.GetAsync("/api/v1/my/proposals")).JsonAsync();
        Assert.Equal(2, Assert.Single(list.EnumerateArray()).GetProperty("currentVersion").GetInt32());
    }

    [Fact]
    public async Task SubmitAfterTheDeadline_Is409WithAClearMessage_AndChangesNothing()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var id = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        _factory.PassTheDeadlines();
        var before = await _factory.ProposalCountsAsync();

        using var other = await _factory.ApiClientAsync(OtherVendor);
        using var late = await other.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));
        using var vendor = await _factory.ApiClientAsync(Vendor);
        using var lateRevision = await vendor.PutAsJsonAsync($"/api/v1/proposals/{id}", ValidRequest(_factory, "Late"));
        using var lateWithdrawal = await vendor.PostAsync($"/api/v1/proposals/{id}/withdraw", null);

        foreach (var response in new[] { late, lateRevision, lateWithdrawal })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("deadline", (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(before, await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task Withdraw_ThenStartAgain_AndOnlyOneLiveProposalPerChallenge()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var id = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);

        using var second = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        using var withdrawn = await vendor.PostAsync($"/api/v1/proposals/{id}/withdraw", null);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.JsonAsync()).GetProperty("status").GetString());
        using var again = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("2,2,2|withdrawn,submitted", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task DraftThenSubmit_DraftHasNoReceipt()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);

        using var draft = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", new { draft = true, approach = "Notes so far" });
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var saved = await draft.JsonAsync();
        Assert.Equal("draft", saved.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("receipt").ValueKind);

        using var submitted = await vendor.PutAsJsonAsync($"/api/v1/proposals/{saved.GetProperty("proposalId").GetInt64()}", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(1, (await submitted.JsonAsync()).GetProperty("receipt").GetProperty("versionNumber").GetInt32());
    }

    [Fact]
    public async Task BadInput_GivesFieldMessages_AndCreatesNothing()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);

        using var empty = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", new { });
        using var wrong = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", new
        {
            approach = "x",
            targetAnswers = OneAnswer,
            currentTrl = 8,
            deliveryTrl = 5,
            team = "z",
            milestones = new[] { new { name = "Only", dueOn = "2020-01-01", deliverable = "d", paymentShare = 50 } },
            partners = FivePartners,
            priceAmount = -1,
            priceCurrency = "yuan",
            paymentTerms = "t",
        });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        var emptyErrors = (await empty.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "approach", "targetAnswers[0]", "currentTrl", "deliveryTrl", "team", "milestones", "priceAmount", "paymentTerms" })
        {
            Assert.True(emptyErrors.TryGetProperty(field, out _), $"no message for {field}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "deliveryTrl", "milestones[0].dueOn", "milestones", "partners", "priceAmount", "priceCurrency" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no message for {field}: {errors}");
        }

        using var revise = await vendor.PutAsJsonAsync("/api/v1/proposals/999999", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.NotFound, revise.StatusCode);
        Assert.Equal("0,0,0|", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task ConfidentialChallenge_IsRefusedUntilTheVendorAcceptsTheNda()
    {
        var challenge = await _factory.ChallengeIdAsync(ConfidentialChallenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);

        using var response = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("NDA", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal("0,0,0|", await _factory.ProposalCountsAsync());

        // The lifecycle's NDA acceptance (Viewer.MayReadFullTextAsync) opens the way.
        using var nda = await vendor.PostAsync($"/api/v1/challenges/{challenge}/nda", null);
        Assert.Equal(HttpStatusCode.OK, nda.StatusCode);
        using var accepted = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryProposalEndpoint()
    {
        using var client = _factory.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");
        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths");

        foreach (var path in ApiPaths)
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in /openapi/v1.json");
        }

        var challengeProposals = paths.GetProperty("/api/v1/challenges/{id}/proposals");
        Assert.True(challengeProposals.TryGetProperty("get", out _));
        Assert.True(challengeProposals.TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/proposals/{id}").TryGetProperty("put", out _));
    }
}
