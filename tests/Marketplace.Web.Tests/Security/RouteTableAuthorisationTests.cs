using Dapper;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The authorisation matrix generated from the route table: every endpoint the app maps (pages, API, health, OpenAPI,
/// the jobs dashboard) × every role, a member of another enterprise, a member of another vendor and a signed-out
/// visitor, against the expected outcomes in <see cref="Expected"/>. An endpoint without an entry fails the test (with a
/// suggested line to review), and so does an entry whose endpoint is gone.
///
/// How a cell is probed: GET with real ids — a draft challenge of the enterprise (the other organisation's member must
/// not see it), the vendor's sealed proposal (nor the other vendor), a question on a published challenge — and a number
/// that exists nowhere for other ids. A change the caller must be refused (a D or N cell) is aimed at real objects owned
/// by somebody else (see <see cref="Fill"/>) and every application table is compared before and after it; a change the
/// caller may make is probed so that nothing changes: page forms posted with no fields, API calls with an id that
/// exists nowhere or a body that cannot bind. The table says only what the gate decides:
/// A = through the gate (any answer but 401/403/sign-in/404/5xx), N = 404 (hidden or absent), D = refused (401, 403, a
/// redirect to sign-in or to the 403 page). No cell may answer 5xx.
/// Last run (SQLite, 6 December 2026): 172 endpoints × 8 callers = 1,376 requests, 590 of them refused changes with
/// every table compared (380 aimed at somebody else's real objects); all as expected, none 5xx, no table changed.
/// </summary>
public sealed partial class RouteTableAuthorisationTests(MarketplaceFactory factory, ITestOutputHelper output) : IClassFixture<MarketplaceFactory>
{
    /// <summary>Columns of every row, in this order.</summary>
    private static readonly (string Name, string? Email)[] Callers =
    [
        ("visitor", null), ("vendor", Vendor), ("enterprise", Enterprise), ("reviewer", Reviewer), ("officer", Officer), ("admin", Admin),
        ("other enterprise", OtherEnterprise), ("other vendor", OtherVendor),
    ];

    private const long Nowhere = 987654321;

    /// <summary>"METHOD /route/template" → outcomes for visitor, vendor, enterprise, reviewer, officer, admin, another enterprise's member, another vendor's member.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["DELETE /api/v1/challenges/{id:long}/review/assignments/{assignmentId:long}"] = "DDDDNDDD",
        ["DELETE /api/v1/my/vendor-profile/cases/{id:long}"] = "DNDDDDDN",
        ["GET /"] = "AAAAAAAA",
        ["GET /account/invitations/{token}"] = "NNNNNNNN",
        ["GET /account/organisation"] = "DAAAAAAA",
        ["GET /account/register"] = "AAAAAAAA",
        ["GET /account/signin"] = "AAAAAAAA",
        ["GET /admin/email"] = "DDDDDADD",
        ["GET /admin/users"] = "DDDDDADD",
        ["GET /api/v1/admin/email"] = "DDDDDADD",
        ["GET /api/v1/challenges"] = "AAAAAAAA",
        ["GET /api/v1/challenges/{id:long}"] = "NNANAANN",
        ["GET /api/v1/challenges/{id:long}/award"] = "NNANAANN",
        ["GET /api/v1/challenges/{id:long}/proposals"] = "DDADADND",
        ["GET /api/v1/challenges/{id:long}/questions"] = "NNANAANN",
        ["GET /api/v1/challenges/{id:long}/review"] = "DDDDADDD",
        ["GET /api/v1/challenges/{id:long}/screening"] = "DDDDAADD",
        ["GET /api/v1/challenges/{id:long}/suggestions"] = "DNANAANN",
        ["GET /api/v1/delivery-projects"] = "DAAAAAAA",
        ["GET /api/v1/delivery-projects/{id:long}"] = "DNNNNNNN",
        ["GET /api/v1/jobs"] = "DDDDAADD",
        ["GET /api/v1/me"] = "DAAAAAAA",
        ["GET /api/v1/my/challenges"] = "DDADDDAD",
        ["GET /api/v1/my/proposals"] = "DADDDDDA",
        ["GET /api/v1/my/recommendations"] = "DADDDDDA",
        ["GET /api/v1/my/reviews"] = "DDDADDDD",
        ["GET /api/v1/my/vendor-profile"] = "DADDDDDA",
        ["GET /api/v1/notifications"] = "DAAAAAAA",
        ["GET /api/v1/proposals/{id:long}"] = "DANNNNNN",
        ["GET /api/v1/proposals/{id:long}/outcome"] = "DADDDDDN",
        ["GET /api/v1/proposals/{id:long}/reviewer-suggestions"] = "DDDDNNDD",
        ["GET /api/v1/proposals/{id:long}/versions/{version:int}"] = "DADDDDDN",
        ["GET /api/v1/reviews/{id:long}"] = "DDDNDDDD",
        ["GET /api/v1/screening/challenges"] = "DDDDAADD",
        ["GET /api/v1/vendors"] = "AAAAAAAA",
        ["GET /api/v1/vendors/names"] = "AAAAAAAA",
        ["GET /api/v1/vendors/{slug}"] = "NNNNNNNN",
        ["GET /challenges"] = "AAAAAAAA",
        ["GET /challenges/{id:long}"] = "NNANAANN",
        ["GET /challenges/{id:long}/decision-report"] = "DNANAANN",
        ["GET /challenges/{id:long}/nda"] = "DNDDDDDN",
        ["GET /challenges/{id:long}/proposals"] = "DDADADND",
        ["GET /challenges/{id:long}/proposals/new"] = "DNDDDDDN",
        ["GET /challenges/{id:long}/review"] = "DDDDADDD",
        ["GET /challenges/{id:long}/review/assignment-proposal"] = "DDDDADDD",
        ["GET /dashboard"] = "DAAAAAAA",
        ["GET /delivery"] = "DAAAAAAA",
        ["GET /delivery/projects/{id:long}"] = "DNNNNNNN",
        ["GET /email/preferences"] = "DAAAAAAA",
        ["GET /email/unsubscribe/{token}"] = "NNNNNNNN",
        ["GET /error/{statusCode:int}"] = "NNNNNNNN",
        ["GET /exports/{dataset}.{format}"] = "DDDDNDDD",
        ["GET /hangfire/{**path}"] = "DDDDAADD",
        ["GET /health"] = "AAAAAAAA",
        ["GET /language/{culture}"] = "NNNNNNNN",
        ["GET /my/challenges"] = "DDADDDAD",
        ["GET /my/challenges/new"] = "DDADDDAD",
        ["GET /my/challenges/{id:long}/edit"] = "DDADDDND",
        ["GET /my/proposals"] = "DADDDDDA",
        ["GET /my/vendor-profile"] = "DADDDDDA",
        ["GET /my/vendor-profile/cases/new"] = "DADDDDDA",
        ["GET /my/vendor-profile/cases/{id:long}/edit"] = "DNDDDDDN",
        ["GET /notifications"] = "DAAAAAAA",
        ["GET /openapi/{documentName}.json"] = "AAAAAAAA",
        ["GET /proposals/{id:long}"] = "DANNNNNN",
        ["GET /proposals/{id:long}/edit"] = "DADDDDDN",
        ["GET /proposals/{id:long}/receipt"] = "DANNNNNN",
        ["GET /proposals/{id:long}/versions/{version:int}"] = "DADDDDDN",
        ["GET /recommendations"] = "DADDDDDA",
        ["GET /review"] = "DDDDADDD",
        ["GET /reviews"] = "DDDADDDD",
        ["GET /reviews/{id:long}"] = "DDDNDDDD",
        ["GET /screening"] = "DDDDAADD",
        ["GET /screening/audit"] = "DDDDAADD",
        ["GET /screening/challenges/{id:long}"] = "DDDDAADD",
        ["GET /screening/negative-list"] = "DDDDAADD",
        ["GET /vendors"] = "AAAAAAAA",
        ["GET /vendors/{slug}"] = "NNNNNNNN",
        ["POST /account/invitations/{token}"] = "NNNNNNNN",
        ["POST /account/organisation/invitations"] = "DNNNNNNN",
        ["POST /account/register"] = "AAAAAAAA",
        ["POST /account/signin"] = "AAAAAAAA",
        ["POST /account/signout"] = "AAAAAAAA",
        ["POST /admin/email/{id:long}/retry"] = "DDDDDNDD",
        ["POST /api/v1/admin/email/{id:long}/retry"] = "DDDDDNDD",
        ["POST /api/v1/auth/refresh"] = "AAAAAAAA",
        ["POST /api/v1/auth/token"] = "AAAAAAAA",
        ["POST /api/v1/challenges"] = "DDADDDAD",
        ["POST /api/v1/challenges/{id:long}/award"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/delivery/start"] = "DAAAAAAA",
        ["POST /api/v1/challenges/{id:long}/nda"] = "DNDDDDDN",
        ["POST /api/v1/challenges/{id:long}/price-envelopes/open"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/proposals"] = "DADDDDDA",
        ["POST /api/v1/challenges/{id:long}/publish"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/questions"] = "DADDDDDA",
        ["POST /api/v1/challenges/{id:long}/reject"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/reopen"] = "DDADDDAD",
        ["POST /api/v1/challenges/{id:long}/return"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/review/assignments"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/review/close"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment/proposal"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/submit"] = "DDADDDAD",
        ["POST /api/v1/challenges/{id:long}/suggestions/{vendorId:long}/signals"] = "DAAAAAAA",
        ["POST /api/v1/challenges/{id:long}/withdraw"] = "DDADDDAD",
        ["POST /api/v1/delivery-projects/{id:long}/failure-filing"] = "DAAAAAAA",
        ["POST /api/v1/delivery-projects/{id:long}/portfolio-consent"] = "DAAAAAAA",
        ["POST /api/v1/delivery-projects/{id:long}/stage-adjustments"] = "DAAAAAAA",
        ["POST /api/v1/jobs/{name}"] = "DDDDNNDD",
        ["POST /api/v1/milestones/{id:long}/accept"] = "DAAAAAAA",
        ["POST /api/v1/milestones/{id:long}/evidence"] = "DAAAAAAA",
        ["POST /api/v1/milestones/{id:long}/reject"] = "DAAAAAAA",
        ["POST /api/v1/my/vendor-profile/cases"] = "DADDDDDA",
        ["POST /api/v1/notifications/{id:long}/read"] = "DNNNNNNN",
        ["POST /api/v1/proposals/{id:long}/withdraw"] = "DNDDDDDN",
        ["POST /api/v1/questions/{id:long}/answer"] = "DAAAAAAA",
        ["POST /api/v1/reviews/{id:long}/accept"] = "DDDNDDDD",
        ["POST /api/v1/reviews/{id:long}/conflict"] = "DDDADDDD",
        ["POST /api/v1/reviews/{id:long}/scores"] = "DDDADDDD",
        ["POST /api/v1/stage-adjustments/{id:long}/approve"] = "DAAAAAAA",
        ["POST /api/v1/stage-adjustments/{id:long}/decline"] = "DAAAAAAA",
        ["POST /challenges/{id:long}/award"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/award/quota"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/delivery/start"] = "DNNNNNNN",
        ["POST /challenges/{id:long}/nda"] = "DNDDDDDN",
        ["POST /challenges/{id:long}/price-envelopes/open"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/proposals"] = "DNDDDDDN",
        ["POST /challenges/{id:long}/questions"] = "DNDDDDDN",
        ["POST /challenges/{id:long}/review/assign"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/review/assignment-proposal"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/review/assignments/{assignmentId:long}/remove"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/review/close"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/review/rubric"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/suggestions/{vendorId:long}/signal"] = "DNNNNNNN",
        ["POST /delivery/adjustments/{id:long}/decide"] = "DNNNNNNN",
        ["POST /delivery/milestones/{id:long}/accept"] = "DNNNNNNN",
        ["POST /delivery/milestones/{id:long}/evidence"] = "DNNNNNNN",
        ["POST /delivery/milestones/{id:long}/reject"] = "DNNNNNNN",
        ["POST /delivery/projects/{id:long}/adjustments"] = "DNNNNNNN",
        ["POST /delivery/projects/{id:long}/consent"] = "DNNNNNNN",
        ["POST /delivery/projects/{id:long}/failure"] = "DNNNNNNN",
        ["POST /email/preferences"] = "DAAAAAAA",
        ["POST /email/unsubscribe/{token}"] = "NNNNNNNN",
        ["POST /matching/refresh"] = "DDDDAADD",
        ["POST /my/challenges/new"] = "DDADDDAD",
        ["POST /my/challenges/{id:long}/edit"] = "DDNDDDND",
        ["POST /my/challenges/{id:long}/reopen"] = "DDNDDDND",
        ["POST /my/challenges/{id:long}/submit"] = "DDNDDDND",
        ["POST /my/challenges/{id:long}/withdraw"] = "DDNDDDND",
        ["POST /my/vendor-profile"] = "DADDDDDA",
        ["POST /my/vendor-profile/cases/new"] = "DADDDDDA",
        ["POST /my/vendor-profile/cases/{id:long}/delete"] = "DNDDDDDN",
        ["POST /my/vendor-profile/cases/{id:long}/edit"] = "DNDDDDDN",
        ["POST /notifications/read-all"] = "DAAAAAAA",
        ["POST /notifications/{id:long}/read"] = "DNNNNNNN",
        ["POST /proposals/{id:long}"] = "DNDDDDDN",
        ["POST /proposals/{id:long}/withdraw"] = "DNDDDDDN",
        ["POST /questions/{questionId:long}/answer"] = "DDNDNNDD",
        ["POST /reviews/{id:long}/accept"] = "DDDNDDDD",
        ["POST /reviews/{id:long}/conflict"] = "DDDNDDDD",
        ["POST /reviews/{id:long}/scores"] = "DDDNDDDD",
        ["POST /screening/challenges/{id:long}/publish"] = "DDDDNNDD",
        ["POST /screening/challenges/{id:long}/reject"] = "DDDDNNDD",
        ["POST /screening/challenges/{id:long}/return"] = "DDDDNNDD",
        ["POST /screening/negative-list"] = "DDDDAADD",
        ["POST /screening/negative-list/{id:long}"] = "DDDDAADD",
        ["PUT /api/v1/challenges/{id:long}"] = "DDADDDAD",
        ["PUT /api/v1/challenges/{id:long}/award/quota"] = "DDDDADDD",
        ["PUT /api/v1/challenges/{id:long}/review/rubric"] = "DDDDADDD",
        ["PUT /api/v1/my/vendor-profile"] = "DADDDDDA",
        ["PUT /api/v1/my/vendor-profile/cases/{id:long}"] = "DADDDDDA",
        ["PUT /api/v1/proposals/{id:long}"] = "DADDDDDA",
    };

    private sealed record Probe(string Key, string Url, string Method);

    [GeneratedRegex(@"\{(?<name>\*{0,2}\w+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    private List<Probe> Endpoints()
    {
        var probes = new Dictionary<string, Probe>(StringComparer.Ordinal);
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Count == 0 ? ["GET"] : methods.Where(m => m != "HEAD" && m != "OPTIONS"))
            {
                var key = $"{method} {template}";
                probes.TryAdd(key, new Probe(key, template, method));
            }
        }

        return probes.Values.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Real objects: the enterprise's draft and the other enterprise's, the vendor's sealed proposal and the other
    /// vendor's, the vendor's question, and per caller a notification and a portfolio case of somebody else.
    /// </summary>
    private sealed record Ids(long Draft, long OtherDraft, long Published, long Proposal, long OtherProposal, long Question,
        Dictionary<string, long> ForeignNotification, Dictionary<string, long> ForeignCase);

    private async Task<Ids> ArrangeAsync()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Matrix draft"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await Lifecycle.LifecycleTestKit.JsonAsync(created)).GetProperty("id").GetInt64();
        using var otherEnterprise = await factory.ApiClientAsync(OtherEnterprise);
        using var otherCreated = await otherEnterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Matrix draft of the other enterprise"));
        Assert.Equal(HttpStatusCode.Created, otherCreated.StatusCode);
        var otherDraft = (await Lifecycle.LifecycleTestKit.JsonAsync(otherCreated)).GetProperty("id").GetInt64();
        var published = await SeededChallengeIdAsync(factory, ProposalTestKit.StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, published);
        var otherProposal = await factory.SubmitThroughApiAsync(OtherVendor, published);
        using var vendor = await factory.ApiClientAsync(Vendor);
        using var asked = await vendor.PostAsJsonAsync($"/api/v1/challenges/{published}/questions", new { question = "Matrix question?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var question = (await Lifecycle.LifecycleTestKit.JsonAsync(asked)).GetProperty("id").GetInt64();

        var notifications = new Dictionary<string, long>();
        var cases = new Dictionary<string, long>();
        await using var connection = await factory.Database.Connections.OpenAsync();
        foreach (var (name, email) in Callers)
        {
            var caller = new { email = (email ?? "").ToUpperInvariant() };
            if (await connection.ExecuteScalarAsync<long?>(
                    "SELECT MIN(n.id) FROM notifications n WHERE n.recipient_user_id NOT IN (SELECT u.id FROM users u WHERE u.normalized_email = @email)", caller) is { } notification)
            {
                notifications[name] = notification;
            }

            if (await connection.ExecuteScalarAsync<long?>(
                    "SELECT MIN(c.id) FROM portfolio_cases c WHERE c.organisation_id NOT IN (SELECT m.organisation_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.normalized_email = @email)", caller) is { } portfolioCase)
            {
                cases[name] = portfolioCase;
            }
        }

        return new Ids(draft, otherDraft, published, proposal, otherProposal, question, notifications, cases);
    }

    /// <summary>Every application table, one hash each (<see cref="DatabaseSnapshot"/>).</summary>
    private Task<Dictionary<string, string>> SnapshotAsync() => factory.TableHashesAsync();

    /// <summary>
    /// The URL of a probe for one caller. GET: real ids (the enterprise's draft, the vendor's proposal, a question).
    /// A change the caller must be refused (<paramref name="foreign"/>): real ids of objects owned by somebody else —
    /// the enterprise's draft (the other enterprise's for the enterprise), the vendor's proposal (the other vendor's for
    /// the vendor), the vendor's question, somebody else's notification and portfolio case; other ids exist nowhere.
    /// Any other change: ids that exist nowhere, so a caller who gets through changes nothing.
    /// </summary>
    private static string Fill(Probe probe, Ids ids, string caller, bool foreign) => RouteParameter().Replace(probe.Url, match =>
    {
        var name = match.Groups["name"].Value;
        var before = probe.Url[..match.Index];
        string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (probe.Method != "GET" && !foreign)
        {
            return name.StartsWith('*') ? "x" : Id(Nowhere);
        }

        if (probe.Method != "GET")
        {
            return name switch
            {
                "id" or "challengeId" when before.EndsWith("challenges/", StringComparison.Ordinal) => Id(caller == "enterprise" ? ids.OtherDraft : ids.Draft),
                "id" when before.EndsWith("proposals/", StringComparison.Ordinal) => Id(caller == "vendor" ? ids.OtherProposal : ids.Proposal),
                "id" or "questionId" when before.EndsWith("questions/", StringComparison.Ordinal) && caller != "enterprise" => Id(ids.Question),
                "id" when before.EndsWith("notifications/", StringComparison.Ordinal) && ids.ForeignNotification.TryGetValue(caller, out var n) => Id(n),
                "id" when before.EndsWith("cases/", StringComparison.Ordinal) && ids.ForeignCase.TryGetValue(caller, out var c) => Id(c),
                _ when name.StartsWith('*') => "x",
                _ => Id(Nowhere),
            };
        }

        return name switch
        {
            "id" or "challengeId" when before.EndsWith("challenges/", StringComparison.Ordinal) => Id(ids.Draft),
            "id" when before.EndsWith("proposals/", StringComparison.Ordinal) => Id(ids.Proposal),
            "id" when before.EndsWith("questions/", StringComparison.Ordinal) => Id(ids.Question),
            "version" => "1",
            "statusCode" => "404",
            "slug" => "no-such-organisation",
            "token" => "no-such-token",
            "documentName" => "v1",
            _ when name.StartsWith('*') => "",
            _ => Id(Nowhere),
        };
    });

    private static char Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        return status switch
        {
            >= 500 => '5',
            401 or 403 => 'D',
            302 when location.Contains("/account/signin", StringComparison.OrdinalIgnoreCase) || location.Contains("/error/403", StringComparison.Ordinal) => 'D',
            404 => 'N',
            _ => 'A',
        };
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRole_GetsTheExpectedOutcome_AndEveryEndpointHasAnEntry()
    {
        var ids = await ArrangeAsync();
        var probes = Endpoints();
        var clients = new Dictionary<string, (HttpClient Page, HttpClient Api)>();
        foreach (var (name, email) in Callers)
        {
            clients[name] = (await factory.SignedInBrowserAsync(email), await factory.ApiClientAsync(email));
        }

        var failures = new List<string>();
        var missing = new List<string>();
        var cells = 0;
        var refusedChanges = 0;
        var refusedChangesOnRealObjects = 0;
        Dictionary<string, string>? snapshot = null;
        foreach (var probe in probes)
        {
            var observed = new StringBuilder();
            Expected.TryGetValue(probe.Key, out var expectedRow);
            for (var column = 0; column < Callers.Length; column++)
            {
                var name = Callers[column].Name;
                var api = probe.Url.StartsWith("/api/", StringComparison.Ordinal);
                var client = api ? clients[name].Api : clients[name].Page;
                // A change this caller must be refused: aimed at somebody else's real objects, with every table compared.
                // The programme office may act on any organisation's objects, so its 404 cells keep ids that exist
                // nowhere (a real id would let it through to the use case); its refusals by role get real ids too.
                var mustRefuse = probe.Method != "GET" && expectedRow is not null && expectedRow[column] is 'D' or 'N';
                var foreign = mustRefuse && (expectedRow![column] == 'D' || name is not ("officer" or "admin"));
                var url = Fill(probe, ids, name, foreign);
                if (mustRefuse)
                {
                    snapshot ??= await SnapshotAsync();
                    refusedChanges++;
                    refusedChangesOnRealObjects += foreign && !url.Contains(Nowhere.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) ? 1 : 0;
                }
                else
                {
                    snapshot = null;
                }

                HttpResponseMessage response;
                if (!api && probe.Method == "POST")
                {
                    // A page form with its antiforgery token but no fields (and ids that exist nowhere): the gate decides,
                    // then validation refuses. Signing out gets a session of its own, so the others stay signed in.
                    var email = Callers.First(c => c.Name == name).Email;
                    var poster = probe.Url == "/account/signout" ? await factory.SignedInBrowserAsync(email) : client;
                    response = await poster.PostFormAsync(url, new Dictionary<string, string>());
                }
                else
                {
                    using var request = new HttpRequestMessage(new HttpMethod(probe.Method), url);
                    if (probe.Method != "GET")
                    {
                        // A body that binds to no request type: a caller who gets through is refused before anything changes.
                        request.Content = new StringContent("\"matrix\"", Encoding.UTF8, "application/json");
                    }

                    response = await client.SendAsync(request);
                }

                using var answered = response;
                observed.Append(Classify(answered));
                cells++;
                if (mustRefuse)
                {
                    var after = await SnapshotAsync();
                    var changed = after.Where(t => !snapshot!.TryGetValue(t.Key, out var hash) || hash != t.Value).Select(t => t.Key).ToList();
                    if (changed.Count > 0)
                    {
                        failures.Add($"{probe.Key} as {name} ({url}): answered {(int)answered.StatusCode} but changed {string.Join(", ", changed)}");
                    }

                    snapshot = after;
                }
            }

            var seen = observed.ToString();
            if (!Expected.TryGetValue(probe.Key, out var expected))
            {
                missing.Add($"        [\"{probe.Key}\"] = \"{seen}\",");
            }
            else if (seen != expected)
            {
                failures.Add($"{probe.Key}: expected {expected}, got {seen} (visitor, vendor, enterprise, reviewer, officer, admin, other enterprise, other vendor)");
            }

            if (seen.Contains('5', StringComparison.Ordinal))
            {
                failures.Add($"{probe.Key}: a 5xx answer ({seen})");
            }
        }

        var stale = Expected.Keys.Except(probes.Select(p => p.Key)).ToList();
        output.WriteLine($"Authorisation matrix: {probes.Count} endpoints × {Callers.Length} callers = {cells} requests; " +
            $"{refusedChanges} refused changes with every table compared before and after, {refusedChangesOnRealObjects} of them aimed at somebody else's real objects.");
        Assert.True(missing.Count == 0, "Endpoints without an entry in the expected table (review each line, then add it):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        Assert.True(stale.Count == 0, "Entries for endpoints that no longer exist: " + string.Join(", ", stale));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(probes.Count > 100, $"only {probes.Count} endpoints found; is the route table read?");
    }
}
