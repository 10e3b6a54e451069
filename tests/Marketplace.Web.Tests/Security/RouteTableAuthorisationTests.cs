using Dapper;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.Data.Matching;
using Marketplace.Jobs;
using Marketplace.Testing;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
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
/// that exists nowhere for other ids. A change the caller must be refused (a D or N cell) is aimed, for every id in its
/// route, at a real object of that kind the caller must not touch (challenges, for delivery start one in delivery of
/// another enterprise; proposals, questions, notifications, portfolio cases, delivery projects, milestones, stage adjustments, review assignments, a dead letter, suggested
/// vendors, a negative-list entry; see <see cref="ArrangeAsync"/> and <see cref="Fill"/>), and every application table
/// is compared before and after it. Only where the programme office may act on anybody's objects
/// (<see cref="ProgrammeOfficeMayAct"/>) and on bearer-token routes do refused cells keep ids that exist nowhere; a
/// refused change aimed at nothing fails the test. A refused API change at a real object is sent with a body its owner
/// could send successfully (<see cref="ValidBodiesAsync"/>), so the cell proves the object check, not the body reader.
/// A change the caller may make is probed so that nothing changes: page forms posted with no fields, API calls with an
/// id that exists nowhere or a body that cannot bind. The table says only what the gate decides:
/// A = through the gate (any answer but 401/403/sign-in/404/5xx), N = 404 (hidden or absent), D = refused (401, 403, a
/// redirect to sign-in or to the 403 page). No cell may answer 5xx. Runs on SQLite and, when MARKETPLACE_TEST_POSTGRES
/// is set, on PostgreSQL.
/// </summary>
public sealed partial class RouteTableAuthorisationTests(ITestOutputHelper output)
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
        ["POST /api/v1/challenges"] = "DDADDDDD",
        ["POST /api/v1/challenges/{id:long}/award"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/delivery/start"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/nda"] = "DNDDDDDN",
        ["POST /api/v1/challenges/{id:long}/price-envelopes/open"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/proposals"] = "DADDDDDA",
        ["POST /api/v1/challenges/{id:long}/publish"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/questions"] = "DADDDDDA",
        ["POST /api/v1/challenges/{id:long}/reject"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/reopen"] = "DDNDDDND",
        ["POST /api/v1/challenges/{id:long}/return"] = "DDDDAADD",
        ["POST /api/v1/challenges/{id:long}/review/assignments"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/review/close"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment"] = "DDDDADDD",
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment/proposal"] = "DDDDNDDD",
        ["POST /api/v1/challenges/{id:long}/submit"] = "DDNDDDND",
        ["POST /api/v1/challenges/{id:long}/suggestions/{vendorId:long}/signals"] = "DNNNAANN",
        ["POST /api/v1/challenges/{id:long}/withdraw"] = "DDNDDDND",
        ["POST /api/v1/delivery-projects/{id:long}/failure-filing"] = "DNNNANNN",
        ["POST /api/v1/delivery-projects/{id:long}/portfolio-consent"] = "DNNNDNNN",
        ["POST /api/v1/delivery-projects/{id:long}/stage-adjustments"] = "DNNNDNNN",
        ["POST /api/v1/jobs/{name}"] = "DDDDNNDD",
        ["POST /api/v1/milestones/{id:long}/accept"] = "DNNNDNNN",
        ["POST /api/v1/milestones/{id:long}/evidence"] = "DNNNDNNN",
        ["POST /api/v1/milestones/{id:long}/reject"] = "DNNNDNNN",
        ["POST /api/v1/my/vendor-profile/cases"] = "DADDDDDA",
        ["POST /api/v1/notifications/{id:long}/read"] = "DNNNNNNN",
        ["POST /api/v1/proposals/{id:long}/withdraw"] = "DNDDDDDN",
        ["POST /api/v1/questions/{id:long}/answer"] = "DDDDAADD",
        ["POST /api/v1/reviews/{id:long}/accept"] = "DDDNDDDD",
        ["POST /api/v1/reviews/{id:long}/conflict"] = "DDDNDDDD",
        ["POST /api/v1/reviews/{id:long}/scores"] = "DDDNDDDD",
        ["POST /api/v1/stage-adjustments/{id:long}/approve"] = "DNNNANNN",
        ["POST /api/v1/stage-adjustments/{id:long}/decline"] = "DNNNANNN",
        ["POST /challenges/{id:long}/award"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/award/quota"] = "DDDDNDDD",
        ["POST /challenges/{id:long}/delivery/start"] = "DDDDNDDD",
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
        ["POST /delivery/milestones/{id:long}/accept"] = "DNNNDNNN",
        ["POST /delivery/milestones/{id:long}/evidence"] = "DNNNDNNN",
        ["POST /delivery/milestones/{id:long}/reject"] = "DNNNDNNN",
        ["POST /delivery/projects/{id:long}/adjustments"] = "DNNNDNNN",
        ["POST /delivery/projects/{id:long}/consent"] = "DNNNDNNN",
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
        ["POST /questions/{questionId:long}/answer"] = "DDDDNNDD",
        ["POST /reviews/{id:long}/accept"] = "DDDNDDDD",
        ["POST /reviews/{id:long}/conflict"] = "DDDNDDDD",
        ["POST /reviews/{id:long}/scores"] = "DDDNDDDD",
        ["POST /screening/challenges/{id:long}/publish"] = "DDDDNNDD",
        ["POST /screening/challenges/{id:long}/reject"] = "DDDDNNDD",
        ["POST /screening/challenges/{id:long}/return"] = "DDDDNNDD",
        ["POST /screening/negative-list"] = "DDDDAADD",
        ["POST /screening/negative-list/{id:long}"] = "DDDDAADD",
        ["PUT /api/v1/challenges/{id:long}"] = "DDNDDDND",
        ["PUT /api/v1/challenges/{id:long}/award/quota"] = "DDDDADDD",
        ["PUT /api/v1/challenges/{id:long}/review/rubric"] = "DDDDADDD",
        ["PUT /api/v1/my/vendor-profile"] = "DADDDDDA",
        ["PUT /api/v1/my/vendor-profile/cases/{id:long}"] = "DNDDDDDN",
        ["PUT /api/v1/proposals/{id:long}"] = "DNDDDDDN",
    };

    /// <summary>
    /// Cells where the programme office may act on any organisation's object (its area policy lets it through): a real
    /// id would take it into the use case and change something, so these cells keep ids that exist nowhere (404) and
    /// must change nothing. Every other refused change is aimed at a real object the caller must not touch.
    /// </summary>
    private static readonly Dictionary<string, string[]> ProgrammeOfficeMayAct = new(StringComparer.Ordinal)
    {
        ["DELETE /api/v1/challenges/{id:long}/review/assignments/{assignmentId:long}"] = ["officer"],
        ["POST /admin/email/{id:long}/retry"] = ["admin"],
        ["POST /api/v1/admin/email/{id:long}/retry"] = ["admin"],
        ["POST /api/v1/challenges/{id:long}/price-envelopes/open"] = ["officer"],
        ["POST /api/v1/challenges/{id:long}/review/close"] = ["officer"],
        ["POST /api/v1/challenges/{id:long}/reviewer-assignment/proposal"] = ["officer"],
        ["POST /api/v1/jobs/{name}"] = ["officer", "admin"],
        ["POST /challenges/{id:long}/award"] = ["officer"],
        ["POST /challenges/{id:long}/award/quota"] = ["officer"],
        ["POST /challenges/{id:long}/delivery/start"] = ["officer"],
        ["POST /challenges/{id:long}/price-envelopes/open"] = ["officer"],
        ["POST /challenges/{id:long}/review/assign"] = ["officer"],
        ["POST /challenges/{id:long}/review/assignment-proposal"] = ["officer"],
        ["POST /challenges/{id:long}/review/assignments/{assignmentId:long}/remove"] = ["officer"],
        ["POST /challenges/{id:long}/review/close"] = ["officer"],
        ["POST /challenges/{id:long}/review/rubric"] = ["officer"],
        ["POST /challenges/{id:long}/suggestions/{vendorId:long}/signal"] = ["officer", "admin"],
        ["POST /delivery/adjustments/{id:long}/decide"] = ["officer"],
        ["POST /delivery/projects/{id:long}/failure"] = ["officer"],
        ["POST /questions/{questionId:long}/answer"] = ["officer", "admin"],
        ["POST /screening/challenges/{id:long}/publish"] = ["officer", "admin"],
        ["POST /screening/challenges/{id:long}/reject"] = ["officer", "admin"],
        ["POST /screening/challenges/{id:long}/return"] = ["officer", "admin"],
    };

    private sealed record Probe(string Key, string Url, string Method);

    [GeneratedRegex(@"\{(?<name>\*{0,2}\w+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    private static List<Probe> Endpoints(MarketplaceFactory factory)
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
    /// Real objects. GET probes use the enterprise's draft, the vendor's sealed proposal and the vendor's question.
    /// A refused change is aimed, per caller, at an object of the route's kind that the caller must not touch:
    /// <see cref="Foreign"/> maps (kind, caller) to its id.
    /// </summary>
    private sealed record Ids(long Draft, long Proposal, long Question, Dictionary<(string Kind, string Caller), long> Foreign);

    /// <summary>
    /// Walks seeds/test challenges through the programme as the other tests do: the vendor bids on the other
    /// enterprise's route-planning challenge, both vendors win the enterprise's strip challenge (deadline, review,
    /// award: <see cref="DeliveryTestKit.AwardAsync"/>), reviewer 2 reviews the route-planning bid next to the
    /// reviewer, the officer awards it, and delivery starts on both: three projects (the enterprise's with each
    /// vendor, the other enterprise's with the vendor), each with its milestones and a stage adjustment asked for by
    /// its vendor. Then, on the moved clock, a fresh published challenge of each enterprise with the vendor's question,
    /// both vendors' sealed proposals, the enterprise's and the other enterprise's drafts, a matching run (suggested
    /// vendors), a negative-list entry and one e-mail made a dead letter.
    /// </summary>
    private static async Task<Ids> ArrangeAsync(MarketplaceFactory factory)
    {
        var route = await factory.ChallengeIdAsync(RouteChallenge);
        var routeBid = await factory.SubmitThroughApiAsync(Vendor, route);
        var (strip, _) = await DeliveryTestKit.AwardAsync(factory, ProposalTestKit.StripChallenge, Vendor, OtherVendor);
        var secondReview = Assert.Single(await factory.AssignAsync(route, ReviewTestKit.Reviewer2));
        await factory.AcceptAndScoreAsync(ReviewTestKit.Reviewer2, secondReview, route, 6);
        await factory.ReviewAndCloseAsync(route);
        using (var officer = await factory.ApiClientAsync(Officer))
        using (var awarded = await officer.PostAsJsonAsync($"/api/v1/challenges/{route}/award", new { winners = new[] { routeBid }, reason = "Met every acceptance target in review." }))
        {
            Assert.Equal(HttpStatusCode.Created, awarded.StatusCode);
        }

        var stripProjects = await DeliveryTestKit.StartDeliveryAsync(factory, strip);
        var routeProject = Assert.Single(await DeliveryTestKit.StartDeliveryAsync(factory, route, OtherEnterprise));
        await using var connection = await factory.Database.Connections.OpenAsync();
        async Task<long> ProjectOfAsync(long challenge, string vendorEmail) => await connection.ExecuteScalarAsync<long>(
            "SELECT p.id FROM delivery_projects p JOIN memberships m ON m.organisation_id = p.vendor_id JOIN users u ON u.id = m.user_id WHERE p.challenge_id = @Challenge AND u.email = @Email",
            new { Challenge = challenge, Email = vendorEmail });
        var vendorProject = await ProjectOfAsync(strip, Vendor);
        var otherVendorProject = await ProjectOfAsync(strip, OtherVendor);
        Assert.Equal(stripProjects.Order(), new[] { vendorProject, otherVendorProject }.Order());
        var milestones = new Dictionary<long, long>();
        var adjustments = new Dictionary<long, long>();
        foreach (var (project, vendorEmail) in new[] { (vendorProject, Vendor), (otherVendorProject, OtherVendor), (routeProject, Vendor) })
        {
            using var vendor = await factory.ApiClientAsync(vendorEmail);
            milestones[project] = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(vendor, project))[0];
            using var requested = await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/stage-adjustments",
                new { reason = "Supplier delay", changes = new[] { new { milestoneId = milestones[project], newDeliverable = "Pilot on line 3" } } });
            Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
            adjustments[project] = (await Lifecycle.LifecycleTestKit.JsonAsync(requested)).GetProperty("adjustmentId").GetInt64();
        }

        // The deadlines above moved the clock past every seeded challenge: the open objects are made afresh.
        var published = await factory.PublishedThroughApiAsync(Enterprise, "Matrix published challenge");
        var otherPublished = await factory.PublishedThroughApiAsync(OtherEnterprise, "Matrix published challenge of the other enterprise");
        var draft = await factory.DraftThroughApiAsync(Enterprise, "Matrix draft");
        var otherDraft = await factory.DraftThroughApiAsync(OtherEnterprise, "Matrix draft of the other enterprise");
        var proposal = await factory.SubmitThroughApiAsync(Vendor, published);
        var otherProposal = await factory.SubmitThroughApiAsync(OtherVendor, published);
        var question = await AskAsync(factory, published);
        var otherQuestion = await AskAsync(factory, otherPublished);
        await factory.Services.GetRequiredService<Matchmaker>().RefreshAsync("authorisation matrix");
        using (var officerPages = await factory.SignedInBrowserAsync(Officer))
        using (var added = await officerPages.PostFormAsync("/screening/negative-list", new Dictionary<string, string>
               {
                   ["Form.Phrase"] = "matrix negative-list phrase", ["Form.LabelZh"] = "矩阵测试条目", ["Form.LabelEn"] = "Matrix entry",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var negativeListEntry = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM negative_list_entries");
        await connection.ExecuteAsync("UPDATE email_outbox SET status = 'dead', attempts = 5, last_error = 'SocketException: Connection refused' WHERE id = (SELECT MIN(id) FROM email_outbox)");
        var deadLetter = await connection.ExecuteScalarAsync<long?>("SELECT MIN(id) FROM email_outbox WHERE status = 'dead'");
        var reviews = (await connection.QueryAsync<(long Id, string Email)>(
            "SELECT a.id, u.email FROM review_assignments a JOIN users u ON u.id = a.reviewer_user_id ORDER BY a.id")).ToList();
        var review = reviews.First(r => r.Email == Reviewer && r.Id != secondReview).Id;
        var reviewedChallenge = await connection.ExecuteScalarAsync<long>("SELECT challenge_id FROM review_assignments WHERE id = @Id", new { Id = review });

        var foreign = new Dictionary<(string, string), long>();
        void Aim(string kind, long forEveryone, params (string Caller, long Id)[] exceptions)
        {
            foreach (var (caller, _) in Callers)
            {
                foreign[(kind, caller)] = exceptions.Any(x => x.Caller == caller) ? exceptions.First(x => x.Caller == caller).Id : forEveryone;
            }
        }

        Aim("challenge", draft, ("enterprise", otherDraft));
        Aim("awarded challenge", strip, ("enterprise", route));
        Aim("proposal", proposal, ("vendor", otherProposal));
        Aim("question", question, ("enterprise", otherQuestion));
        Aim("project", vendorProject, ("vendor", otherVendorProject), ("enterprise", routeProject));
        Aim("milestone", milestones[vendorProject], ("vendor", milestones[otherVendorProject]), ("enterprise", milestones[routeProject]));
        Aim("adjustment", adjustments[vendorProject], ("vendor", adjustments[otherVendorProject]), ("enterprise", adjustments[routeProject]));
        Aim("review", review, ("reviewer", secondReview));
        Aim("reviewed challenge", reviewedChallenge);
        Aim("negative-list entry", negativeListEntry);
        Aim("e-mail", deadLetter ?? throw new InvalidOperationException("No e-mail in the outbox to make a dead letter of."));
        foreach (var (name, email) in Callers)
        {
            // Somebody else's notification, portfolio case and suggested vendor (of a challenge of another enterprise).
            var caller = new { email = (email ?? "").ToUpperInvariant() };
            const string Organisations = "SELECT m.organisation_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.normalized_email = @email";
            if (await connection.ExecuteScalarAsync<long?>(
                    "SELECT MIN(n.id) FROM notifications n WHERE n.recipient_user_id NOT IN (SELECT u.id FROM users u WHERE u.normalized_email = @email)", caller) is { } notification)
            {
                foreign[("notification", name)] = notification;
            }

            if (await connection.ExecuteScalarAsync<long?>($"SELECT MIN(c.id) FROM portfolio_cases c WHERE c.organisation_id NOT IN ({Organisations})", caller) is { } portfolioCase)
            {
                foreign[("case", name)] = portfolioCase;
            }

            var suggestions = (await connection.QueryAsync<(long Challenge, long Vendor)>(
                $"SELECT r.challenge_id, r.vendor_id FROM match_results r JOIN challenges c ON c.id = r.challenge_id WHERE c.enterprise_id NOT IN ({Organisations}) ORDER BY r.challenge_id, r.vendor_id LIMIT 1", caller)).ToList();
            if (suggestions.Count == 1)
            {
                foreign[("suggested challenge", name)] = suggestions[0].Challenge;
                foreign[("suggested vendor", name)] = suggestions[0].Vendor;
            }
        }

        return new Ids(draft, proposal, question, foreign);
    }

    /// <summary>
    /// For every API change with an id in its route: a body the object's owner could send successfully (null where the
    /// action reads none), built per caller for the object that caller is aimed at (the row version of its challenge, the
    /// milestone of its project, the criteria of its review). A refused API change is sent with this body at the real
    /// object, so it is the object check that must refuse it, not the body reader; a refused API change with ids and no
    /// entry here fails the test.
    /// </summary>
    private static async Task<Dictionary<string, Func<string, object?>>> ValidBodiesAsync(MarketplaceFactory factory, Ids ids)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var now = factory.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var rowVersions = new Dictionary<string, long>();
        var criteria = new Dictionary<string, IReadOnlyList<long>>();
        foreach (var (caller, _) in Callers)
        {
            rowVersions[caller] = await connection.ExecuteScalarAsync<long>("SELECT row_version FROM challenges WHERE id = @Id", new { Id = ids.Foreign[("challenge", caller)] });
            criteria[caller] = await factory.CriterionIdsAsync(await connection.ExecuteScalarAsync<long>(
                "SELECT challenge_id FROM review_assignments WHERE id = @Id", new { Id = ids.Foreign[("review", caller)] }));
        }

        var reviewer2 = await factory.UserIdAsync(ReviewTestKit.Reviewer2);
        async Task<long> EnterpriseOfAsync(string email) => await connection.ExecuteScalarAsync<long>(
            "SELECT m.organisation_id FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id WHERE u.email = @Email AND o.kind = 'enterprise'",
            new { Email = email });
        var enterpriseOrganisation = await EnterpriseOfAsync(Enterprise);
        var otherEnterpriseOrganisation = await EnterpriseOfAsync(OtherEnterprise);
        object Challenge(string caller)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToNode(ChallengeJson(now, "Matrix edit"), System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
            body["rowVersion"] = rowVersions[caller];
            return body;
        }

        object WithEnterprise(long organisation)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToNode(ChallengeJson(now, "Matrix draft for somebody else"), System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
            body["enterpriseId"] = organisation;
            return body;
        }

        var reason = new { reason = "Matrix: a reason the owner could give." };
        var portfolioCase = new { title = "Matrix case", client = "A cold-rolling mill", industry = "steel", year = today.Year - 1, body = "Line-scan cameras.", outcome = "Recall 98%.", trl = 8 };
        return new Dictionary<string, Func<string, object?>>(StringComparer.Ordinal)
        {
            // No id in the route, but the body names the enterprise the draft is for: everybody is aimed at the enterprise's
            // organisation, the enterprise at the other enterprise's.
            ["POST /api/v1/challenges"] = caller => WithEnterprise(caller == "enterprise" ? otherEnterpriseOrganisation : enterpriseOrganisation),
            ["DELETE /api/v1/challenges/{id:long}/review/assignments/{assignmentId:long}"] = _ => null,
            ["DELETE /api/v1/my/vendor-profile/cases/{id:long}"] = _ => null,
            ["POST /api/v1/admin/email/{id:long}/retry"] = _ => null,
            ["POST /api/v1/challenges/{id:long}/award"] = _ => new { winners = new[] { ids.Proposal }, reason = "Met every acceptance target in review." },
            ["POST /api/v1/challenges/{id:long}/delivery/start"] = _ => new { note = "Contract signed on site." },
            ["POST /api/v1/challenges/{id:long}/nda"] = _ => null,
            ["POST /api/v1/challenges/{id:long}/price-envelopes/open"] = _ => null,
            ["POST /api/v1/challenges/{id:long}/proposals"] = _ => ProposalTestKit.ValidRequest(factory),
            ["POST /api/v1/challenges/{id:long}/publish"] = _ => new { },
            ["POST /api/v1/challenges/{id:long}/questions"] = _ => new { question = "Matrix question?" },
            ["POST /api/v1/challenges/{id:long}/reject"] = _ => reason,
            ["POST /api/v1/challenges/{id:long}/reopen"] = _ => new { deadlineAt = now.AddDays(30), note = "Open again." },
            ["POST /api/v1/challenges/{id:long}/return"] = _ => reason,
            ["POST /api/v1/challenges/{id:long}/review/assignments"] = _ => new { reviewerUserId = reviewer2, proposalIds = new[] { ids.Proposal } },
            ["POST /api/v1/challenges/{id:long}/review/close"] = _ => null,
            ["POST /api/v1/challenges/{id:long}/reviewer-assignment"] = _ => new { pairs = new[] { new { proposalId = ids.Proposal, reviewerUserId = reviewer2 } } },
            ["POST /api/v1/challenges/{id:long}/reviewer-assignment/proposal"] = _ => null,
            ["POST /api/v1/challenges/{id:long}/submit"] = caller => new { rowVersion = rowVersions[caller] },
            ["POST /api/v1/challenges/{id:long}/suggestions/{vendorId:long}/signals"] = _ => new { kind = Marketplace.Core.Matching.MatchSignalKind.Shortlisted },
            ["POST /api/v1/challenges/{id:long}/withdraw"] = _ => reason,
            ["POST /api/v1/delivery-projects/{id:long}/failure-filing"] = _ => new { category = "technical", cause = "Recall fell under the new lighting.", lessons = "Test under every lighting first." },
            ["POST /api/v1/delivery-projects/{id:long}/portfolio-consent"] = _ => new { grant = true, nameClient = true },
            ["POST /api/v1/delivery-projects/{id:long}/stage-adjustments"] = caller => new
            {
                reason = "Supplier delay",
                changes = new[] { new { milestoneId = ids.Foreign[("milestone", caller)], newDueOn = today.AddDays(150).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), newDeliverable = "Pilot on line 3" } },
            },
            ["POST /api/v1/jobs/{name}"] = _ => null,
            ["POST /api/v1/milestones/{id:long}/accept"] = _ => new { note = "Works on line 2.", targetsMet = new[] { 1 } },
            ["POST /api/v1/milestones/{id:long}/evidence"] = _ => new { body = "Pilot running on line 2 since Monday.", links = new[] { "https://example.com/pilot-report" } },
            ["POST /api/v1/milestones/{id:long}/reject"] = _ => new { reason = "The recall figure is from the wrong line." },
            ["POST /api/v1/notifications/{id:long}/read"] = _ => null,
            ["POST /api/v1/proposals/{id:long}/withdraw"] = _ => null,
            ["POST /api/v1/questions/{id:long}/answer"] = _ => new { answer = "Up to 300 m/min on line 2." },
            ["POST /api/v1/reviews/{id:long}/accept"] = _ => null,
            ["POST /api/v1/reviews/{id:long}/conflict"] = _ => new { reason = "I advised this vendor last year." },
            ["POST /api/v1/reviews/{id:long}/scores"] = caller => ReviewTestKit.ScoresBody(criteria[caller], 7),
            ["POST /api/v1/stage-adjustments/{id:long}/approve"] = _ => new { note = "Approved." },
            ["POST /api/v1/stage-adjustments/{id:long}/decline"] = _ => new { note = "Declined." },
            ["PUT /api/v1/challenges/{id:long}"] = Challenge,
            ["PUT /api/v1/challenges/{id:long}/award/quota"] = _ => new { quota = 2 },
            ["PUT /api/v1/challenges/{id:long}/review/rubric"] = _ => new
            {
                criteria = new[] { new { nameZh = "技术成熟度", nameEn = "Technology maturity", weight = 60 }, new { nameZh = "路径创新", nameEn = "Path innovation", weight = 40 } },
            },
            ["PUT /api/v1/my/vendor-profile/cases/{id:long}"] = _ => portfolioCase,
            ["PUT /api/v1/proposals/{id:long}"] = _ => ProposalTestKit.ValidRequest(factory),
        };
    }

    /// <summary>
    /// The control for <see cref="ValidBodiesAsync"/>: after the matrix, the owners send the same bodies at their own
    /// objects (the ones the other organisation's member was aimed at), in an order the workflow allows, and must
    /// succeed (2xx) — so the refused cells were sent bodies the owner's call goes through with. Returns what failed.
    /// </summary>
    private static async Task<(int Sent, List<string> Failures)> OwnersSucceedWithTheBodiesAsync(MarketplaceFactory factory, Ids ids, Dictionary<string, Func<string, object?>> bodies)
    {
        (string Key, string Owner, string AimedAs, string Kind)[] steps =
        [
            ("POST /api/v1/challenges", Enterprise, "other enterprise", "challenge"),
            ("PUT /api/v1/proposals/{id:long}", Vendor, "other vendor", "proposal"),
            ("PUT /api/v1/challenges/{id:long}", Enterprise, "other enterprise", "challenge"),
            ("POST /api/v1/challenges/{id:long}/withdraw", Enterprise, "other enterprise", "challenge"),
            ("POST /api/v1/questions/{id:long}/answer", Enterprise, "other enterprise", "question"),
            ("POST /api/v1/stage-adjustments/{id:long}/approve", Officer, "other vendor", "adjustment"),
            ("POST /api/v1/delivery-projects/{id:long}/stage-adjustments", Vendor, "other vendor", "project"),
            ("POST /api/v1/milestones/{id:long}/evidence", Vendor, "other vendor", "milestone"),
            ("POST /api/v1/milestones/{id:long}/reject", Enterprise, "other vendor", "milestone"),
            ("POST /api/v1/milestones/{id:long}/evidence", Vendor, "other vendor", "milestone"),
            ("POST /api/v1/milestones/{id:long}/accept", Enterprise, "other vendor", "milestone"),
            ("POST /api/v1/delivery-projects/{id:long}/failure-filing", Officer, "other vendor", "project"),
        ];
        var failures = new List<string>();
        foreach (var (key, owner, aimedAs, kind) in steps)
        {
            var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
            var url = RouteParameter().Replace(key[(method.Length + 1)..], ids.Foreign[(kind, aimedAs)].ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var client = await factory.ApiClientAsync(owner);
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(bodies[key](aimedAs)) };
            using var response = await client.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{key} as its owner {owner} ({url}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return (steps.Length, failures);
    }

    private const string RouteChallenge = "Cold-chain route planning for 300 daily drops";

    private static async Task<long> AskAsync(MarketplaceFactory factory, long challenge)
    {
        using var vendor = await factory.ApiClientAsync(Vendor);
        using var asked = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/questions", new { question = "Matrix question?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        return (await Lifecycle.LifecycleTestKit.JsonAsync(asked)).GetProperty("id").GetInt64();
    }

    private static Task<Dictionary<string, string>> SnapshotAsync(MarketplaceFactory factory) => DatabaseSnapshot.TakeAsync(factory);

    /// <summary>
    /// The URL of a probe for one caller. GET: real ids (the enterprise's draft, the vendor's proposal, a question).
    /// A change the caller must be refused (<paramref name="foreign"/>): for every id in the route, a real object of
    /// that kind the caller must not touch (<see cref="Ids.Foreign"/>); a job's real name; a bearer token that exists
    /// nowhere (whoever holds a real one may use it). Any other change: ids that exist nowhere, so a caller who gets
    /// through changes nothing.
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
            var kind = name switch
            {
                "token" => null,
                "name" when before.EndsWith("jobs/", StringComparison.Ordinal) => "job",
                "assignmentId" => "review",
                "vendorId" => "suggested vendor",
                "id" when probe.Url.Contains("/suggestions/", StringComparison.Ordinal) => "suggested challenge",
                "id" when probe.Url.Contains("/review/assignments/{", StringComparison.Ordinal) => "reviewed challenge",
                "id" when probe.Url.EndsWith("/delivery/start", StringComparison.Ordinal) => "awarded challenge",
                "id" or "challengeId" when before.EndsWith("challenges/", StringComparison.Ordinal) => "challenge",
                "id" when before.EndsWith("proposals/", StringComparison.Ordinal) => "proposal",
                "id" or "questionId" when before.EndsWith("questions/", StringComparison.Ordinal) => "question",
                "id" when before.EndsWith("notifications/", StringComparison.Ordinal) => "notification",
                "id" when before.EndsWith("cases/", StringComparison.Ordinal) => "case",
                "id" when before.EndsWith("projects/", StringComparison.Ordinal) => "project",
                "id" when before.EndsWith("milestones/", StringComparison.Ordinal) => "milestone",
                "id" when before.EndsWith("adjustments/", StringComparison.Ordinal) => "adjustment",
                "id" when before.EndsWith("reviews/", StringComparison.Ordinal) => "review",
                "id" when before.EndsWith("email/", StringComparison.Ordinal) => "e-mail",
                "id" when before.EndsWith("negative-list/", StringComparison.Ordinal) => "negative-list entry",
                _ => "unknown",
            };
            return kind switch
            {
                null => "no-such-token",
                "job" => JobCatalog.Rematch,
                _ when ids.Foreign.TryGetValue((kind, caller), out var id) => Id(id),
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

    /// <summary>The matrix on SQLite, and on PostgreSQL when MARKETPLACE_TEST_POSTGRES is set (always in CI).</summary>
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task EveryEndpoint_ForEveryRole_GetsTheExpectedOutcome_AndEveryEndpointHasAnEntry(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            await RunMatrixAsync(factory, engine);
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    private async Task RunMatrixAsync(MarketplaceFactory factory, string engine)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ids = await ArrangeAsync(factory);
        var validBodies = await ValidBodiesAsync(factory, ids);
        var probes = Endpoints(factory);
        var clients = new Dictionary<string, (HttpClient Page, HttpClient Api)>();
        foreach (var (name, email) in Callers)
        {
            clients[name] = (await factory.SignedInBrowserAsync(email), await factory.ApiClientAsync(email));
        }

        var failures = new List<string>();
        var missing = new List<string>();
        var notAimed = new List<string>();
        var cells = 0;
        var refusedChanges = 0;
        var atRealObjects = 0;
        var withoutIds = 0;
        var officeProbes = 0;
        var tokenProbes = 0;
        var validBodyChanges = 0;
        var withoutValidBody = new List<string>();
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
                // A change this caller must be refused: aimed at real objects it must not touch, with every table
                // compared. Only where the programme office may act on anybody's objects does it keep ids that exist nowhere.
                var mustRefuse = probe.Method != "GET" && expectedRow is not null && expectedRow[column] is 'D' or 'N';
                var officeMayAct = ProgrammeOfficeMayAct.TryGetValue(probe.Key, out var office) && office.Contains(name);
                var foreign = mustRefuse && !officeMayAct;
                var url = Fill(probe, ids, name, foreign);
                if (mustRefuse)
                {
                    snapshot ??= await SnapshotAsync(factory);
                    refusedChanges++;
                    if (officeMayAct)
                    {
                        officeProbes++;
                    }
                    else if (!RouteParameter().IsMatch(probe.Url))
                    {
                        withoutIds++;
                    }
                    else if (probe.Url.Contains("{token}", StringComparison.Ordinal))
                    {
                        tokenProbes++;
                    }
                    else if (url.Contains(Nowhere.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                    {
                        notAimed.Add($"{probe.Key} as {name}");
                    }
                    else
                    {
                        atRealObjects++;
                    }
                }
                else
                {
                    snapshot = null;
                }

                HttpResponseMessage response;
                if (!api && probe.Method == "POST")
                {
                    // A page form with its antiforgery token but no fields: the gate decides, then validation refuses.
                    // Signing out gets a session of its own, so the others stay signed in.
                    var email = Callers.First(c => c.Name == name).Email;
                    var poster = probe.Url == "/account/signout" ? await factory.SignedInBrowserAsync(email) : client;
                    response = await poster.PostFormAsync(url, new Dictionary<string, string>());
                }
                else
                {
                    using var request = new HttpRequestMessage(new HttpMethod(probe.Method), url);
                    if (probe.Method != "GET" && foreign && (RouteParameter().IsMatch(probe.Url) || validBodies.ContainsKey(probe.Key)))
                    {
                        // A refused API change at a real object: the body its owner could send, so only the object check can refuse it.
                        if (validBodies.TryGetValue(probe.Key, out var body))
                        {
                            validBodyChanges++;
                            if (body(name) is { } json)
                            {
                                request.Content = JsonContent.Create(json);
                            }
                        }
                        else
                        {
                            withoutValidBody.Add($"{probe.Key} as {name}");
                        }
                    }
                    else if (probe.Method != "GET")
                    {
                        // A change this caller may make: a body that binds to no request type, so nothing changes.
                        request.Content = new StringContent("\"matrix\"", Encoding.UTF8, "application/json");
                    }

                    response = await client.SendAsync(request);
                }

                using var answered = response;
                observed.Append(Classify(answered));
                cells++;
                if (mustRefuse)
                {
                    var after = await SnapshotAsync(factory);
                    var changed = DatabaseSnapshot.Changed(snapshot!, after);
                    if (changed.Count > 0)
                    {
                        failures.Add($"{probe.Key} as {name} ({url}): answered {(int)answered.StatusCode} but changed {string.Join(", ", changed)}");
                    }

                    snapshot = after;
                }
            }

            var seen = observed.ToString();
            if (expectedRow is null)
            {
                missing.Add($"        [\"{probe.Key}\"] = \"{seen}\",");
            }
            else if (seen != expectedRow)
            {
                failures.Add($"{probe.Key}: expected {expectedRow}, got {seen} (visitor, vendor, enterprise, reviewer, officer, admin, other enterprise, other vendor)");
            }

            if (seen.Contains('5', StringComparison.Ordinal))
            {
                failures.Add($"{probe.Key}: a 5xx answer ({seen})");
            }
        }

        var (ownerCalls, ownerFailures) = await OwnersSucceedWithTheBodiesAsync(factory, ids, validBodies);
        output.WriteLine($"Control: {ownerCalls} of the valid bodies sent by their owners at their own objects, {ownerCalls - ownerFailures.Count} succeeded.");
        var stale = Expected.Keys.Except(probes.Select(p => p.Key)).ToList();
        output.WriteLine($"Authorisation matrix on {engine}: {probes.Count} endpoints × {Callers.Length} callers = {cells} requests; " +
            $"{refusedChanges} refused changes with every table compared before and after: {atRealObjects} aimed at real objects the caller must not touch, " +
            $"{withoutIds} on routes without ids, {officeProbes} programme-office probes (it may act there), {tokenProbes} bearer-token probes, " +
            $"{validBodyChanges} of them API changes sent with a valid body at the real object, " +
            $"{notAimed.Count} aimed at nothing{(notAimed.Count > 0 ? " (" + string.Join("; ", notAimed) + ")" : "")}; {clock.Elapsed.TotalSeconds:F0} s.");
        Assert.True(missing.Count == 0, "Endpoints without an entry in the expected table (review each line, then add it):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        Assert.True(stale.Count == 0, "Entries for endpoints that no longer exist: " + string.Join(", ", stale));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(ownerFailures.Count == 0, "Bodies their owners could not send (fix ValidBodiesAsync): " + string.Join(Environment.NewLine, ownerFailures));
        Assert.True(withoutValidBody.Count == 0, "Refused API changes at real objects without a valid body (add one to ValidBodiesAsync): " + string.Join("; ", withoutValidBody));
        Assert.True(notAimed.Count == 0, "Refused changes not aimed at a real object (map the id's kind in Fill and ArrangeAsync): " + string.Join("; ", notAimed));
        Assert.True(probes.Count > 100, $"only {probes.Count} endpoints found; is the route table read?");
    }
}
