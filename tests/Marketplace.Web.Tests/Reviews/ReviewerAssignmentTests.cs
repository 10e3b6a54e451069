using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Features.Reviews;
using Marketplace.Testing;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;
using static Marketplace.Web.Tests.Reviews.ReviewTestKit;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>
/// Automatic reviewer assignment through HTTP: the officer asks for a plan (k = 3 of the three test reviewers per
/// proposal; Rosa belongs to the second bidder, so she is conflicted with its proposal), edits and confirms it; the
/// assignments appear on the board; a conflicting pair refuses the whole plan; other roles are refused; and the
/// scheduler's entry point runs the same as the system.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ReviewerAssignmentTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private Task<(long Challenge, long Vision, long Routes, long Rosa)> ArrangeAsync() => ArrangeAsync(_factory);

    /// <summary>Two submitted proposals, the challenge closed by the scheduler, Rosa made a member of the second bidder.</summary>
    internal static async Task<(long Challenge, long Vision, long Routes, long Rosa)> ArrangeAsync(MarketplaceFactory factory)
    {
        var challenge = await factory.ChallengeIdAsync(StripChallenge);
        var vision = await factory.SubmitThroughApiAsync(Vendor, challenge);
        var routes = await factory.SubmitThroughApiAsync(OtherVendor, challenge);
        factory.PassTheDeadlines();
        await factory.CloseDueChallengesAsync();
        var rosa = await factory.UserIdAsync(Reviewer3);
        await using var connection = await factory.Database.Connections.OpenAsync();
        var organisation = await connection.ExecuteScalarAsync<long>("SELECT vendor_id FROM proposals WHERE id = @Id", new { Id = routes });
        await connection.ExecuteAsync("INSERT INTO memberships (user_id, organisation_id, is_owner, created_at) VALUES (@User, @Organisation, @Owner, @Now)",
            new { User = rosa, Organisation = organisation, Owner = false, Now = factory.Clock.GetUtcNow() });
        return (challenge, vision, routes, rosa);
    }

    private static List<(long Proposal, long Reviewer)> PairsOf(JsonElement plan) =>
        plan.GetProperty("pairs").EnumerateArray().Select(p => (p.GetProperty("proposalId").GetInt64(), p.GetProperty("reviewerUserId").GetInt64())).ToList();

    [Fact]
    public async Task Api_OfficerProposesAndApplies_AssignmentsAppearOnTheBoard_AndApplyingAgainChangesNothing()
    {
        var (challenge, vision, routes, rosa) = await ArrangeAsync();
        using var officer = await _factory.ApiClientAsync(Officer);

        using var proposed = await officer.PostAsync($"/api/v1/challenges/{challenge}/reviewer-assignment/proposal", null);
        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        var plan = await proposed.JsonAsync();
        var pairs = PairsOf(plan);
        Assert.Equal(3, plan.GetProperty("reviewersPerProposal").GetInt32());
        Assert.Equal(6, plan.GetProperty("slotsNeeded").GetInt32());
        Assert.Equal(5, plan.GetProperty("slotsFilled").GetInt32());
        Assert.Equal(3, pairs.Count(p => p.Proposal == vision));
        Assert.Equal(2, pairs.Count(p => p.Proposal == routes));
        Assert.DoesNotContain((routes, rosa), pairs);
        var unfilled = Assert.Single(plan.GetProperty("unfilled").EnumerateArray());
        Assert.Equal(routes, unfilled.GetProperty("proposalId").GetInt64());
        Assert.Equal(AssignmentReasons.NotEnoughEligibleReviewers, unfilled.GetProperty("reason").GetString());
        Assert.True(plan.GetProperty("objective").GetDouble() > 0);
        Assert.Equal(3, plan.GetProperty("reviewers").GetArrayLength());
        // The machine-vision reviewer is the closest match for the machine-vision proposal.
        var rita = await _factory.UserIdAsync(Reviewer);
        var visionPairs = plan.GetProperty("pairs").EnumerateArray().Where(p => p.GetProperty("proposalId").GetInt64() == vision).ToList();
        Assert.Equal(rita, visionPairs.MaxBy(p => p.GetProperty("affinity").GetDouble()).GetProperty("reviewerUserId").GetInt64());
        // Proposing wrote nothing.
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM review_assignments"));

        var body = new { pairs = pairs.Select(p => new { proposalId = p.Proposal, reviewerUserId = p.Reviewer }).ToArray() };
        using var applied = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", body);
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var result = await applied.JsonAsync();
        Assert.Equal(5, result.GetProperty("assigned").GetArrayLength());
        Assert.True(result.GetProperty("reviewStarted").GetBoolean());

        var board = await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review");
        Assert.Equal("under_review", board.GetProperty("status").GetString());
        Assert.Equal(5, board.GetProperty("assignments").GetArrayLength());
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM challenge_audit WHERE action = 'reviewer_assignment_applied'"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(DISTINCT recipient_user_id) FROM notifications WHERE kind = 'review_assigned'"));

        // Idempotent: the same plan again makes nothing and says so with 200.
        var before = await _factory.ReviewCountsAsync();
        using var again = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.JsonAsync();
        Assert.Equal(0, second.GetProperty("assigned").GetArrayLength());
        Assert.Equal(5, second.GetProperty("alreadyAssigned").GetArrayLength());
        Assert.Equal(before, await _factory.ReviewCountsAsync());

        // A new plan keeps the five and has only the conflicted slot left.
        var replanned = await (await officer.PostAsync($"/api/v1/challenges/{challenge}/reviewer-assignment/proposal", null)).JsonAsync();
        Assert.Empty(PairsOf(replanned));
        Assert.Equal(5, replanned.GetProperty("current").GetArrayLength());
    }

    [Fact]
    public async Task Api_ApplyWithAConflictingPair_IsRefusedWithAClearMessage_AndChangesNothing()
    {
        var (challenge, vision, routes, rosa) = await ArrangeAsync();
        using var officer = await _factory.ApiClientAsync(Officer);
        var before = await _factory.ReviewCountsAsync();

        using var refused = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", new
        {
            pairs = new[] { new { proposalId = vision, reviewerUserId = rosa }, new { proposalId = routes, reviewerUserId = rosa } },
        });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var detail = (await refused.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("Rosa Reviewer", detail);
        Assert.Contains("conflict of interest", detail);
        Assert.Equal(before, await _factory.ReviewCountsAsync());

        using var empty = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", new { pairs = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using var unknown = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", new { pairs = new[] { new { proposalId = 999999, reviewerUserId = rosa } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var notAReviewer = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment",
            new { pairs = new[] { new { proposalId = vision, reviewerUserId = await _factory.UserIdAsync(Enterprise) } } });
        Assert.Equal(HttpStatusCode.BadRequest, notAReviewer.StatusCode);
        Assert.Equal(before, await _factory.ReviewCountsAsync());
    }

    [Fact]
    public async Task Api_OnlyOfficers_ProposeOrApply()
    {
        var (challenge, vision, _, _) = await ArrangeAsync();
        var rita = await _factory.UserIdAsync(Reviewer);
        var before = await _factory.ReviewCountsAsync();
        foreach (var (person, expected) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized), (Vendor, HttpStatusCode.Forbidden), (Enterprise, HttpStatusCode.Forbidden),
                     (Reviewer, HttpStatusCode.Forbidden), (Admin, HttpStatusCode.Forbidden),
                 })
        {
            using var client = await _factory.ApiClientAsync(person);
            using var proposal = await client.PostAsync($"/api/v1/challenges/{challenge}/reviewer-assignment/proposal", null);
            Assert.Equal(expected, proposal.StatusCode);
            using var apply = await client.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", new { pairs = new[] { new { proposalId = vision, reviewerUserId = rita } } });
            Assert.Equal(expected, apply.StatusCode);
        }

        Assert.Equal(before, await _factory.ReviewCountsAsync());
    }

    [Fact]
    public async Task Page_OfficerSeesThePlan_UnticksAPair_AndConfirms_TheRestAppearOnTheBoard()
    {
        var (challenge, vision, routes, rosa) = await ArrangeAsync();
        using var officer = await _factory.SignedInBrowserAsync(Officer);
        var board = $"/challenges/{challenge}/review";
        var page = $"{board}/assignment-proposal";

        var (_, boardHtml) = await officer.GetPageAsync(board);
        Assert.Contains($"href=\"{page}\"", boardHtml);
        var (status, html) = await officer.GetPageAsync(page);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, CountOf(html, "data-testid=\"plan-pair\""));
        Assert.Contains("data-testid=\"objective\"", html);
        Assert.Equal(3, CountOf(html, "data-testid=\"load\""));
        Assert.Contains("data-testid=\"unfilled\"", html);
        Assert.Contains("not enough reviewers without a conflict of interest", html);
        Assert.DoesNotContain($"value=\"{routes}:{rosa}\" id=", html);

        // Untick Rosa on the vision proposal; keep the other four.
        var ticked = System.Text.RegularExpressions.Regex.Matches(html, "name=\"pairs\" value=\"(\\d+:\\d+)\" id=").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(5, ticked.Count);
        var keep = ticked.Where(v => v != $"{vision}:{rosa}").ToList();
        var form = keep.Select(v => new KeyValuePair<string, string>("pairs", v))
            .Append(new KeyValuePair<string, string>("pairs", ""))
            .Append(new KeyValuePair<string, string>("__RequestVerificationToken", AccountTestKit.AntiforgeryToken(html)));
        using var confirmed = await officer.PostAsync(page, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);

        var (_, after) = await officer.GetPageAsync(board);
        Assert.Equal(4, CountOf(after, "data-testid=\"assignment\""));
        Assert.Contains("4 reviewer assignments made", after);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM review_assignments WHERE proposal_id = {vision} AND reviewer_user_id = {rosa}"));

        // A conflicting pair added by hand: the page says why and nothing changes.
        var countsBefore = await _factory.ReviewCountsAsync();
        var (_, again) = await officer.GetPageAsync(page);
        var conflict = new[]
        {
            new KeyValuePair<string, string>("pairs", $"{routes}:{rosa}"),
            new KeyValuePair<string, string>("__RequestVerificationToken", AccountTestKit.AntiforgeryToken(again)),
        };
        using var refused = await officer.PostAsync(page, new FormUrlEncodedContent(conflict));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("conflict of interest", await refused.Content.ReadAsStringAsync());
        Assert.Equal(countsBefore, await _factory.ReviewCountsAsync());
    }

    [Fact]
    public async Task Page_InChinese_ShowsTheTranslatedPlan()
    {
        var (challenge, _, _, _) = await ArrangeAsync();
        using var officer = await _factory.SignedInBrowserAsync(Officer, "zh-CN");
        var (status, html) = await officer.GetPageAsync($"/challenges/{challenge}/review/assignment-proposal");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("生成评审分配方案", html);
        Assert.Contains("无利益冲突的评审人不足", html);
    }

    [Fact]
    public async Task Page_OtherRoles_AreRefused()
    {
        var (challenge, _, _, _) = await ArrangeAsync();
        foreach (var person in new[] { Vendor, Enterprise, Reviewer })
        {
            using var client = await _factory.SignedInBrowserAsync(person);
            var (status, _) = await client.GetPageAsync($"/challenges/{challenge}/review/assignment-proposal");
            Assert.Equal(HttpStatusCode.Forbidden, status);
        }
    }

    [Fact]
    public async Task AfterClosing_ByDefault_ProposesAndTellsEveryOfficerOnce_AndAssignsNobody()
    {
        var (challenge, _, routes, rosa) = await ArrangeAsync();
        var automatic = _factory.Services.GetRequiredService<AutomaticReviewerAssignment>();
        var officers = await CountAsync("SELECT COUNT(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = 'Officer'");

        var first = await automatic.AfterClosingAsync(challenge);
        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal("propose", first.Value!.Mode);
        Assert.True(first.Value.OfficersTold);
        Assert.Equal(5, first.Value.Proposed!.Pairs.Count);
        Assert.DoesNotContain(first.Value.Proposed.Pairs, p => p.ProposalId == routes && p.ReviewerUserId == rosa);
        Assert.Null(first.Value.Applied);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM review_assignments WHERE challenge_id = {challenge}"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM notifications WHERE kind = 'review_assigned'"));
        Assert.True(officers > 0);
        Assert.Equal(officers, await CountAsync($"SELECT COUNT(*) FROM notifications WHERE kind = 'reviewer_assignment_proposed' AND challenge_id = {challenge}"));
        Assert.Equal("closed", (await (await _factory.ApiClientAsync(Officer)).GetJsonAsync($"/api/v1/challenges/{challenge}/review")).GetProperty("status").GetString());

        // Run twice (a retried job): the officers are not told again.
        var second = await automatic.AfterClosingAsync(challenge);
        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.False(second.Value!.OfficersTold);
        Assert.Equal(officers, await CountAsync($"SELECT COUNT(*) FROM notifications WHERE kind = 'reviewer_assignment_proposed' AND challenge_id = {challenge}"));

        // The notification names the plan's numbers, and it (and its e-mail) opens the plan page, where the officer confirms.
        var body = await ScalarAsync<string>($"SELECT body FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.kind = 'reviewer_assignment_proposed' AND u.email = '{Officer}'");
        Assert.Contains("5 assignment(s)", body, StringComparison.Ordinal);
        Assert.Contains("5 of 6 slots filled", body, StringComparison.Ordinal);
        var mail = await ScalarAsync<string>($"SELECT o.text_body FROM email_outbox o JOIN users u ON u.id = o.recipient_user_id WHERE o.kind = 'reviewer_assignment_proposed' AND u.email = '{Officer}'");
        Assert.Contains($"/challenges/{challenge}/review/assignment-proposal", mail, StringComparison.Ordinal);
        var notificationId = await ScalarAsync<long>($"SELECT n.id FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.kind = 'reviewer_assignment_proposed' AND u.email = '{Officer}'");
        using var browser = await _factory.SignedInBrowserAsync(Officer);
        var (_, list) = await browser.GetPageAsync("/notifications");
        Assert.Contains("Reviewers proposed", list, StringComparison.Ordinal);
        using var opened = await browser.PostFormAsync("/notifications", $"/notifications/{notificationId}/read",
            new Dictionary<string, string> { ["challengeId"] = challenge.ToString(CultureInfo.InvariantCulture), ["kind"] = "reviewer_assignment_proposed" });
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/challenges/{challenge}/review/assignment-proposal", opened.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ApplyMode_AssignsAsTheSystem_AndASecondRunAssignsNothing()
    {
        var (challenge, _, _, _) = await ArrangeAsync();
        var automatic = _factory.Services.GetRequiredService<AutomaticReviewerAssignment>();

        var first = await automatic.ApplyAsync(challenge);
        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(5, first.Value!.Assigned.Count);
        Assert.True(first.Value.ReviewStarted);
        Assert.Equal(5, await CountAsync($"SELECT COUNT(*) FROM review_assignments WHERE challenge_id = {challenge} AND assigned_by IS NULL"));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM challenge_audit WHERE challenge_id = {challenge} AND action = 'reviewer_assignment_applied' AND actor_user_id IS NULL"));

        var second = await automatic.ApplyAsync(challenge);
        Assert.True(second.IsSuccess);
        Assert.Empty(second.Value!.Assigned);
        Assert.Equal(5, await CountAsync($"SELECT COUNT(*) FROM review_assignments WHERE challenge_id = {challenge}"));

        // The board shows the system's assignments like any other.
        using var officer = await _factory.ApiClientAsync(Officer);
        Assert.Equal(5, (await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review")).GetProperty("assignments").GetArrayLength());
    }

    [Fact]
    public async Task SystemRun_NeverPairsAConsortiumPartnersMember_OrAReviewerWhoDeclaredAConflict()
    {
        // Vision bids with Routing Labs as its consortium partner; Routing Labs bids too. Rex joins Routing Labs:
        // conflicted with both proposals (own organisation, consortium partner). Rita is assigned by hand to
        // both and declares a conflict on Vision's.
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using (var visionClient = await _factory.ApiClientAsync(Vendor))
        {
            using var created = await visionClient.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory, partners: ["ven-test-routes"]));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var routes = await _factory.SubmitThroughApiAsync(OtherVendor, challenge);
        var vision = await ScalarAsync<long>($"SELECT id FROM proposals WHERE challenge_id = {challenge} AND id <> {routes}");
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM proposal_consortium_members WHERE proposal_id = {vision}"));
        var (rita, rex, rosa) = (await _factory.UserIdAsync(Reviewer), await _factory.UserIdAsync(Reviewer2), await _factory.UserIdAsync(Reviewer3));
        await using (var connection = await _factory.Database.Connections.OpenAsync())
        {
            var routing = await connection.ExecuteScalarAsync<long>("SELECT vendor_id FROM proposals WHERE id = @Id", new { Id = routes });
            await connection.ExecuteAsync("INSERT INTO memberships (user_id, organisation_id, is_owner, created_at) VALUES (@User, @Organisation, @Owner, @Now)",
                new { User = rex, Organisation = routing, Owner = false, Now = _factory.Clock.GetUtcNow() });
        }

        _factory.PassTheDeadlines();
        await _factory.AssignAsync(challenge, Reviewer);
        var ritaOnVision = await ScalarAsync<long>($"SELECT id FROM review_assignments WHERE proposal_id = {vision} AND reviewer_user_id = {rita}");
        using (var ritaClient = await _factory.ApiClientAsync(Reviewer))
        {
            using var declared = await ritaClient.PostAsJsonAsync($"/api/v1/reviews/{ritaOnVision}/conflict", new { reason = "I advised Routing Labs last year." });
            Assert.True(declared.IsSuccessStatusCode, await declared.Content.ReadAsStringAsync());
        }

        var applied = await _factory.Services.GetRequiredService<AutomaticReviewerAssignment>().ApplyAsync(challenge);
        Assert.True(applied.IsSuccess, applied.Error?.Message);

        var live = (await QueryPairsAsync($"SELECT proposal_id, reviewer_user_id FROM review_assignments WHERE challenge_id = {challenge} AND status IN ('assigned', 'accepted')")).ToHashSet();
        Assert.DoesNotContain((vision, rex), live);
        Assert.DoesNotContain((routes, rex), live);
        Assert.DoesNotContain((vision, rita), live);
        // Only Rosa may take Vision's proposal; Routing Labs' keeps Rita and gains Rosa.
        Assert.Equal(new HashSet<(long, long)> { (vision, rosa), (routes, rita), (routes, rosa) }, live);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM review_assignments WHERE proposal_id = {vision} AND reviewer_user_id = {rita} AND status = 'conflict_declared'"));
    }

    private async Task<List<(long, long)>> QueryPairsAsync(string sql)
    {
        await using var connection = await _factory.Database.Connections.OpenAsync();
        return (await connection.QueryAsync<(long, long)>(sql)).ToList();
    }

    [Fact]
    public async Task SchedulerEntryPoint_OnAChallengeWithoutProposals_IsAConflictNotAnException()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        _factory.PassTheDeadlines();
        await _factory.CloseDueChallengesAsync();

        var automatic = _factory.Services.GetRequiredService<AutomaticReviewerAssignment>();
        var proposed = await automatic.AfterClosingAsync(challenge);
        var applied = await automatic.ApplyAsync(challenge);

        Assert.False(proposed.IsSuccess);
        Assert.Equal(Marketplace.Core.Common.ErrorKind.Conflict, proposed.Error!.Kind);
        Assert.False(applied.IsSuccess);
        Assert.Equal(Marketplace.Core.Common.ErrorKind.Conflict, applied.Error!.Kind);
    }

    private static int CountOf(string html, string marker) => (html.Length - html.Replace(marker, "", StringComparison.Ordinal).Length) / marker.Length;

    private Task<int> CountAsync(string sql) => ScalarAsync<int>(sql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _factory.Database.Connections.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}

/// <summary>The apply path and the scheduler's run on every configured engine (PostgreSQL when MARKETPLACE_TEST_POSTGRES is set).</summary>
public sealed class ReviewerAssignmentEngineTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ConflictingPlanIsRefused_ThenTheSchedulerAssigns_AndASecondRunAssignsNothing(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            var (challenge, vision, routes, rosa) = await ReviewerAssignmentTests.ArrangeAsync(factory);
            var before = await factory.ReviewCountsAsync();
            using var officer = await factory.ApiClientAsync(Officer);
            using (var refused = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/reviewer-assignment", new
            {
                pairs = new[] { new { proposalId = vision, reviewerUserId = rosa }, new { proposalId = routes, reviewerUserId = rosa } },
            }))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            }

            Assert.Equal(before, await factory.ReviewCountsAsync());

            var automatic = factory.Services.GetRequiredService<AutomaticReviewerAssignment>();
            var first = await automatic.ApplyAsync(challenge);
            Assert.True(first.IsSuccess, first.Error?.Message);
            Assert.Equal(5, first.Value!.Assigned.Count);
            Assert.DoesNotContain(first.Value.Assigned, a => a.ProposalId == routes && a.ReviewerUserId == rosa);
            var second = await automatic.ApplyAsync(challenge);
            Assert.True(second.IsSuccess);
            Assert.Empty(second.Value!.Assigned);
            Assert.Equal("under_review", (await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review")).GetProperty("status").GetString());
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}
