using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Marketplace.Core.Awards;
using Marketplace.Core.Delivery;
using Marketplace.Core.Reviews;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Reviews;
using Xunit.Abstractions;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The hostile-input suite for the page forms of review and delivery (the browser's forms, not the API): assigning a
/// reviewer, the assignment plan, the rubric, the award quota, a reviewer's conflict declaration, scores, the award
/// decision, starting delivery, milestone evidence, accepting and rejecting a milestone, stage adjustments and their
/// decision, failure filing and the enterprise's portfolio consent. One app walks a seeds/test challenge through the
/// real path (as <see cref="HostileInputWorkflowTests"/> does for the API) and, at each step, first posts every hostile
/// form as the browser would (the antiforgery token of the form's own page, the field names the view renders, one
/// field replaced): each must be re-shown with a form error or answer a clear 4xx page, leave every application table
/// exactly as it was (<see cref="DatabaseSnapshot"/>), and never answer 5xx. Then the step is taken validly, with HTML,
/// script and SQL metacharacters in every free-text field: they must be stored exactly and shown escaped, never raw.
/// </summary>
public sealed class HostilePageFormsWorkflowTests(MarketplaceFactory factory, ITestOutputHelper output) : IClassFixture<MarketplaceFactory>
{
    /// <summary>A free-text field: its limit (null: none), whether it is required.</summary>
    private sealed record TextField(string Name, int? Max, bool Required);

    /// <summary>
    /// Another field's hostile values; each value is the list of values posted under that name (empty: the field is
    /// left out). <paramref name="Foreign"/>: the values are ids of somebody else's objects, so 403/404 is a clear answer.
    /// </summary>
    private sealed record OtherField(string Name, string[][] Bad, bool Foreign = false);

    private sealed record Form(string Name, string Who, string Page, string Action, Func<List<KeyValuePair<string, string>>> Valid,
        IReadOnlyList<TextField> Texts, IReadOnlyList<OtherField> Others);

    private sealed record Case(string Label, Func<HttpContent> Content, bool NulInside = false, bool Foreign = false);

    private sealed class Tally
    {
        public int Cases { get; set; }
        public int FormErrors { get; set; }
        public int Pages4xx { get; set; }
        public int Verbatim { get; set; }
        public int Failed { get; set; }
    }

    private const string Payload = "Stored as typed: " + HostileInputTests.Script + " " + HostileInputTests.SqlMeta;

    private readonly Dictionary<string, HttpClient> _browsers = [];
    private readonly List<string> _failures = [];
    private readonly Tally _total = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _pages4xx = [];

    private async Task<HttpClient> BrowserAsync(string who)
    {
        if (!_browsers.TryGetValue(who, out var browser))
        {
            browser = await factory.SignedInBrowserAsync(who);
            _browsers[who] = browser;
        }

        return browser;
    }

    private static List<KeyValuePair<string, string>> Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The fields with every value of <paramref name="name"/> replaced by <paramref name="values"/> (none: the field left out).</summary>
    private static List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> fields, string name, IEnumerable<string> values)
    {
        var at = fields.FindIndex(f => f.Key == name);
        var result = fields.Where(f => f.Key != name).ToList();
        result.InsertRange(at < 0 ? result.Count : at, values.Select(v => KeyValuePair.Create(name, v)));
        return result;
    }

    /// <summary>Every hostile case of a form; the antiforgery token is added when it is sent.</summary>
    private static IEnumerable<Case> Cases(Form form, string token)
    {
        List<KeyValuePair<string, string>> WithToken(List<KeyValuePair<string, string>> fields) => [.. fields, KeyValuePair.Create("__RequestVerificationToken", token)];
        Case Posted(string label, string name, IEnumerable<string> values, bool nul = false, bool foreign = false) =>
            new(label, () => new FormUrlEncodedContent(WithToken(Replace(form.Valid(), name, values))), nul, foreign);

        foreach (var text in form.Texts)
        {
            if (text.Max is { } max)
            {
                yield return Posted($"{text.Name} {max + 1} chars", text.Name, [new string('長', max + 1)]);
            }

            yield return Posted($"{text.Name} 1 MB", text.Name, [new string('x', 1_000_000)]);
            foreach (var (label, bad) in new[] { ("BEL", "\u0007"), ("ESC", "\u001b[31m"), ("U+202E", "\u202Etxt.exe"), ("U+2066", "\u2066isolated\u2069") })
            {
                yield return Posted($"{text.Name} with {label}", text.Name, ["Looks fine " + bad + " here"]);
            }

            if (text.Required)
            {
                yield return Posted($"{text.Name} empty", text.Name, [""]);
                yield return Posted($"{text.Name} whitespace", text.Name, [" \t\r\n\u00a0\u3000 "]);
                yield return Posted($"{text.Name} missing", text.Name, []);
            }
        }

        foreach (var other in form.Others)
        {
            foreach (var bad in other.Bad)
            {
                yield return Posted(bad.Length == 0 ? $"{other.Name} missing" : $"{other.Name} = {string.Join(" + ", bad.Select(b => b.Length > 40 ? b[..40] + "…" : b))}",
                    other.Name, bad, foreign: other.Foreign);
            }
        }

        // A NUL anywhere in the body stops ASP.NET Core from reading the antiforgery token: a 400 page (docs/security.md).
        var nulField = form.Texts.Count > 0 ? form.Texts[0].Name : form.Valid()[0].Key;
        yield return Posted($"{nulField} with NUL", nulField, ["Looks fine \u0000 here"], nul: true);

        var valid = WithToken(form.Valid());
        yield return new Case("body as JSON", () => JsonContent.Create(valid.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Count() == 1 ? (object)g.First().Value : g.Select(v => v.Value).ToArray())));
        yield return new Case("body as text/plain", () => new StringContent(string.Join("&", valid.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))), Encoding.UTF8, "text/plain"));
    }

    /// <summary>Posts every hostile case of the form and records how each was answered; a case fails unless refused clearly with nothing changed.</summary>
    private async Task RunAsync(Form form)
    {
        var browser = await BrowserAsync(form.Who);
        var (pageStatus, pageHtml) = await browser.GetPageAsync(form.Page);
        Assert.True(pageStatus == HttpStatusCode.OK, $"{form.Name}: the form's page {form.Page} answered {(int)pageStatus}");
        var token = AccountTestKit.AntiforgeryToken(pageHtml);
        var tally = new Tally();
        foreach (var hostile in Cases(form, token))
        {
            tally.Cases++;
            var before = await DatabaseSnapshot.TakeAsync(factory);
            using var response = await browser.PostAsync(form.Action, hostile.Content());
            var html = await response.Content.ReadAsStringAsync();
            var changed = DatabaseSnapshot.Changed(before, await DatabaseSnapshot.TakeAsync(factory));
            var status = (int)response.StatusCode;
            var location = response.Headers.Location?.OriginalString ?? "";
            var refusedByGate = status is 401 or 403 || status == 302 && location.Contains("/error/403", StringComparison.Ordinal);
            string? failure = null;
            if (status >= 500)
            {
                failure = $"answered {status}";
            }
            else if (changed.Count > 0)
            {
                failure = $"answered {status} {location} and changed {string.Join(", ", changed)}";
            }
            else if (hostile.NulInside)
            {
                failure = status == 400 ? null : $"expected the 400 page, got {status} {location}";
                tally.Pages4xx += failure is null ? 1 : 0;
            }
            else if ((status == 200 || status is >= 400 and < 500 && !refusedByGate) && html.Contains("data-error-summary", StringComparison.Ordinal))
            {
                tally.FormErrors++;
            }
            else if (refusedByGate && !hostile.Foreign)
            {
                failure = $"answered {status} {location}: the caller, not the input, was refused";
            }
            else if (status is >= 400 and < 500 || refusedByGate)
            {
                tally.Pages4xx++;
                _pages4xx.Add($"{hostile.Label} {status}");
            }
            else
            {
                failure = $"answered {status} {location} without a form error";
            }

            if (failure is not null)
            {
                tally.Failed++;
                _failures.Add($"{form.Name} — {hostile.Label}: {failure}");
            }
        }

        Count(form.Name, tally);
        if (_pages4xx.Count > 0)
        {
            _lines.Add($"  4xx pages of {form.Name}: {string.Join("; ", _pages4xx)}");
            _pages4xx.Clear();
        }
    }

    private void Count(string name, Tally tally)
    {
        _total.Cases += tally.Cases;
        _total.FormErrors += tally.FormErrors;
        _total.Pages4xx += tally.Pages4xx;
        _total.Verbatim += tally.Verbatim;
        _total.Failed += tally.Failed;
        _lines.Add($"{name}: {tally.Cases} cases, {tally.FormErrors} form errors, {tally.Pages4xx} 4xx pages, {tally.Verbatim} stored verbatim, {tally.Failed} failed");
    }

    /// <summary>
    /// The valid step of the path, posted through the form with <see cref="Payload"/> in its free-text fields: it must
    /// be accepted (a redirect), and each <paramref name="stored"/> query must read the text back exactly.
    /// </summary>
    private async Task StepAsync(string name, string who, string page, string action, List<KeyValuePair<string, string>> fields, params (string Field, string Sql, object Args)[] stored)
    {
        var browser = await BrowserAsync(who);
        var (_, html) = await browser.GetPageAsync(page);
        using var response = await browser.PostAsync(action, new FormUrlEncodedContent([.. fields, KeyValuePair.Create("__RequestVerificationToken", AccountTestKit.AntiforgeryToken(html))]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"{name} ({action}): {(int)response.StatusCode} {Shorten(ErrorsOf(body))}{Environment.NewLine}Hostile cases failed before this step:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}");

        var tally = new Tally();
        await using var connection = await factory.Database.Connections.OpenAsync();
        foreach (var (field, sql, args) in stored)
        {
            tally.Cases++;
            var texts = (await connection.QueryAsync<string?>(sql, args)).ToList();
            if (texts.Contains(Payload))
            {
                tally.Verbatim++;
            }
            else
            {
                tally.Failed++;
                _failures.Add($"{name} — {field}: not stored as typed (found {string.Join(" | ", texts.Select(t => Shorten(t ?? "null")))})");
            }
        }

        if (stored.Length > 0)
        {
            Count(name + " (script and SQL text)", tally);
        }
    }

    private static string ErrorsOf(string html)
    {
        var at = html.IndexOf("data-error-summary", StringComparison.Ordinal);
        return at < 0 ? html : html[at..Math.Min(html.Length, at + 600)];
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Day(DateTimeOffset now, int days) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Numbers a whole-number field must refuse beside those of its own range.</summary>
    private static readonly string[][] BadNumbers = [["-1"], ["0"], ["2147483648"], ["99999999999999999999"], ["1e30"], ["1.5"], ["seven"], [""], []];

    [Fact]
    public async Task EveryHostileReviewAndDeliveryForm_IsRefusedWithAFormErrorOr4xx_ChangesNothing_AndNeverAnswers500()
    {
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, strip);
        var rival = await factory.SubmitThroughApiAsync(OtherVendor, strip);
        // A proposal to another enterprise's challenge: an id that exists but belongs elsewhere.
        var elsewhere = await factory.SubmitThroughApiAsync(OtherVendor, await factory.ChallengeIdAsync("Cold-chain route planning for 300 daily drops"));
        factory.PassTheDeadlines();
        await factory.CloseDueChallengesAsync();

        var reviewerId = await factory.UserIdAsync(Reviewer);
        var reviewer2Id = await factory.UserIdAsync(ReviewTestKit.Reviewer2);
        var reviewer3Id = await factory.UserIdAsync(ReviewTestKit.Reviewer3);
        var vendorUserId = await factory.UserIdAsync(Vendor);
        var board = $"/challenges/{strip}/review";

        // Assigning one reviewer (the board's assign form), as an officer.
        await RunAsync(new Form("assign a reviewer", Officer, board, $"{board}/assign",
            () => Fields(("reviewerUserId", Id(reviewer3Id)), ("proposalId", Id(proposal))), [],
            [
                new("reviewerUserId", [.. BadNumbers, ["999999999"]]),
                new("reviewerUserId", [[Id(vendorUserId)]], Foreign: true),
                new("proposalId", [["-1"], ["0"], ["2147483648"], ["99999999999999999999"], ["1e30"], ["1.5"], ["seven"], ["999999999"]]),
                new("proposalId", [[Id(elsewhere)]], Foreign: true),
            ]));
        await StepAsync("assign a reviewer", Officer, board, $"{board}/assign", Fields(("reviewerUserId", Id(reviewer2Id)), ("proposalId", Id(proposal))));

        // The assignment plan: confirm the pairs ("proposalId:reviewerUserId") left ticked or added.
        var plan = $"{board}/assignment-proposal";
        List<KeyValuePair<string, string>> Pairs() => Fields(("pairs", $"{proposal}:{reviewerId}"), ("pairs", $"{rival}:{reviewerId}"), ("pairs", ""));
        await RunAsync(new Form("assignment plan", Officer, plan, plan, Pairs, [],
            [
                new("pairs", [[], [""], ["x"], ["1:2:3"], ["-1:-1"], [$"{proposal}:"], [$":{reviewerId}"], [$"999999999:{reviewerId}"], [$"{proposal}:999999999"],
                    [$"99999999999999999999:{reviewerId}"], [$"{proposal}:{reviewerId}", "garbage"], [$"{proposal}.5:{reviewerId}"], [new string('9', 1_000_000)]]),
                new("pairs", [[$"{elsewhere}:{reviewerId}"], [$"{proposal}:{vendorUserId}"]], Foreign: true),
            ]));
        await StepAsync("assignment plan", Officer, plan, plan, Pairs());

        // The rubric, before any score freezes it.
        List<KeyValuePair<string, string>> Rubric(string zh = "技术成熟度", string en = "Technology maturity")
        {
            var fields = Fields(("criteria[0].NameZh", zh), ("criteria[0].NameEn", en), ("criteria[0].Weight", "60"),
                ("criteria[1].NameZh", "路径创新"), ("criteria[1].NameEn", "Path innovation"), ("criteria[1].Weight", "40"));
            for (var i = 2; i < 8; i++)
            {
                fields.AddRange(Fields(($"criteria[{i}].NameZh", ""), ($"criteria[{i}].NameEn", ""), ($"criteria[{i}].Weight", "")));
            }

            return fields;
        }

        await RunAsync(new Form("rubric", Officer, board, $"{board}/rubric", () => Rubric(),
            [new("criteria[0].NameZh", RubricRules.MaxNameLength, true), new("criteria[1].NameEn", RubricRules.MaxNameLength, true)],
            [
                new("criteria[0].Weight", [.. BadNumbers, ["160"], ["59.5"]]),
                new("criteria[1].Weight", [["-40"], ["2147483648"]]),
            ]));
        await StepAsync("rubric", Officer, board, $"{board}/rubric", Rubric(Payload, Payload),
            ("criteria[0].NameZh", "SELECT name_zh FROM review_criteria WHERE challenge_id = @strip", new { strip }),
            ("criteria[0].NameEn", "SELECT name_en FROM review_criteria WHERE challenge_id = @strip", new { strip }));

        // The award quota.
        await RunAsync(new Form("award quota", Officer, board, $"/challenges/{strip}/award/quota", () => Fields(("quota", "2")), [],
            [new("quota", [.. BadNumbers, ["21"]])]));
        await StepAsync("award quota", Officer, board, $"/challenges/{strip}/award/quota", Fields(("quota", "2")));

        // A reviewer's conflict declaration (reviewer 2, assigned to one proposal above).
        long conflictReview;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            conflictReview = await connection.ExecuteScalarAsync<long>("SELECT id FROM review_assignments WHERE reviewer_user_id = @reviewer2Id AND challenge_id = @strip", new { reviewer2Id, strip });
        }

        var conflictPage = $"/reviews/{conflictReview}";
        await RunAsync(new Form("conflict declaration", ReviewTestKit.Reviewer2, conflictPage, $"{conflictPage}/conflict",
            () => Fields(("reason", "I advised this vendor last year.")), [new("reason", AssignmentWorkflow.MaxReasonLength, true)], []));
        await StepAsync("conflict declaration", ReviewTestKit.Reviewer2, conflictPage, $"{conflictPage}/conflict", Fields(("reason", Payload)),
            ("reason", "SELECT conflict_reason FROM review_assignments WHERE id = @conflictReview", new { conflictReview }));

        // Scores: the reviewer accepts both reviews, then scores every criterion with a comment.
        List<long> reviews;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            reviews = (await connection.QueryAsync<long>("SELECT id FROM review_assignments WHERE reviewer_user_id = @reviewerId AND challenge_id = @strip ORDER BY id", new { reviewerId, strip })).ToList();
        }

        foreach (var review in reviews)
        {
            await StepAsync("accept the review", Reviewer, $"/reviews/{review}", $"/reviews/{review}/accept", []);
        }

        var criteria = await factory.CriterionIdsAsync(strip);
        var otherCriteria = await factory.CriterionIdsAsync(await factory.ChallengeIdAsync("Warehouse pick-path optimisation"));
        var otherCriterion = otherCriteria.Count > 0 ? otherCriteria[0] : 0;
        List<KeyValuePair<string, string>> Scores(string comment = "Sound approach.") =>
            criteria.SelectMany((c, i) => Fields(($"scores[{i}].CriterionId", Id(c)), ($"scores[{i}].Score", "7"), ($"scores[{i}].Comment", comment))).ToList();
        var scorePage = $"/reviews/{reviews[0]}";
        await RunAsync(new Form("scores", Reviewer, scorePage, $"{scorePage}/scores", () => Scores(),
            [new("scores[0].Comment", RubricRules.MaxCommentLength, true), new("scores[1].Comment", RubricRules.MaxCommentLength, true)],
            [
                new("scores[0].Score", [.. BadNumbers, ["11"], ["7.5"]]),
                new("scores[1].Score", [["-3"], ["1e30"]]),
                new("scores[0].CriterionId", [["-1"], ["0"], ["999999999"], ["x"], ["99999999999999999999"], [], [Id(criteria[1])]]),
                new("scores[0].CriterionId", otherCriterion == 0 ? [] : [[Id(otherCriterion)]], Foreign: true),
            ]));
        foreach (var review in reviews)
        {
            await StepAsync($"scores of review {review}", Reviewer, $"/reviews/{review}", $"/reviews/{review}/scores", Scores(Payload),
                ("scores[i].Comment", "SELECT comment FROM review_scores WHERE assignment_id = @review", new { review }));
        }

        await StepAsync("close technical scoring", Officer, board, $"{board}/close", []);

        // The award decision: winners in rank order, written feedback to the others, or no award with its reason.
        await RunAsync(new Form("award decision", Officer, board, $"/challenges/{strip}/award",
            () => Fields(("winners", Id(proposal)), ($"feedback[{rival}]", "A sound plan, priced above the winner."), ($"feedback[{proposal}]", ""), ("reason", "Best recall in review.")),
            [new($"feedback[{rival}]", AwardRules.MaxFeedbackLength, true), new("reason", AwardRules.MaxReasonLength, false)],
            [
                new("winners", [[], ["-1"], ["0"], ["999999999"], ["x"], ["1.5"], ["99999999999999999999"], [Id(proposal), Id(rival), "999999999"], [Id(proposal), "x"]]),
                new("winners", [[Id(elsewhere)]], Foreign: true),
                new("noAward", [["yes"], ["1"], ["true"]]),
                new("feedback[x]", [["not a proposal"]]),
            ]));
        await RunAsync(new Form("award decision (no award)", Officer, board, $"/challenges/{strip}/award",
            () => Fields(("noAward", "true"), ("reason", "No proposal met the recall target."), ($"feedback[{proposal}]", "Recall below target."), ($"feedback[{rival}]", "Recall below target.")),
            [new("reason", AwardRules.MaxReasonLength, true)], [new("noAward", [["maybe"], ["on"]])]));
        await StepAsync("award decision", Officer, board, $"/challenges/{strip}/award",
            Fields(("winners", Id(proposal)), ("winners", Id(rival)), ($"feedback[{proposal}]", ""), ($"feedback[{rival}]", ""), ("noAward", "false"), ("reason", Payload)),
            ("reason", "SELECT reason FROM award_decisions WHERE challenge_id = @strip", new { strip }));

        // Delivery starts (the challenge page's form, as the enterprise).
        var challengePage = $"/challenges/{strip}";
        await RunAsync(new Form("start delivery", Enterprise, challengePage, $"{challengePage}/delivery/start", () => Fields(("note", "Contract signed on site.")),
            [new("note", Marketplace.Core.Challenges.ChallengeWorkflow.MaxReasonLength, false)], []));
        await StepAsync("start delivery", Enterprise, challengePage, $"{challengePage}/delivery/start", Fields(("note", Payload)),
            ("note", "SELECT reason FROM challenge_audit WHERE challenge_id = @strip", new { strip }));

        var api = await factory.ApiClientAsync(Enterprise);
        long[] projects;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            projects = (await connection.QueryAsync<long>("SELECT id FROM delivery_projects WHERE challenge_id = @strip ORDER BY proposal_id = @proposal DESC", new { strip, proposal })).ToArray();
        }

        var project = $"/delivery/projects/{projects[0]}";
        var milestones = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(api, projects[0]));
        var foreignMilestones = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(api, projects[1]));

        // Milestone evidence (text and links, one a line), as the vendor.
        List<KeyValuePair<string, string>> Evidence(string body = "Pilot running on line 2 since Monday.") => Fields(("body", body), ("links", "https://example.com/pilot-report\nhttps://example.com/log"));
        await RunAsync(new Form("milestone evidence", Vendor, project, $"/delivery/milestones/{milestones[0]}/evidence", () => Evidence(),
            [new("body", MilestoneWorkflow.MaxEvidenceLength, true), new("links", null, false)],
            [new("links", [["javascript:alert(1)"], ["not a link"], ["file:///etc/passwd"], ["https://example.com/" + new string('a', MilestoneWorkflow.MaxLinkLength)],
                [string.Join("\n", Enumerable.Range(0, MilestoneWorkflow.MaxLinks + 1).Select(i => $"https://example.com/{i}"))], ["https://example.com/a\r\n<script>alert(1)</script>"]])]));
        await StepAsync("milestone evidence", Vendor, project, $"/delivery/milestones/{milestones[0]}/evidence", Evidence(Payload),
            ("body", "SELECT body FROM milestone_evidence WHERE milestone_id = @m", new { m = milestones[0] }));

        // Accepting and rejecting it, as the enterprise.
        await RunAsync(new Form("milestone accept", Enterprise, project, $"/delivery/milestones/{milestones[0]}/accept", () => Fields(("targetsMet", "1"), ("note", "Works on line 2.")),
            [new("note", MilestoneWorkflow.MaxNoteLength, false)],
            [new("targetsMet", [["-1"], ["0"], ["99"], ["2147483648"], ["1e30"], ["1.5"], ["one"]])]));
        await RunAsync(new Form("milestone reject", Enterprise, project, $"/delivery/milestones/{milestones[0]}/reject", () => Fields(("reason", "The recall figure is from the wrong line.")),
            [new("reason", MilestoneWorkflow.MaxNoteLength, true)], []));
        await StepAsync("milestone reject", Enterprise, project, $"/delivery/milestones/{milestones[0]}/reject", Fields(("reason", Payload)),
            ("reason", "SELECT note FROM milestone_decisions WHERE milestone_id = @m AND outcome = 'rejected'", new { m = milestones[0] }));
        await StepAsync("milestone evidence again", Vendor, project, $"/delivery/milestones/{milestones[0]}/evidence", Evidence());
        await StepAsync("milestone accept", Enterprise, project, $"/delivery/milestones/{milestones[0]}/accept", Fields(("targetsMet", "1"), ("note", Payload)),
            ("note", "SELECT note FROM milestone_decisions WHERE milestone_id = @m AND outcome = 'accepted'", new { m = milestones[0] }));

        // A stage adjustment of the milestone still open, as the vendor; then the programme office's decision.
        var now = factory.Clock.GetUtcNow();
        List<KeyValuePair<string, string>> Adjustment(string reason = "The line stops for maintenance in the pilot month.", string deliverable = "Acceptance test on line 2") =>
            Fields(("changes[0].MilestoneId", Id(milestones[1])), ("changes[0].NewDueOn", Day(now, 150)), ("changes[0].NewDeliverable", deliverable), ("reason", reason));
        await RunAsync(new Form("stage adjustment", Vendor, project, $"{project}/adjustments", () => Adjustment(),
            [new("reason", StageAdjustmentRules.MaxReasonLength, true), new("changes[0].NewDeliverable", StageAdjustmentRules.MaxDeliverableLength, false)],
            [
                new("changes[0].NewDueOn", [["1900-01-01"], ["0001-01-01"], ["9999-12-31"], ["10000-01-01"], ["not a date"], ["12345"], [Day(now, -1)], ["2026-02-30"]]),
                new("changes[0].MilestoneId", [["-1"], ["0"], ["999999999"], ["x"], ["99999999999999999999"], [Id(milestones[0])], []]),
                new("changes[0].MilestoneId", [[Id(foreignMilestones[1])]], Foreign: true),
            ]));
        await StepAsync("stage adjustment", Vendor, project, $"{project}/adjustments", Adjustment(Payload, Payload),
            ("reason", "SELECT reason FROM stage_adjustments WHERE project_id = @p", new { p = projects[0] }),
            ("changes[0].NewDeliverable", "SELECT i.new_deliverable FROM stage_adjustment_items i JOIN stage_adjustments a ON a.id = i.adjustment_id WHERE a.project_id = @p", new { p = projects[0] }));

        long adjustment;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            adjustment = await connection.ExecuteScalarAsync<long>("SELECT id FROM stage_adjustments WHERE project_id = @p", new { p = projects[0] });
        }

        var decide = $"/delivery/adjustments/{adjustment}/decide";
        await RunAsync(new Form("stage adjustment decline", Officer, project, decide, () => Fields(("projectId", Id(projects[0])), ("note", "The pilot month cannot move."), ("decision", "decline")),
            [new("note", StageAdjustmentRules.MaxReasonLength, true)],
            [
                new("decision", [[], [""], ["maybe"], ["APPROVE"]]),
                new("projectId", [["-1"], ["999999999"], ["x"], []]),
                new("projectId", [[Id(projects[1])]], Foreign: true),
            ]));
        await RunAsync(new Form("stage adjustment approve", Officer, project, decide, () => Fields(("projectId", Id(projects[0])), ("note", ""), ("decision", "approve")),
            [new("note", StageAdjustmentRules.MaxReasonLength, false)], []));
        await StepAsync("stage adjustment decline", Officer, project, decide, Fields(("projectId", Id(projects[0])), ("note", Payload), ("decision", "decline")),
            ("note", "SELECT decision_note FROM stage_adjustments WHERE id = @adjustment", new { adjustment }));

        // The last milestone is delivered and accepted: the project completes and the enterprise is asked for consent.
        await StepAsync("milestone evidence (last)", Vendor, project, $"/delivery/milestones/{milestones[1]}/evidence", Evidence());
        await StepAsync("milestone accept (last)", Enterprise, project, $"/delivery/milestones/{milestones[1]}/accept", Fields(("targetsMet", "1"), ("note", "")));
        await RunAsync(new Form("portfolio consent", Enterprise, project, $"{project}/consent", () => Fields(("nameClient", "true"), ("decision", "grant")), [],
            [new("decision", [[], [""], ["maybe"], ["GRANT"]]), new("nameClient", [["yes"], ["2"]])]));
        await StepAsync("portfolio consent", Enterprise, project, $"{project}/consent", Fields(("nameClient", "true"), ("decision", "grant")));

        // The other vendor's project fails: the programme office files it.
        var failed = $"/delivery/projects/{projects[1]}";
        List<KeyValuePair<string, string>> Failure(string cause = "Recall fell to 80% under the new lighting.", string lessons = "Test under every lighting condition first.") =>
            Fields(("category", "technical"), ("cause", cause), ("lessons", lessons));
        await RunAsync(new Form("failure filing", Officer, failed, $"{failed}/failure", () => Failure(),
            [new("cause", ProjectWorkflow.MaxFilingText, true), new("lessons", ProjectWorkflow.MaxFilingText, true)],
            [new("category", [[], [""], ["<script>"], ["technical' OR '1'='1"], ["3"], ["TECHNICAL"]])]));
        await StepAsync("failure filing", Officer, failed, $"{failed}/failure", Failure(Payload, Payload),
            ("cause", "SELECT cause FROM failure_filings WHERE project_id = @p", new { p = projects[1] }),
            ("lessons", "SELECT lessons FROM failure_filings WHERE project_id = @p", new { p = projects[1] }));

        // Escaping: every page that shows the texts stored above shows them escaped, never raw.
        var pages = new (string Who, string Url, int AtLeast)[]
        {
            (Officer, board, 2), (Reviewer, scorePage, 1), (ReviewTestKit.Reviewer2, "/reviews", 0), (Enterprise, project, 4), (Vendor, project, 4), (Officer, project, 4),
            (Officer, failed, 2), (OtherVendor, failed, 2), (Enterprise, challengePage, 0), (Officer, "/screening/audit", 0),
        };
        var shown = new List<string>();
        foreach (var (who, url, atLeast) in pages)
        {
            using var response = await (await BrowserAsync(who)).GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            var escaped = HostileInputTests.CountOf(html, "&lt;script&gt;alert(");
            var raw = html.Contains("<script>alert", StringComparison.Ordinal) || html.Contains("<img src=x onerror", StringComparison.Ordinal);
            shown.Add($"{url} as {who}: {(int)response.StatusCode}, escaped {escaped}");
            if ((int)response.StatusCode != 200 || raw || escaped < atLeast)
            {
                _failures.Add($"page {url} as {who}: {(int)response.StatusCode}, payload escaped {escaped} times (at least {atLeast}), raw: {raw}");
            }
        }

        foreach (var line in _lines)
        {
            output.WriteLine(line);
        }

        output.WriteLine("Escaping: " + string.Join("; ", shown));
        output.WriteLine($"Hostile page forms (review and delivery): {_total.Cases} cases, {_total.FormErrors} refused with a form error, {_total.Pages4xx} with a 4xx page, " +
            $"{_total.Verbatim} stored verbatim, {_total.Failed} failed (plus {_failures.Count - _total.Failed} page checks failed).");
        Assert.True(_total.Cases > 300, $"only {_total.Cases} cases generated");
        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}");
    }
}
