using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
using Xunit.Abstractions;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The hostile-input suite, second half: the JSON bodies of the workflow after a proposal is in — match signals,
/// revising a proposal, assigning reviewers (one by one and as a plan), the rubric, the award quota, declaring a
/// conflict, scores, the award decision, starting delivery, milestone evidence, accepting and rejecting a milestone,
/// stage adjustments with their approval and decline, failure filings and the portfolio consent, withdrawing and
/// re-opening a challenge; the endpoints that read no body (proposal withdraw, review accept, NDA) get the malformed
/// bodies where their move is refused for its state, and must answer the same 4xx, never a 500. One app walks a
/// seeds/test challenge through the real path and, at each step, first sends every hostile body (control characters in
/// every text included) to that step's endpoint as the party who may use it: each must answer a 4xx with RFC 7807
/// problem details, change no row of the workflow's tables, and never a 500. Then the step is taken with a valid body
/// whose texts carry a script payload and SQL metacharacters; each is read back and must be stored exactly as sent.
/// At the end the payload must come out escaped, never raw, on every page that shows it (the public challenge page
/// with its decision, notifications, delivery, review …) and in the HTML part of every e-mail in the outbox.
/// </summary>
public sealed class HostileInputWorkflowTests(MarketplaceFactory factory, ITestOutputHelper output) : IClassFixture<MarketplaceFactory>
{
    /// <summary>
    /// One endpoint and its valid body. <c>OptionalBody</c>: every field is optional, so an empty body and JSON
    /// <c>null</c> are valid requests (a challenge withdrawn without a reason) and are not sent as hostile cases.
    /// </summary>
    private sealed record Target(string Name, string Who, HttpMethod Method, string Url, Func<JsonObject> Valid,
        IReadOnlyList<(string Path, int? Max, bool Required)> TextFields, IReadOnlyList<(string Path, JsonNode?[] Bad)> OtherFields, bool ControlCharacters = false,
        IReadOnlyList<(string Label, string Json)>? Bodies = null, bool OptionalBody = false);

    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly List<string> _failures = [];
    private int _cases;
    private int _verbatim;

    /// <summary>An acceptance names the challenge's targets it met (1-based): the first one.</summary>
    private static readonly int[] FirstTarget = [1];

    private async Task<HttpClient> ClientAsync(string who)
    {
        if (!_clients.TryGetValue(who, out var client))
        {
            client = await factory.ApiClientAsync(who);
            _clients[who] = client;
        }

        return client;
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var keys = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys");
        var audit = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM challenge_audit");
        var answered = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM challenge_questions WHERE answer IS NOT NULL");
        var statuses = string.Join(",", await connection.QueryAsync<string>("SELECT status || ':' || COALESCE(status_reason, '') || ':' || row_version FROM challenges ORDER BY id"));
        var profiles = string.Join(",", (await connection.QueryAsync("SELECT organisation_id, language, summary, max_trl_delivered, updated_at FROM vendor_profiles ORDER BY organisation_id"))
            .Select(row => string.Join("|", ((IDictionary<string, object?>)row).Values)));
        var cases = string.Join(",", (await connection.QueryAsync("SELECT id, title, client, industry, year, body, outcome, trl FROM portfolio_cases ORDER BY id"))
            .Select(row => string.Join("|", ((IDictionary<string, object?>)row).Values)));
        var signals = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM match_signals");
        var adjustments = string.Join(",", await connection.QueryAsync<string>("SELECT status || ':' || COALESCE(decision_note, '') FROM stage_adjustments ORDER BY id"));
        var consents = string.Join(",", await connection.QueryAsync<string>("SELECT decision FROM portfolio_consents ORDER BY project_id"));
        return $"{await factory.ProposalCountsAsync()}#{await factory.ReviewCountsAsync()}#{await factory.DeliverySnapshotAsync()}#keys={keys}#audit={audit}#answered={answered}" +
            $"#challenges={statuses}#profiles={profiles}#cases={cases}#signals={signals}#adjustments={adjustments}#consents={consents}";
    }

    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        JsonNode node = body;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = node is JsonArray && int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        if (node is JsonArray && int.TryParse(parts[^1], out var at))
        {
            node[at] = value;
        }
        else
        {
            node[parts[^1]] = value;
        }
    }

    private static JsonObject ToJson(object value) => JsonSerializer.SerializeToNode(value, Lifecycle.LifecycleTestKit.Json)!.AsObject();

    /// <summary>Every hostile case for one target: (label, content) pairs.</summary>
    private static IEnumerable<(string Label, Func<HttpContent> Content)> Cases(Target target)
    {
        static HttpContent Json(JsonObject body) => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

        foreach (var (path, max, required) in target.TextFields)
        {
            foreach (var length in max is { } m ? new[] { m + 1, 1_000_000 } : new[] { 1_000_000 })
            {
                yield return ($"{path} {length} chars", () =>
                {
                    var body = target.Valid();
                    Set(body, path, new string('長', length));
                    return Json(body);
                });
            }

            if (target.ControlCharacters)
            {
                foreach (var (label, bad) in new[] { ("NUL", "\u0000"), ("ESC", "\u001b[31m"), ("U+202E", "\u202Etxt.exe") })
                {
                    yield return ($"{path} with {label}", () =>
                    {
                        var body = target.Valid();
                        Set(body, path, "Looks fine " + bad + " here");
                        return Json(body);
                    });
                }
            }

            if (required)
            {
                foreach (var (label, blank) in new[] { ("empty", ""), ("whitespace", " \t\r\n\u00a0\u3000 "), ("null", (string?)null) })
                {
                    yield return ($"{path} {label}", () =>
                    {
                        var body = target.Valid();
                        Set(body, path, blank is null ? null : JsonValue.Create(blank));
                        return Json(body);
                    });
                }
            }
        }

        foreach (var (path, bad) in target.OtherFields)
        {
            foreach (var value in bad)
            {
                yield return ($"{path} = {value?.ToJsonString() ?? "null"}", () =>
                {
                    var body = target.Valid();
                    Set(body, path, value?.DeepClone());
                    return Json(body);
                });
            }
        }

        foreach (var (label, json) in target.Bodies ?? [])
        {
            yield return ($"body {label}", () => new StringContent(json, Encoding.UTF8, "application/json"));
        }

        var valid = target.Valid().ToJsonString();
        foreach (var (label, text) in new[]
        {
            ("malformed JSON", "{\"a\": \"x\", }"), ("truncated JSON", valid[..Math.Min(12, valid.Length - 1)]), ("JSON array", "[]"), ("JSON null", "null"),
            ("JSON string", "\"x\""), ("empty body", ""), ("10,000-deep arrays", new string('[', 10_000) + new string(']', 10_000)),
            ("5,000-deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)),
        })
        {
            if (!(target.OptionalBody && label is "JSON null" or "empty body"))
            {
                yield return ($"body {label}", () => new StringContent(text, Encoding.UTF8, "application/json"));
            }
        }

        // Invalid UTF-8 inside the first string value of the valid body (a broken byte in a property the endpoint ignores would prove nothing).
        var firstString = valid.IndexOf("\":\"", StringComparison.Ordinal) + 3;
        byte[] broken = [.. Encoding.UTF8.GetBytes(valid[..firstString]), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(valid[firstString..])];
        yield return ("invalid UTF-8", () => new ByteArrayContent(broken) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        yield return ("as text/plain", () => new StringContent(valid, Encoding.UTF8, "text/plain"));
        yield return ("as application/xml", () => new StringContent("<body><reason>x</reason></body>", Encoding.UTF8, "application/xml"));
        yield return ("as form-encoded", () => new StringContent("a[=1&reason=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        yield return ("no content type", () => new ByteArrayContent(Encoding.UTF8.GetBytes(valid)));
    }

    /// <summary>Sends every hostile case of the target; records each failure (not a 4xx, not problem details, or something changed).</summary>
    private async Task RunAsync(Target target)
    {
        var client = await ClientAsync(target.Who);
        foreach (var (label, content) in Cases(target))
        {
            _cases++;
            var before = await SnapshotAsync();
            using var request = new HttpRequestMessage(target.Method, target.Url) { Content = content() };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var after = await SnapshotAsync();
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status is 401 or 403)
            {
                // Refused before the input was even read: the case would prove nothing about the input.
                _failures.Add($"{target.Name} {label}: {status} (the caller, not the input, was refused)");
            }
            else if (status is < 400 or >= 500)
            {
                _failures.Add($"{target.Name} {label}: expected a 4xx, got {status} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
            else if (mediaType != "application/problem+json")
            {
                _failures.Add($"{target.Name} {label}: {status} without problem details ({mediaType ?? "no content type"})");
            }
            else if (before != after)
            {
                _failures.Add($"{target.Name} {label}: {status} but something changed ({before} → {after})");
            }
        }
    }

    private const string Payload = HostileInputTests.Script;

    /// <summary>What the stored steps put into their texts: the script payload and the SQL metacharacters, both legitimate text.</summary>
    private const string Stored = Payload + " " + HostileInputTests.SqlMeta;

    /// <summary>A text stored by a valid step must read back exactly as it was sent (nothing escaped, trimmed inside or lost).</summary>
    private void Verbatim(string field, string? actual, string sent)
    {
        _verbatim++;
        if (actual != sent)
        {
            _failures.Add($"{field}: stored {(actual is null ? "nothing" : Shorten(actual))} instead of {sent}");
        }
    }

    private async Task VerbatimAsync(string field, string sql, object parameters, string sent)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        Verbatim(field, await connection.QuerySingleOrDefaultAsync<string>(sql, parameters), sent);
    }

    /// <summary>Every string value anywhere in a JSON document (the API may escape "&lt;" as \u003C: parsing undoes that).</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A step of the real path must succeed; if it does not, the hostile cases that already failed (and likely caused it) are named.</summary>
    private async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode}: {Shorten(text)}{Environment.NewLine}Hostile cases failed before this step:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Day(DateTimeOffset now, int days) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task EveryHostileWorkflowBody_IsRefusedWithProblemDetails_ChangesNothing_AndNeverAnswers500()
    {
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, strip);
        var rival = await factory.SubmitThroughApiAsync(OtherVendor, strip);
        var now = factory.Clock.GetUtcNow();

        // From here on the challenge's title carries the payload, so every notification, e-mail and page that names the
        // challenge (the public decision among them) shows it. It is written directly: storing such a title through the
        // form and the API is HostileInputTests' part; here only what comes out matters.
        var title = "Strip inspection " + Stored;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE challenges SET title = @title WHERE id = @strip", new { title, strip });
        }

        // Match signals: the enterprise records a decision about one of the vendors suggested for its open challenge.
        // The matcher's start-up refresh runs in the background; refresh here so the suggestions exist whatever its pace.
        await factory.Services.GetRequiredService<Marketplace.Data.Matching.Matchmaker>().RefreshAsync("test: suggestions stored");
        long suggested;
        using (var suggestions = await (await ClientAsync(Enterprise)).GetAsync($"/api/v1/challenges/{strip}/suggestions"))
        {
            var list = await OkJsonAsync(suggestions, HttpStatusCode.OK);
            Assert.True(list.GetArrayLength() > 0, "the strip challenge has stored suggestions");
            suggested = list[0].GetProperty("vendorId").GetInt64();
        }

        await RunAsync(new Target("POST /api/v1/challenges/{id}/suggestions/{vendorId}/signals", Enterprise, HttpMethod.Post, $"/api/v1/challenges/{strip}/suggestions/{suggested}/signals",
            () => new JsonObject { ["kind"] = "shortlisted" }, [("kind", null, true)],
            [("kind", ["hired", "awarded", "SHORTLISTED", " shortlisted", "shortlisted' OR '1'='1", "<script>", 5, true, new JsonArray("invited"), new JsonObject()])],
            ControlCharacters: true));

        using (var signalled = await (await ClientAsync(Enterprise)).PostAsJsonAsync($"/api/v1/challenges/{strip}/suggestions/{suggested}/signals", new { kind = "shortlisted" }))
        {
            await OkJsonAsync(signalled, HttpStatusCode.NoContent);
        }

        // Screening: a challenge submitted for screening is returned or rejected by an officer, always with a reason.
        long screened;
        using (var created = await (await ClientAsync(Enterprise)).PostAsJsonAsync("/api/v1/challenges", Lifecycle.LifecycleTestKit.ChallengeJson(now, "Hostile screening reasons")))
        {
            screened = (await OkJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        using (var submitted = await (await ClientAsync(Enterprise)).PostAsync($"/api/v1/challenges/{screened}/submit", null))
        {
            await OkJsonAsync(submitted, HttpStatusCode.OK);
        }

        foreach (var move in new[] { "return", "reject" })
        {
            await RunAsync(new Target($"POST /api/v1/challenges/{{id}}/{move}", Officer, HttpMethod.Post, $"/api/v1/challenges/{screened}/{move}",
                () => new JsonObject { ["reason"] = "The targets need a measurable recall figure." }, [("reason", Marketplace.Core.Challenges.ChallengeWorkflow.MaxReasonLength, true)],
                [("reason", [12345, new JsonArray(), new JsonObject()])], ControlCharacters: true));
        }

        // The refusals judged the reason, not the state: a valid return still goes through.
        using (var returned = await (await ClientAsync(Officer)).PostAsJsonAsync($"/api/v1/challenges/{screened}/return", new { reason = "The targets need a measurable recall figure." }))
        {
            await OkJsonAsync(returned, HttpStatusCode.OK);
        }

        // Editing a draft challenge (PUT), as the enterprise that owns it, with the rowVersion it read.
        long draft;
        using (var created = await (await ClientAsync(Enterprise)).PostAsJsonAsync("/api/v1/challenges", Lifecycle.LifecycleTestKit.ChallengeJson(now, "Hostile challenge edits")))
        {
            draft = (await OkJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        long draftVersion;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            draftVersion = await connection.ExecuteScalarAsync<long>("SELECT row_version FROM challenges WHERE id = @draft", new { draft });
        }

        JsonObject Draft()
        {
            var body = ToJson(Lifecycle.LifecycleTestKit.ChallengeJson(now, "Hostile challenge edits"));
            body["rowVersion"] = draftVersion;
            return body;
        }

        await RunAsync(new Target("PUT /api/v1/challenges/{id}", Enterprise, HttpMethod.Put, $"/api/v1/challenges/{draft}", Draft,
            [("title", Marketplace.Core.Challenges.ChallengeDraftRules.MaxTitle, true), ("scenario", Marketplace.Core.Challenges.ChallengeDraftRules.MaxText, true),
             ("acceptanceTargets.0.metric", 400, true), ("acceptanceTargets.0.testMethod", Marketplace.Core.Challenges.ChallengeDraftRules.MaxTestMethod, true)],
            [("targetTrl", [-1, 0, 10, 2147483648L, "six", 6.5]), ("budgetAmount", [-1, 0, JsonNode.Parse("1e40"), "lots"]), ("budgetCurrency", ["<b>", "元", "CNY1"]),
             ("deadlineAt", [now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture), now.AddYears(6).ToString("O", CultureInfo.InvariantCulture), "9999-12-31T00:00:00Z", "not a date", 12345]),
             ("industry", ["no-such-industry", ""]), ("language", ["xx"]), ("acceptanceTargets", [new JsonArray()]), ("rowVersion", [null, "one"])], ControlCharacters: true));

        using (var edited = await (await ClientAsync(Enterprise)).PutAsync($"/api/v1/challenges/{draft}", JsonContent.Create(Draft())))
        {
            await OkJsonAsync(edited, HttpStatusCode.OK);
        }

        // Withdrawing a challenge (the enterprise's own draft): the reason is optional, and held to the limit when given.
        async Task<long> CreatedChallengeAsync(string challengeTitle)
        {
            using var created = await (await ClientAsync(Enterprise)).PostAsJsonAsync("/api/v1/challenges", Lifecycle.LifecycleTestKit.ChallengeJson(now, challengeTitle));
            return (await OkJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        var toWithdraw = await CreatedChallengeAsync("Hostile withdrawal");
        await RunAsync(new Target("POST /api/v1/challenges/{id}/withdraw", Enterprise, HttpMethod.Post, $"/api/v1/challenges/{toWithdraw}/withdraw",
            () => new JsonObject { ["reason"] = "The line is sold." }, [("reason", Marketplace.Core.Challenges.ChallengeWorkflow.MaxReasonLength, false)],
            [("reason", [12345, true, new JsonArray("x"), new JsonObject()])], ControlCharacters: true, OptionalBody: true));
        using (var withdrawn = await (await ClientAsync(Enterprise)).PostAsJsonAsync($"/api/v1/challenges/{toWithdraw}/withdraw", new { reason = "Withdrawn. " + Stored }))
        {
            await OkJsonAsync(withdrawn, HttpStatusCode.OK);
        }

        await VerbatimAsync("challenge withdrawal reason", "SELECT reason FROM challenge_audit WHERE challenge_id = @toWithdraw AND to_status = 'withdrawn'", new { toWithdraw },
            "Withdrawn. " + Stored);

        // A challenge published now that no vendor answers: after the deadlines pass it ends without proposals and is re-opened (at the end).
        var toReopen = await CreatedChallengeAsync("Hostile re-opening");
        using (var submitted = await (await ClientAsync(Enterprise)).PostAsync($"/api/v1/challenges/{toReopen}/submit", null))
        {
            await OkJsonAsync(submitted, HttpStatusCode.OK);
        }

        using (var published = await (await ClientAsync(Officer)).PostAsync($"/api/v1/challenges/{toReopen}/publish", null))
        {
            await OkJsonAsync(published, HttpStatusCode.OK);
        }

        // The vendor's own profile (PUT), as a member of the vendor organisation.
        static JsonObject Profile() => new()
        {
            ["language"] = "zh", ["summary"] = "面向钢铁行业的表面缺陷检测与边缘部署。", ["maxTrlDelivered"] = 8,
            ["capabilities"] = new JsonArray("surface-inspection", "edge-ai"), ["industries"] = new JsonArray("steel"),
        };
        await RunAsync(new Target("PUT /api/v1/my/vendor-profile", Vendor, HttpMethod.Put, "/api/v1/my/vendor-profile", Profile,
            [("summary", Marketplace.Core.Features.Vendors.VendorProfileRules.MaxSummary, true)],
            [("maxTrlDelivered", [-1, 0, 10, 2147483648L, "eight", 7.5]), ("language", ["xx", 3]), ("capabilities", [new JsonArray("telepathy"), new JsonArray(5),
              new JsonArray(Enumerable.Range(0, 13).Select(i => (JsonNode?)JsonValue.Create($"tag-{i}")).ToArray())]), ("industries", [new JsonArray("no-such-industry")])],
            ControlCharacters: true));

        using (var saved = await (await ClientAsync(Vendor)).PutAsync("/api/v1/my/vendor-profile", JsonContent.Create(Profile())))
        {
            await OkJsonAsync(saved, HttpStatusCode.OK);
        }

        // Portfolio cases: added (POST), then rewritten (PUT), as a member of the vendor.
        var lastYear = now.UtcDateTime.Year - 1;
        JsonObject Case() => new()
        {
            ["title"] = "带钢表面检测", ["client"] = "A cold-rolling mill", ["industry"] = "steel", ["year"] = lastYear,
            ["body"] = "冷轧线 12 台线扫相机。", ["outcome"] = "Recall 98% on line 2.", ["trl"] = 8,
        };
        IReadOnlyList<(string, int?, bool)> caseTexts =
        [
            ("title", Marketplace.Core.Features.Vendors.VendorProfileRules.MaxTitle, true), ("client", Marketplace.Core.Features.Vendors.VendorProfileRules.MaxClient, false),
            ("body", Marketplace.Core.Features.Vendors.VendorProfileRules.MaxBody, true), ("outcome", Marketplace.Core.Features.Vendors.VendorProfileRules.MaxOutcome, false),
        ];
        IReadOnlyList<(string, JsonNode?[])> caseOthers =
        [
            ("year", [-1, 1979, lastYear + 2, 2147483648L, "last year", 2020.5]), ("trl", [-1, 0, 10, "eight", 7.5]), ("industry", ["no-such-industry", 5]),
            ("title", ["Two\nlines"]),
        ];
        await RunAsync(new Target("POST /api/v1/my/vendor-profile/cases", Vendor, HttpMethod.Post, "/api/v1/my/vendor-profile/cases", Case, caseTexts, caseOthers, ControlCharacters: true));

        long portfolioCase;
        using (var added = await (await ClientAsync(Vendor)).PostAsync("/api/v1/my/vendor-profile/cases", JsonContent.Create(Case())))
        {
            portfolioCase = (await OkJsonAsync(added, HttpStatusCode.Created)).GetProperty("caseId").GetInt64();
        }

        await RunAsync(new Target("PUT /api/v1/my/vendor-profile/cases/{id}", Vendor, HttpMethod.Put, $"/api/v1/my/vendor-profile/cases/{portfolioCase}", Case, caseTexts, caseOthers,
            ControlCharacters: true));

        // Clarifications: the enterprise answers a vendor's question on its published challenge.
        long question;
        using (var asked = await (await ClientAsync(Vendor)).PostAsJsonAsync($"/api/v1/challenges/{strip}/questions", new { question = "Which line speed must the model keep up with?" }))
        {
            question = (await OkJsonAsync(asked, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        await RunAsync(new Target("POST /api/v1/questions/{id}/answer", Enterprise, HttpMethod.Post, $"/api/v1/questions/{question}/answer",
            () => new JsonObject { ["answer"] = "Up to 300 m/min on line 2." }, [("answer", Marketplace.Core.Features.Challenges.AnswerQuestion.MaxAnswerLength, true)],
            [("answer", [12345, true, new JsonArray("x")])], ControlCharacters: true));

        using (var answered = await (await ClientAsync(Enterprise)).PostAsJsonAsync($"/api/v1/questions/{question}/answer", new { answer = "Up to 300 m/min on line 2." }))
        {
            await OkJsonAsync(answered, HttpStatusCode.NoContent);
        }

        // Revising a proposal before the deadline (PUT), as its author.
        await RunAsync(new Target("PUT /api/v1/proposals/{id}", Vendor, HttpMethod.Put, $"/api/v1/proposals/{proposal}", () => ToJson(ValidRequest(factory)),
            [("approach", Marketplace.Core.Proposals.ProposalRules.MaxText, true), ("team", Marketplace.Core.Proposals.ProposalRules.MaxText, false), ("paymentTerms", Marketplace.Core.Proposals.ProposalRules.MaxText, false),
             ("targetAnswers.0", Marketplace.Core.Proposals.ProposalRules.MaxAnswer, true), ("milestones.0.name", null, true), ("milestones.0.deliverable", null, true)],
            [("currentTrl", [-3, 0, 10, 2147483648L, "six", 6.5]), ("deliveryTrl", [-3, 99]), ("priceAmount", [-1, 0, JsonNode.Parse("1e40"), "lots"]),
             ("priceCurrency", ["<b>", "CNY1", "元", "C N"]), ("milestones.0.paymentShare", [-10, 250, "half"]),
             ("milestones.0.dueOn", ["1900-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "yesterday", 12345, Day(now, -1)]), ("milestones", [new JsonArray()]),
             ("targetAnswers", [new JsonArray()]), ("partners", [new JsonArray("no-such-vendor'--")])], ControlCharacters: true));

        // The revision that is stored carries the script payload and SQL metacharacters in every text: read back exactly
        // (through the API, as its author) and checked on the pages at the end.
        var revised = ToJson(ValidRequest(factory, approach: "Approach " + Stored));
        revised["team"] = "Team " + Stored;
        revised["paymentTerms"] = "Terms " + Stored;
        revised["targetAnswers"]![0] = "Recall " + Stored;
        revised["milestones"]![0]!["name"] = "Pilot " + Stored;
        revised["milestones"]![0]!["deliverable"] = "Pilot report " + Stored;
        using (var put = await (await ClientAsync(Vendor)).PutAsync($"/api/v1/proposals/{proposal}", JsonContent.Create(revised)))
        {
            await OkJsonAsync(put, HttpStatusCode.OK);
        }

        using (var read = await (await ClientAsync(Vendor)).GetAsync($"/api/v1/proposals/{proposal}"))
        {
            var view = await OkJsonAsync(read, HttpStatusCode.OK);
            var technical = view.GetProperty("technical");
            Verbatim("proposal approach", technical.GetProperty("approach").GetString(), "Approach " + Stored);
            Verbatim("proposal team", technical.GetProperty("team").GetString(), "Team " + Stored);
            Verbatim("proposal target answer", technical.GetProperty("targetAnswers")[0].GetProperty("answer").GetString(), "Recall " + Stored);
            Verbatim("proposal milestone name", technical.GetProperty("milestones")[0].GetProperty("name").GetString(), "Pilot " + Stored);
            Verbatim("proposal milestone deliverable", technical.GetProperty("milestones")[0].GetProperty("deliverable").GetString(), "Pilot report " + Stored);
            Verbatim("proposal payment terms", view.GetProperty("price").GetProperty("paymentTerms").GetString(), "Terms " + Stored);
        }

        // Review: the deadline passes, two reviewers are assigned (the second to one proposal only), the first accepts.
        factory.PassTheDeadlines();
        // Access tokens issued before the clock moved have expired: every party signs in again.
        foreach (var stale in _clients.Values)
        {
            stale.Dispose();
        }

        _clients.Clear();
        var firstReviews = await factory.AssignAsync(strip, Reviewer);
        var officer = await ClientAsync(Officer);
        var reviewer2Id = await factory.UserIdAsync(ReviewTestKit.Reviewer2);
        long conflictReview;
        using (var assigned = await officer.PostAsJsonAsync($"/api/v1/challenges/{strip}/review/assignments", new { reviewerUserId = reviewer2Id, proposalIds = new[] { proposal } }))
        {
            conflictReview = (await OkJsonAsync(assigned, HttpStatusCode.Created)).GetProperty("assigned")[0].GetProperty("assignmentId").GetInt64();
        }

        var reviewer = await ClientAsync(Reviewer);
        foreach (var review in firstReviews)
        {
            using var accepted = await reviewer.PostAsync($"/api/v1/reviews/{review}/accept", null);
            await OkJsonAsync(accepted, HttpStatusCode.OK);
        }

        // Endpoints that read no body: a hostile body must not break them. Each is sent where the move is refused for
        // its state (a proposal after the deadline, an assignment already accepted, the NDA of a public challenge), so
        // every body must meet the same 4xx problem details and change nothing, never a 500.
        foreach (var (name, who, url) in new[]
                 {
                     ("POST /api/v1/proposals/{id}/withdraw", Vendor, $"/api/v1/proposals/{proposal}/withdraw"),
                     ("POST /api/v1/reviews/{id}/accept", Reviewer, $"/api/v1/reviews/{firstReviews[0]}/accept"),
                     ("POST /api/v1/challenges/{id}/nda", Vendor, $"/api/v1/challenges/{strip}/nda"),
                 })
        {
            await RunAsync(new Target(name, who, HttpMethod.Post, url, () => new JsonObject { ["reason"] = "x" }, [], [],
                Bodies: [("1 MB reason", new JsonObject { ["reason"] = new string('x', 1_000_000) }.ToJsonString()), ("script", new JsonObject { ["reason"] = Stored }.ToJsonString())]));
        }

        var reviewer3Id = await factory.UserIdAsync(ReviewTestKit.Reviewer3);
        await RunAsync(new Target("POST /api/v1/challenges/{id}/review/assignments", Officer, HttpMethod.Post, $"/api/v1/challenges/{strip}/review/assignments",
            () => new JsonObject { ["reviewerUserId"] = reviewer3Id, ["proposalIds"] = new JsonArray(proposal) }, [],
            [("reviewerUserId", [-1, 0, long.MaxValue, JsonNode.Parse("1e30"), "reviewer3", null]),
             ("proposalIds", [new JsonArray(-1), new JsonArray(long.MaxValue), new JsonArray("x"), new JsonArray(JsonNode.Parse("1.5")), new JsonArray(999_999_999)])]));

        await RunAsync(new Target("POST /api/v1/challenges/{id}/reviewer-assignment", Officer, HttpMethod.Post, $"/api/v1/challenges/{strip}/reviewer-assignment",
            () => new JsonObject { ["pairs"] = new JsonArray(new JsonObject { ["proposalId"] = proposal, ["reviewerUserId"] = reviewer3Id }) }, [],
            [("pairs.0.proposalId", [-1, 999_999_999, "x", null]), ("pairs.0.reviewerUserId", [-1, 999_999_999, JsonNode.Parse("1e30")]),
             ("pairs", [new JsonArray(new JsonObject()), new JsonArray(JsonValue.Create(5))])]));

        var criteria = await factory.CriterionIdsAsync(strip);
        JsonObject Rubric() => new()
        {
            ["criteria"] = new JsonArray(
                new JsonObject { ["nameZh"] = "技术成熟度", ["nameEn"] = "Technology maturity", ["weight"] = 60 },
                new JsonObject { ["nameZh"] = "路径创新", ["nameEn"] = "Path innovation", ["weight"] = 40 }),
        };
        await RunAsync(new Target("PUT /api/v1/challenges/{id}/review/rubric", Officer, HttpMethod.Put, $"/api/v1/challenges/{strip}/review/rubric", Rubric,
            [("criteria.0.nameZh", 200, true), ("criteria.1.nameEn", 200, true)],
            [("criteria.0.weight", [-40, 0, 160, 2147483648L, "sixty", 59.5]), ("criteria", [new JsonArray(), new JsonArray(Enumerable.Range(0, 9).Select(_ => (JsonNode?)new JsonObject { ["nameZh"] = "甲", ["nameEn"] = "A", ["weight"] = 11 }).ToArray())])],
            ControlCharacters: true));

        await RunAsync(new Target("PUT /api/v1/challenges/{id}/award/quota", Officer, HttpMethod.Put, $"/api/v1/challenges/{strip}/award/quota",
            () => new JsonObject { ["quota"] = 2 }, [], [("quota", [-1, 0, 21, 2147483648L, JsonNode.Parse("1e30"), "two", 1.5, null])]));

        await RunAsync(new Target("POST /api/v1/reviews/{id}/conflict", ReviewTestKit.Reviewer2, HttpMethod.Post, $"/api/v1/reviews/{conflictReview}/conflict",
            () => new JsonObject { ["reason"] = "I advised this vendor last year." }, [("reason", 2000, true)], [], ControlCharacters: true));

        JsonObject Scores() => ToJson(ReviewTestKit.ScoresBody(criteria, 7));
        await RunAsync(new Target("POST /api/v1/reviews/{id}/scores", Reviewer, HttpMethod.Post, $"/api/v1/reviews/{firstReviews[0]}/scores", Scores,
            [("scores.0.comment", 2000, true)],
            [("scores.0.score", [-1, 0, 11, 2147483648L, JsonNode.Parse("1e30"), "seven", 7.5, null]), ("scores.0.criterionId", [-1, 999_999_999, "x"]),
             ("scores", [new JsonArray()])], ControlCharacters: true));

        // The review finishes: the conflict is declared, every proposal scored, technical scoring closed.
        using (var declared = await (await ClientAsync(ReviewTestKit.Reviewer2)).PostAsJsonAsync($"/api/v1/reviews/{conflictReview}/conflict", new { reason = "I advised this vendor last year. " + Stored }))
        {
            await OkJsonAsync(declared, HttpStatusCode.OK);
        }

        await VerbatimAsync("conflict reason", "SELECT conflict_reason FROM review_assignments WHERE id = @conflictReview", new { conflictReview }, "I advised this vendor last year. " + Stored);
        foreach (var review in firstReviews)
        {
            using var scored = await reviewer.PostAsync($"/api/v1/reviews/{review}/scores", JsonContent.Create(ReviewTestKit.ScoresBody(criteria, 7, "Sound approach. " + Stored)));
            await OkJsonAsync(scored, HttpStatusCode.OK);
        }

        await VerbatimAsync("score comment", "SELECT comment FROM review_scores WHERE assignment_id = @review AND criterion_id = @criterion ORDER BY id DESC LIMIT 1",
            new { review = firstReviews[0], criterion = criteria[0] }, "Sound approach. " + Stored);

        using (var closed = await officer.PostAsync($"/api/v1/challenges/{strip}/review/close", null))
        {
            await OkJsonAsync(closed, HttpStatusCode.OK);
        }

        await RunAsync(new Target("POST /api/v1/challenges/{id}/award", Officer, HttpMethod.Post, $"/api/v1/challenges/{strip}/award",
            () => new JsonObject { ["winners"] = new JsonArray(proposal), ["feedback"] = new JsonObject { [rival.ToString(CultureInfo.InvariantCulture)] = "A sound plan, priced above the winner." } },
            [($"feedback.{rival}", 4000, true)],
            [("winners", [new JsonArray(-1), new JsonArray(999_999_999), new JsonArray("x"), new JsonArray(proposal, rival, 999_999_999), new JsonArray(proposal, JsonNode.Parse("1.5"))]),
             ("noAward", ["yes", 1]), ("feedback", [new JsonObject { ["not-a-number"] = "x" }])], ControlCharacters: true));

        // No award needs its reason.
        await RunAsync(new Target("POST /api/v1/challenges/{id}/award (no award)", Officer, HttpMethod.Post, $"/api/v1/challenges/{strip}/award",
            () => new JsonObject { ["noAward"] = true, ["reason"] = "No proposal met the recall target.", ["feedback"] = new JsonObject
            {
                [proposal.ToString(CultureInfo.InvariantCulture)] = "Recall below target.", [rival.ToString(CultureInfo.InvariantCulture)] = "Recall below target.",
            } },
            [("reason", 2000, true)], [], ControlCharacters: true));

        using (var decided = await officer.PostAsJsonAsync($"/api/v1/challenges/{strip}/award", new { winners = new[] { proposal, rival }, reason = "Both met the targets in review. " + Stored }))
        {
            await OkJsonAsync(decided, HttpStatusCode.Created);
        }

        await VerbatimAsync("award reason", "SELECT reason FROM award_decisions WHERE challenge_id = @strip", new { strip }, "Both met the targets in review. " + Stored);

        // Delivery: start, evidence, accept / reject, stage adjustment, failure filing.
        await RunAsync(new Target("POST /api/v1/challenges/{id}/delivery/start", Enterprise, HttpMethod.Post, $"/api/v1/challenges/{strip}/delivery/start",
            () => new JsonObject { ["note"] = "Contract signed on site." }, [("note", 2000, false)], [("note", [12345, new JsonArray()])], ControlCharacters: true));

        var enterprise = await ClientAsync(Enterprise);
        List<long> projects;
        using (var started = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{strip}/delivery/start", new { note = "Contract signed on site. " + Stored }))
        {
            projects = (await OkJsonAsync(started, HttpStatusCode.Created)).GetProperty("projectIds").EnumerateArray().Select(e => e.GetInt64()).ToList();
        }

        var milestones = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(enterprise, projects[0]));

        static JsonObject Evidence() => new() { ["body"] = "Pilot running on line 2 since Monday. " + Stored, ["links"] = new JsonArray("https://example.com/pilot-report") };
        await RunAsync(new Target("POST /api/v1/milestones/{id}/evidence", Vendor, HttpMethod.Post, $"/api/v1/milestones/{milestones[0]}/evidence",
            Evidence, [("body", 8000, true), ("links.0", 2000, false)],
            [("links", [new JsonArray("javascript:alert(1)"), new JsonArray("not a link"), new JsonArray("file:///etc/passwd"), new JsonArray(Enumerable.Range(0, 21).Select(i => (JsonNode?)JsonValue.Create($"https://example.com/{i}")).ToArray()), new JsonArray(JsonValue.Create(5))])], ControlCharacters: true));

        using (var evidence = await (await ClientAsync(Vendor)).PostAsync($"/api/v1/milestones/{milestones[0]}/evidence", JsonContent.Create(Evidence())))
        {
            await OkJsonAsync(evidence, HttpStatusCode.Created);
        }

        async Task SubmitEvidenceAsync(HttpClient client, long milestone)
        {
            using var submitted = await client.PostAsync($"/api/v1/milestones/{milestone}/evidence", JsonContent.Create(Evidence()));
            await OkJsonAsync(submitted, HttpStatusCode.Created);
        }

        const string LatestEvidence = "SELECT body FROM milestone_evidence WHERE milestone_id = @milestone ORDER BY id DESC LIMIT 1";
        await VerbatimAsync("milestone evidence", LatestEvidence, new { milestone = milestones[0] }, "Pilot running on line 2 since Monday. " + Stored);

        await RunAsync(new Target("POST /api/v1/milestones/{id}/accept", Enterprise, HttpMethod.Post, $"/api/v1/milestones/{milestones[0]}/accept",
            () => new JsonObject { ["note"] = "Works on line 2.", ["targetsMet"] = new JsonArray(1) }, [("note", 2000, false)],
            [("targetsMet", [new JsonArray(-1), new JsonArray(0), new JsonArray(99), new JsonArray(2147483648L), new JsonArray("one")])], ControlCharacters: true));

        await RunAsync(new Target("POST /api/v1/milestones/{id}/reject", Enterprise, HttpMethod.Post, $"/api/v1/milestones/{milestones[0]}/reject",
            () => new JsonObject { ["reason"] = "The recall figure is from the wrong line." }, [("reason", 2000, true)], [], ControlCharacters: true));

        await RunAsync(new Target("POST /api/v1/delivery-projects/{id}/stage-adjustments", Vendor, HttpMethod.Post, $"/api/v1/delivery-projects/{projects[0]}/stage-adjustments",
            () => new JsonObject
            {
                ["reason"] = "The line stops for maintenance in the pilot month.",
                ["changes"] = new JsonArray(new JsonObject { ["milestoneId"] = milestones[1], ["newDueOn"] = Day(factory.Clock.GetUtcNow(), 150), ["newDeliverable"] = "Acceptance test on line 2" }),
            },
            [("reason", 2000, true), ("changes.0.newDeliverable", 2000, false)],
            [("changes.0.newDueOn", ["1900-01-01", "0001-01-01", "9999-12-31", "not a date", 12345, Day(factory.Clock.GetUtcNow(), -1)]),
             ("changes.0.milestoneId", [-1, 999_999_999, "x"]), ("changes", [new JsonArray()])], ControlCharacters: true));

        await RunAsync(new Target("POST /api/v1/delivery-projects/{id}/failure-filing", Officer, HttpMethod.Post, $"/api/v1/delivery-projects/{projects[0]}/failure-filing",
            () => new JsonObject { ["category"] = "technical", ["cause"] = "Recall fell to 80% under the new lighting.", ["lessons"] = "Test under every lighting condition first." },
            [("cause", 4000, true), ("lessons", 4000, true), ("category", null, true)], [("category", ["<script>", "technical' OR '1'='1", 3])], ControlCharacters: true));

        // The delivery texts that are stored: a rejection, new evidence and an acceptance of the first milestone.
        var vendor = await ClientAsync(Vendor);
        using (var rejected = await enterprise.PostAsJsonAsync($"/api/v1/milestones/{milestones[0]}/reject", new { reason = "Wrong line. " + Stored }))
        {
            await OkJsonAsync(rejected, HttpStatusCode.OK);
        }

        const string LatestDecisionNote = "SELECT note FROM milestone_decisions WHERE milestone_id = @milestone ORDER BY id DESC LIMIT 1";
        await VerbatimAsync("milestone reject reason", LatestDecisionNote, new { milestone = milestones[0] }, "Wrong line. " + Stored);
        await SubmitEvidenceAsync(vendor, milestones[0]);
        using (var accepted = await enterprise.PostAsJsonAsync($"/api/v1/milestones/{milestones[0]}/accept", new { note = "Works on line 2. " + Stored, targetsMet = FirstTarget }))
        {
            await OkJsonAsync(accepted, HttpStatusCode.OK);
        }

        await VerbatimAsync("milestone accept note", LatestDecisionNote, new { milestone = milestones[0] }, "Works on line 2. " + Stored);

        // A stage adjustment is requested; hostile approvals and declines are refused; it is declined; a second one is approved.
        async Task<long> RequestAdjustmentAsync(string reason)
        {
            var body = new { reason, changes = new[] { new { milestoneId = milestones[1], newDueOn = Day(factory.Clock.GetUtcNow(), 150), newDeliverable = "Acceptance test " + Stored } } };
            using var requested = await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projects[0]}/stage-adjustments", body);
            var adjustment = (await OkJsonAsync(requested, HttpStatusCode.Created)).GetProperty("adjustmentId").GetInt64();
            await VerbatimAsync("stage adjustment reason", "SELECT reason FROM stage_adjustments WHERE id = @adjustment", new { adjustment }, reason);
            await VerbatimAsync("stage adjustment new deliverable", "SELECT new_deliverable FROM stage_adjustment_items WHERE adjustment_id = @adjustment", new { adjustment },
                "Acceptance test " + Stored);
            return adjustment;
        }

        var declinedAdjustment = await RequestAdjustmentAsync("The line stops for maintenance. " + Stored);
        const int MaxNote = Marketplace.Core.Delivery.StageAdjustmentRules.MaxReasonLength;
        await RunAsync(new Target("POST /api/v1/stage-adjustments/{id}/approve", Officer, HttpMethod.Post, $"/api/v1/stage-adjustments/{declinedAdjustment}/approve",
            () => new JsonObject { ["note"] = "Agreed with both parties." }, [("note", MaxNote, false)], [("note", [12345, true, new JsonArray("x"), new JsonObject()])],
            ControlCharacters: true));
        await RunAsync(new Target("POST /api/v1/stage-adjustments/{id}/decline", Officer, HttpMethod.Post, $"/api/v1/stage-adjustments/{declinedAdjustment}/decline",
            () => new JsonObject { ["note"] = "The maintenance stop can move instead." }, [("note", MaxNote, true)], [("note", [12345, true, new JsonArray("x"), new JsonObject()])],
            ControlCharacters: true));

        const string DecisionNote = "SELECT decision_note FROM stage_adjustments WHERE id = @adjustment";
        using (var declined = await officer.PostAsJsonAsync($"/api/v1/stage-adjustments/{declinedAdjustment}/decline", new { note = "Move the stop instead. " + Stored }))
        {
            await OkJsonAsync(declined, HttpStatusCode.OK);
        }

        await VerbatimAsync("stage adjustment decline note", DecisionNote, new { adjustment = declinedAdjustment }, "Move the stop instead. " + Stored);
        var approvedAdjustment = await RequestAdjustmentAsync("The stop cannot move. " + Stored);
        using (var approved = await officer.PostAsJsonAsync($"/api/v1/stage-adjustments/{approvedAdjustment}/approve", new { note = "Agreed. " + Stored }))
        {
            await OkJsonAsync(approved, HttpStatusCode.OK);
        }

        await VerbatimAsync("stage adjustment approval note", DecisionNote, new { adjustment = approvedAdjustment }, "Agreed. " + Stored);
        await VerbatimAsync("adjusted milestone deliverable", "SELECT deliverable FROM delivery_milestones WHERE id = @milestone", new { milestone = milestones[1] }, "Acceptance test " + Stored);

        // The second milestone is delivered and accepted: the project is complete, and the enterprise answers about publishing it.
        await SubmitEvidenceAsync(vendor, milestones[1]);
        using (var completed = await enterprise.PostAsJsonAsync($"/api/v1/milestones/{milestones[1]}/accept", new { note = "Accepted.", targetsMet = FirstTarget }))
        {
            Assert.True((await OkJsonAsync(completed, HttpStatusCode.OK)).GetProperty("projectCompleted").GetBoolean(), "the project is complete");
        }

        await RunAsync(new Target("POST /api/v1/delivery-projects/{id}/portfolio-consent", Enterprise, HttpMethod.Post, $"/api/v1/delivery-projects/{projects[0]}/portfolio-consent",
            () => new JsonObject { ["grant"] = true, ["nameClient"] = false }, [],
            [("grant", ["yes", "true", 1, 0, null, new JsonArray(), new JsonObject()]), ("nameClient", ["no", 1, null])],
            Bodies: [("without grant", "{\"nameClient\": true}"), ("empty object", "{}")]));

        using (var consented = await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projects[0]}/portfolio-consent", new { grant = true, nameClient = false }))
        {
            await OkJsonAsync(consented, HttpStatusCode.OK);
        }

        // The other project is filed as failed, with the payload in its cause and lessons.
        using (var failed = await officer.PostAsJsonAsync($"/api/v1/delivery-projects/{projects[1]}/failure-filing",
                   new { category = "technical", cause = "Recall fell under new lighting. " + Stored, lessons = "Test every lighting first. " + Stored }))
        {
            await OkJsonAsync(failed, HttpStatusCode.OK);
        }

        await VerbatimAsync("failure cause", "SELECT cause FROM failure_filings WHERE project_id = @project", new { project = projects[1] }, "Recall fell under new lighting. " + Stored);
        await VerbatimAsync("failure lessons", "SELECT lessons FROM failure_filings WHERE project_id = @project", new { project = projects[1] }, "Test every lighting first. " + Stored);

        // Re-opening: the challenge published earlier passed its deadline without proposals; the closing work ends it.
        await factory.Services.GetRequiredService<Marketplace.Core.Features.Notifications.LifecycleClockWork>().RunAsync(CancellationToken.None);
        var later = factory.Clock.GetUtcNow();
        JsonObject Reopen() => new() { ["deadlineAt"] = later.AddDays(20).ToString("O", CultureInfo.InvariantCulture), ["note"] = "Open again." };
        await RunAsync(new Target("POST /api/v1/challenges/{id}/reopen", Enterprise, HttpMethod.Post, $"/api/v1/challenges/{toReopen}/reopen", Reopen,
            [("note", Marketplace.Core.Challenges.ChallengeWorkflow.MaxReasonLength, false)],
            [("deadlineAt", [later.AddDays(-1).ToString("O", CultureInfo.InvariantCulture), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", later.AddYears(6).ToString("O", CultureInfo.InvariantCulture),
                "31/12/2027", "not a date", 12345, true, null, new JsonArray(), new JsonObject()]), ("note", [12345, new JsonArray("x")])],
            ControlCharacters: true, Bodies: [("without deadlineAt", "{\"note\": \"Open again.\"}"), ("empty object", "{}")]));
        using (var reopened = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{toReopen}/reopen", new { deadlineAt = later.AddDays(20), note = "Open again. " + Stored }))
        {
            await OkJsonAsync(reopened, HttpStatusCode.OK);
        }

        // Escaping: the payload stored above (the challenge title; proposal texts; a conflict reason; score comments; the
        // award reason; milestone evidence and decisions; adjustment texts; the failure filing; the portfolio case made on
        // consent) must never come out raw on a page that may show it.
        string vendorSlug;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            vendorSlug = await connection.ExecuteScalarAsync<string>("SELECT o.slug FROM organisations o JOIN delivery_projects p ON p.vendor_id = o.id WHERE p.id = @project",
                new { project = projects[0] }) ?? "";
        }

        var pages = new (string? Who, string Url, int AtLeast)[]
        {
            (null, $"/challenges/{strip}", 1), (Vendor, $"/challenges/{strip}", 1), (Enterprise, $"/challenges/{strip}", 1), (Enterprise, $"/challenges/{strip}/decision-report", 0),
            (Enterprise, "/notifications", 1), (Vendor, "/notifications", 1), (Officer, "/notifications", 1), (null, $"/vendors/{vendorSlug}", 1),
            (Vendor, $"/proposals/{proposal}", 3), (Enterprise, $"/challenges/{strip}/proposals", 0), (Reviewer, $"/reviews/{firstReviews[0]}", 2),
            (Officer, $"/challenges/{strip}/review", 5), (Officer, "/screening/audit", 0), (Enterprise, $"/delivery/projects/{projects[0]}", 3),
            (Vendor, $"/delivery/projects/{projects[0]}", 3), (Officer, "/dashboard", 0), (Vendor, "/my/proposals", 0), (Officer, $"/proposals/{proposal}", 3),
        };
        var shown = new List<string>();
        foreach (var (who, url, atLeast) in pages)
        {
            using var browser = await factory.SignedInBrowserAsync(who);
            using var response = await browser.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            var escaped = HostileInputTests.CountOf(html, "&lt;script&gt;alert(");
            shown.Add($"{url} as {who ?? "a visitor"}: {(int)response.StatusCode}, escaped {escaped}");
            if ((int)response.StatusCode >= 500 || html.Contains("<script>alert", StringComparison.Ordinal) || html.Contains("<img src=x onerror", StringComparison.Ordinal) || escaped < atLeast)
            {
                _failures.Add($"page {url} as {who}: {(int)response.StatusCode}, payload escaped {escaped} times (at least {atLeast}), raw: {html.Contains("<script>alert", StringComparison.Ordinal)}");
            }
        }

        output.WriteLine("Escaping: " + string.Join("; ", shown));

        // The notification list in the API is JSON: the payload comes back exactly as stored (no HTML there to escape).
        foreach (var who in new[] { Enterprise, Vendor, Officer })
        {
            using var listed = await (await ClientAsync(who)).GetAsync("/api/v1/notifications?pageSize=100");
            var exact = Strings(await OkJsonAsync(listed, HttpStatusCode.OK)).Count(text => text.Contains(Stored, StringComparison.Ordinal));
            output.WriteLine($"GET /api/v1/notifications as {who}: {exact} texts carry the payload exactly");
            if (exact == 0)
            {
                _failures.Add($"GET /api/v1/notifications as {who}: no text carries the payload as stored");
            }
        }

        // E-mails, as the outbox stores them (rendered when the notification is written): the HTML part shows the payload
        // escaped and never raw; the text part may carry it verbatim.
        var mails = 0;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            foreach (var (kind, text, html) in await connection.QueryAsync<(string, string, string)>("SELECT kind, text_body, html_body FROM email_outbox ORDER BY id"))
            {
                var raw = html.Contains("<script>alert", StringComparison.Ordinal) || html.Contains("<img src=x onerror", StringComparison.Ordinal);
                if (!text.Contains(Payload, StringComparison.Ordinal) && !raw)
                {
                    continue;
                }

                mails++;
                var escaped = HostileInputTests.CountOf(html, "&lt;script&gt;alert(");
                output.WriteLine($"e-mail {kind}: text part carries the payload {HostileInputTests.CountOf(text, Payload)} times, HTML part escaped {escaped}, raw {raw}");
                if (raw || escaped == 0)
                {
                    _failures.Add($"e-mail {kind}: HTML part escaped the payload {escaped} times, raw: {raw}");
                }
            }
        }

        if (mails == 0)
        {
            _failures.Add("no e-mail in the outbox carries the payload");
        }

        output.WriteLine($"Stored verbatim: {_verbatim} texts; e-mails checked: {mails}.");
        output.WriteLine($"Hostile-input suite (workflow bodies): {_cases} cases run, {_failures.Count} failed.");
        Assert.True(_cases > 300, $"only {_cases} cases generated");
        Assert.True(_failures.Count == 0, $"{_failures.Count} of {_cases} failed:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}");
    }
}
