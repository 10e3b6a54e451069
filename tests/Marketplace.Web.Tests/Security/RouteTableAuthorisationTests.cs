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
/// the jobs dashboard) × every role, a member of another organisation and a signed-out visitor, against the expected
/// outcomes in <see cref="Expected"/>. An endpoint without an entry fails the test (with a suggested line to review),
/// and so does an entry whose endpoint is gone.
///
/// How a cell is probed: GET with real ids — a draft challenge of the enterprise (the other organisation's member must
/// not see it), the vendor's sealed proposal, a question on a published challenge — and a number that exists nowhere
/// for other ids. Changes are probed so that nothing changes for a caller who gets through: page forms are posted
/// without their antiforgery token (400 after authorisation), API calls with an id that exists nowhere (404) or a body
/// that cannot bind (400). The table says only what the gate decides:
/// A = through the gate (any answer but 401/403/sign-in/404/5xx), N = 404 (hidden or absent), D = refused (401, 403, a
/// redirect to sign-in or to the 403 page). No cell may answer 5xx.
/// </summary>
public sealed partial class RouteTableAuthorisationTests(MarketplaceFactory factory, ITestOutputHelper output) : IClassFixture<MarketplaceFactory>
{
    /// <summary>Columns of every row, in this order.</summary>
    private static readonly (string Name, string? Email)[] Callers =
    [
        ("visitor", null), ("vendor", Vendor), ("enterprise", Enterprise), ("reviewer", Reviewer), ("officer", Officer), ("admin", Admin),
        ("other organisation", OtherEnterprise),
    ];

    private const long Nowhere = 987654321;

    /// <summary>"METHOD /route/template" → outcomes for visitor, vendor, enterprise, reviewer, officer, admin, other organisation's member.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["DELETE /api/v1/challenges/{id:long}/review/assignments/{assignmentId:long}"] = "DDDDNDD",
        ["DELETE /api/v1/my/vendor-profile/cases/{id:long}"] = "DNDDDDD",
        ["GET /"] = "AAAAAAA",
        ["GET /account/invitations/{token}"] = "NNNNNNN",
        ["GET /account/organisation"] = "DAAAAAA",
        ["GET /account/register"] = "AAAAAAA",
        ["GET /account/signin"] = "AAAAAAA",
        ["GET /admin/email"] = "DDDDDAD",
        ["GET /admin/users"] = "DDDDDAD",
        ["GET /api/v1/admin/email"] = "DDDDDAD",
        ["GET /api/v1/challenges"] = "AAAAAAA",
        ["GET /api/v1/challenges/{id:long}"] = "NNANAAN",
        ["GET /api/v1/challenges/{id:long}/award"] = "NNANAAN",
        ["GET /api/v1/challenges/{id:long}/proposals"] = "DDADADN",
        ["GET /api/v1/challenges/{id:long}/questions"] = "NNANAAN",
        ["GET /api/v1/challenges/{id:long}/review"] = "DDDDADD",
        ["GET /api/v1/challenges/{id:long}/screening"] = "DDDDAAD",
        ["GET /api/v1/challenges/{id:long}/suggestions"] = "DNANAAN",
        ["GET /api/v1/delivery-projects"] = "DAAAAAA",
        ["GET /api/v1/delivery-projects/{id:long}"] = "DNNNNNN",
        ["GET /api/v1/jobs"] = "DDDDAAD",
        ["GET /api/v1/me"] = "DAAAAAA",
        ["GET /api/v1/my/challenges"] = "DDADDDA",
        ["GET /api/v1/my/proposals"] = "DADDDDD",
        ["GET /api/v1/my/recommendations"] = "DADDDDD",
        ["GET /api/v1/my/reviews"] = "DDDADDD",
        ["GET /api/v1/my/vendor-profile"] = "DADDDDD",
        ["GET /api/v1/notifications"] = "DAAAAAA",
        ["GET /api/v1/proposals/{id:long}"] = "DANNNNN",
        ["GET /api/v1/proposals/{id:long}/outcome"] = "DADDDDD",
        ["GET /api/v1/proposals/{id:long}/reviewer-suggestions"] = "DDDDNND",
        ["GET /api/v1/proposals/{id:long}/versions/{version:int}"] = "DADDDDD",
        ["GET /api/v1/reviews/{id:long}"] = "DDDNDDD",
        ["GET /api/v1/screening/challenges"] = "DDDDAAD",
        ["GET /api/v1/vendors"] = "AAAAAAA",
        ["GET /api/v1/vendors/names"] = "AAAAAAA",
        ["GET /api/v1/vendors/{slug}"] = "NNNNNNN",
        ["GET /challenges"] = "AAAAAAA",
        ["GET /challenges/{id:long}"] = "NNANAAN",
        ["GET /challenges/{id:long}/decision-report"] = "DNANAAN",
        ["GET /challenges/{id:long}/nda"] = "DNDDDDD",
        ["GET /challenges/{id:long}/proposals"] = "DDADADN",
        ["GET /challenges/{id:long}/proposals/new"] = "DNDDDDD",
        ["GET /challenges/{id:long}/review"] = "DDDDADD",
        ["GET /challenges/{id:long}/review/assignment-proposal"] = "DDDDADD",
        ["GET /dashboard"] = "DAAAAAA",
        ["GET /delivery"] = "DAAAAAA",
        ["GET /delivery/projects/{id:long}"] = "DNNNNNN",
        ["GET /email/preferences"] = "DAAAAAA",
        ["GET /email/unsubscribe/{token}"] = "NNNNNNN",
        ["GET /error/{statusCode:int}"] = "NNNNNNN",
        ["GET /exports/{dataset}.{format}"] = "DDDDNDD",
        ["GET /hangfire/{**path}"] = "DDDDAAD",
        ["GET /health"] = "AAAAAAA",
        ["GET /language/{culture}"] = "NNNNNNN",
        ["GET /my/challenges"] = "DDADDDA",
        ["GET /my/challenges/new"] = "DDADDDA",
        ["GET /my/challenges/{id:long}/edit"] = "DDADDDN",
        ["GET /my/proposals"] = "DADDDDD",
        ["GET /my/vendor-profile"] = "DADDDDD",
        ["GET /my/vendor-profile/cases/new"] = "DADDDDD",
        ["GET /my/vendor-profile/cases/{id:long}/edit"] = "DNDDDDD",
        ["GET /notifications"] = "DAAAAAA",
        ["GET /openapi/{documentName}.json"] = "AAAAAAA",
        ["GET /proposals/{id:long}"] = "DANNNNN",
        ["GET /proposals/{id:long}/edit"] = "DADDDDD",
        ["GET /proposals/{id:long}/receipt"] = "DANNNNN",
        ["GET /proposals/{id:long}/versions/{version:int}"] = "DADDDDD",
        ["GET /recommendations"] = "DADDDDD",
        ["GET /review"] = "DDDDADD",
        ["GET /reviews"] = "DDDADDD",
        ["GET /reviews/{id:long}"] = "DDDNDDD",
        ["GET /screening"] = "DDDDAAD",
        ["GET /screening/audit"] = "DDDDAAD",
        ["GET /screening/challenges/{id:long}"] = "DDDDAAD",
        ["GET /screening/negative-list"] = "DDDDAAD",
        ["GET /vendors"] = "AAAAAAA",
        ["GET /vendors/{slug}"] = "NNNNNNN",
        ["POST /account/invitations/{token}"] = "NNNNNNN",
        ["POST /account/organisation/invitations"] = "DNNNNNN",
        ["POST /account/register"] = "AAAAAAA",
        ["POST /account/signin"] = "AAAAAAA",
        ["POST /account/signout"] = "AAAAAAA",
        ["POST /admin/email/{id:long}/retry"] = "DDDDDND",
        ["POST /api/v1/admin/email/{id:long}/retry"] = "DDDDDND",
        ["POST /api/v1/auth/refresh"] = "AAAAAAA",
        ["POST /api/v1/auth/token"] = "AAAAAAA",
        ["POST /api/v1/challenges"] = "DDADDDA",
        ["POST /api/v1/challenges/{id:long}/award"] = "DDDDADD",
        ["POST /api/v1/challenges/{id:long}/delivery/start"] = "DAAAAAA",
        ["POST /api/v1/challenges/{id:long}/nda"] = "DNDDDDD",
        ["POST /api/v1/challenges/{id:long}/price-envelopes/open"] = "DDDDNDD",
        ["POST /api/v1/challenges/{id:long}/proposals"] = "DADDDDD",
        ["POST /api/v1/challenges/{id:long}/publish"] = "DDDDAAD",
        ["POST /api/v1/challenges/{id:long}/questions"] = "DADDDDD",
        ["POST /api/v1/challenges/{id:long}/reject"] = "DDDDAAD",
        ["POST /api/v1/challenges/{id:long}/reopen"] = "DDADDDA",
        ["POST /api/v1/challenges/{id:long}/return"] = "DDDDAAD",
        ["POST /api/v1/challenges/{id:long}/review/assignments"] = "DDDDADD",
        ["POST /api/v1/challenges/{id:long}/review/close"] = "DDDDNDD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment"] = "DDDDADD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment/proposal"] = "DDDDNDD",
        ["POST /api/v1/challenges/{id:long}/submit"] = "DDADDDA",
        ["POST /api/v1/challenges/{id:long}/suggestions/{vendorId:long}/signals"] = "DAAAAAA",
        ["POST /api/v1/challenges/{id:long}/withdraw"] = "DDADDDA",
        ["POST /api/v1/delivery-projects/{id:long}/failure-filing"] = "DAAAAAA",
        ["POST /api/v1/delivery-projects/{id:long}/portfolio-consent"] = "DAAAAAA",
        ["POST /api/v1/delivery-projects/{id:long}/stage-adjustments"] = "DAAAAAA",
        ["POST /api/v1/jobs/{name}"] = "DDDDNND",
        ["POST /api/v1/milestones/{id:long}/accept"] = "DAAAAAA",
        ["POST /api/v1/milestones/{id:long}/evidence"] = "DAAAAAA",
        ["POST /api/v1/milestones/{id:long}/reject"] = "DAAAAAA",
        ["POST /api/v1/my/vendor-profile/cases"] = "DADDDDD",
        ["POST /api/v1/notifications/{id:long}/read"] = "DNNNNNN",
        ["POST /api/v1/proposals/{id:long}/withdraw"] = "DNDDDDD",
        ["POST /api/v1/questions/{id:long}/answer"] = "DAAAAAA",
        ["POST /api/v1/reviews/{id:long}/accept"] = "DDDNDDD",
        ["POST /api/v1/reviews/{id:long}/conflict"] = "DDDADDD",
        ["POST /api/v1/reviews/{id:long}/scores"] = "DDDADDD",
        ["POST /api/v1/stage-adjustments/{id:long}/approve"] = "DAAAAAA",
        ["POST /api/v1/stage-adjustments/{id:long}/decline"] = "DAAAAAA",
        ["POST /challenges/{id:long}/award"] = "DDDDNDD",
        ["POST /challenges/{id:long}/award/quota"] = "DDDDNDD",
        ["POST /challenges/{id:long}/delivery/start"] = "DNNNNNN",
        ["POST /challenges/{id:long}/nda"] = "DNDDDDD",
        ["POST /challenges/{id:long}/price-envelopes/open"] = "DDDDNDD",
        ["POST /challenges/{id:long}/proposals"] = "DNDDDDD",
        ["POST /challenges/{id:long}/questions"] = "DNDDDDD",
        ["POST /challenges/{id:long}/review/assign"] = "DDDDNDD",
        ["POST /challenges/{id:long}/review/assignment-proposal"] = "DDDDNDD",
        ["POST /challenges/{id:long}/review/assignments/{assignmentId:long}/remove"] = "DDDDNDD",
        ["POST /challenges/{id:long}/review/close"] = "DDDDNDD",
        ["POST /challenges/{id:long}/review/rubric"] = "DDDDNDD",
        ["POST /challenges/{id:long}/suggestions/{vendorId:long}/signal"] = "DNNNNNN",
        ["POST /delivery/adjustments/{id:long}/decide"] = "DNNNNNN",
        ["POST /delivery/milestones/{id:long}/accept"] = "DNNNNNN",
        ["POST /delivery/milestones/{id:long}/evidence"] = "DNNNNNN",
        ["POST /delivery/milestones/{id:long}/reject"] = "DNNNNNN",
        ["POST /delivery/projects/{id:long}/adjustments"] = "DNNNNNN",
        ["POST /delivery/projects/{id:long}/consent"] = "DNNNNNN",
        ["POST /delivery/projects/{id:long}/failure"] = "DNNNNNN",
        ["POST /email/preferences"] = "DAAAAAA",
        ["POST /email/unsubscribe/{token}"] = "NNNNNNN",
        ["POST /matching/refresh"] = "DDDDAAD",
        ["POST /my/challenges/new"] = "DDADDDA",
        ["POST /my/challenges/{id:long}/edit"] = "DDNDDDN",
        ["POST /my/challenges/{id:long}/reopen"] = "DDNDDDN",
        ["POST /my/challenges/{id:long}/submit"] = "DDNDDDN",
        ["POST /my/challenges/{id:long}/withdraw"] = "DDNDDDN",
        ["POST /my/vendor-profile"] = "DADDDDD",
        ["POST /my/vendor-profile/cases/new"] = "DADDDDD",
        ["POST /my/vendor-profile/cases/{id:long}/delete"] = "DNDDDDD",
        ["POST /my/vendor-profile/cases/{id:long}/edit"] = "DNDDDDD",
        ["POST /notifications/read-all"] = "DAAAAAA",
        ["POST /notifications/{id:long}/read"] = "DNNNNNN",
        ["POST /proposals/{id:long}"] = "DNDDDDD",
        ["POST /proposals/{id:long}/withdraw"] = "DNDDDDD",
        ["POST /questions/{questionId:long}/answer"] = "DNNNNNN",
        ["POST /reviews/{id:long}/accept"] = "DDDNDDD",
        ["POST /reviews/{id:long}/conflict"] = "DDDNDDD",
        ["POST /reviews/{id:long}/scores"] = "DDDNDDD",
        ["POST /screening/challenges/{id:long}/publish"] = "DDDDNND",
        ["POST /screening/challenges/{id:long}/reject"] = "DDDDNND",
        ["POST /screening/challenges/{id:long}/return"] = "DDDDNND",
        ["POST /screening/negative-list"] = "DDDDAAD",
        ["POST /screening/negative-list/{id:long}"] = "DDDDAAD",
        ["PUT /api/v1/challenges/{id:long}"] = "DDADDDA",
        ["PUT /api/v1/challenges/{id:long}/award/quota"] = "DDDDADD",
        ["PUT /api/v1/challenges/{id:long}/review/rubric"] = "DDDDADD",
        ["PUT /api/v1/my/vendor-profile"] = "DADDDDD",
        ["PUT /api/v1/my/vendor-profile/cases/{id:long}"] = "DADDDDD",
        ["PUT /api/v1/proposals/{id:long}"] = "DADDDDD",
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

    private sealed record Ids(long Draft, long Published, long Proposal, long Question);

    private async Task<Ids> ArrangeAsync()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Matrix draft"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await Lifecycle.LifecycleTestKit.JsonAsync(created)).GetProperty("id").GetInt64();
        var published = await SeededChallengeIdAsync(factory, ProposalTestKit.StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, published);
        using var vendor = await factory.ApiClientAsync(Vendor);
        using var asked = await vendor.PostAsJsonAsync($"/api/v1/challenges/{published}/questions", new { question = "Matrix question?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        return new Ids(draft, published, proposal, (await Lifecycle.LifecycleTestKit.JsonAsync(asked)).GetProperty("id").GetInt64());
    }

    private static string Fill(Probe probe, Ids ids) => RouteParameter().Replace(probe.Url, match =>
    {
        if (probe.Method != "GET")
        {
            return match.Groups["name"].Value.StartsWith('*') ? "x" : Nowhere.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var before = probe.Url[..match.Index];
        return match.Groups["name"].Value switch
        {
            "id" or "challengeId" when before.EndsWith("challenges/", StringComparison.Ordinal) => ids.Draft.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" when before.EndsWith("proposals/", StringComparison.Ordinal) => ids.Proposal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" when before.EndsWith("questions/", StringComparison.Ordinal) => ids.Question.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "version" => "1",
            "statusCode" => "404",
            "slug" => "no-such-organisation",
            "token" => "no-such-token",
            "documentName" => "v1",
            var name when name.StartsWith('*') => "",
            _ => Nowhere.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        foreach (var probe in probes)
        {
            var observed = new StringBuilder();
            foreach (var (name, _) in Callers)
            {
                var api = probe.Url.StartsWith("/api/", StringComparison.Ordinal);
                var client = api ? clients[name].Api : clients[name].Page;
                var url = Fill(probe, ids);
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
            }

            var seen = observed.ToString();
            if (!Expected.TryGetValue(probe.Key, out var expected))
            {
                missing.Add($"        [\"{probe.Key}\"] = \"{seen}\",");
            }
            else if (seen != expected)
            {
                failures.Add($"{probe.Key}: expected {expected}, got {seen} (visitor, vendor, enterprise, reviewer, officer, admin, other organisation)");
            }

            if (seen.Contains('5', StringComparison.Ordinal))
            {
                failures.Add($"{probe.Key}: a 5xx answer ({seen})");
            }
        }

        var stale = Expected.Keys.Except(probes.Select(p => p.Key)).ToList();
        output.WriteLine($"Authorisation matrix: {probes.Count} endpoints × {Callers.Length} callers = {cells} requests.");
        Assert.True(missing.Count == 0, "Endpoints without an entry in the expected table (review each line, then add it):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        Assert.True(stale.Count == 0, "Entries for endpoints that no longer exist: " + string.Join(", ", stale));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(probes.Count > 100, $"only {probes.Count} endpoints found; is the route table read?");
    }
}
