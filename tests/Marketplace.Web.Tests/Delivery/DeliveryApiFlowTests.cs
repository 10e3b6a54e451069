// Request bodies read best inline, as literals.
#pragma warning disable CA1861
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Core.Notifications;
using Marketplace.Data.Matching;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Delivery.DeliveryTestKit;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>Delivery end to end through the JSON API with the enterprise, the vendor and an officer, on each engine.</summary>
public sealed class DeliveryApiFlowTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task CompletedPath_EvidenceDecisionsAdjustmentConsent_ReachesTheMatcher(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            var (challengeId, _) = await AwardAsync(factory, StripChallenge, Vendor);
            using var enterprise = await factory.ApiClientAsync(Enterprise);
            using var vendor = await factory.ApiClientAsync(Vendor);
            using var officer = await factory.ApiClientAsync(Officer);

            // Only the owner or an officer starts delivery; the vendor is refused and nothing changes.
            var before = await factory.DeliverySnapshotAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/delivery/start", new { })).StatusCode);
            Assert.Equal(before, await factory.DeliverySnapshotAsync());

            var projectId = Assert.Single(await StartDeliveryAsync(factory, challengeId));
            Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/delivery/start", new { })).StatusCode);
            Assert.Equal("in_delivery", (await (await enterprise.GetAsync($"/api/v1/challenges/{challengeId}")).JsonAsync()).GetProperty("status").GetString());
            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.DeliveryStarted));
            Assert.Equal(1, await factory.NotificationCountAsync(Enterprise, NotificationKinds.DeliveryStarted));

            var project = await ProjectAsync(vendor, projectId);
            var milestones = project.GetProperty("milestones");
            Assert.Equal(2, milestones.GetArrayLength());
            Assert.Equal(392000m, milestones[0].GetProperty("paymentAmount").GetDecimal());
            Assert.Equal(588000m, milestones[1].GetProperty("paymentAmount").GetDecimal());
            Assert.Equal("pending", milestones[0].GetProperty("status").GetString());
            var (first, second) = (MilestoneIds(project)[0], MilestoneIds(project)[1]);

            // Milestones may be worked in any order: evidence for the second first.
            using (var evidence = await vendor.PostAsJsonAsync($"/api/v1/milestones/{second}/evidence", new { body = "Acceptance test report attached.", links = new[] { "https://files.test.example/report.pdf" } }))
            {
                Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
                Assert.Equal($"/api/v1/delivery-projects/{projectId}", evidence.Headers.Location?.OriginalString);
            }

            Assert.Equal(1, await factory.NotificationCountAsync(Enterprise, NotificationKinds.EvidenceSubmitted));
            before = await factory.DeliverySnapshotAsync();
            Assert.Equal(HttpStatusCode.BadRequest, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{first}/evidence", new { body = "x", links = new[] { "not a link" } })).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{second}/evidence", new { body = "again" })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await enterprise.PostAsJsonAsync($"/api/v1/milestones/{second}/reject", new { reason = " " })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{second}/accept", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync($"/api/v1/milestones/{second}/accept", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await enterprise.PostAsJsonAsync($"/api/v1/milestones/{second}/accept", new { targetsMet = new[] { 7 } })).StatusCode);
            Assert.Equal(before, await factory.DeliverySnapshotAsync());

            Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/milestones/{second}/reject", new { reason = "The report lacks the 2,000-image test set." })).StatusCode);
            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.MilestoneRejected));
            Assert.Equal(HttpStatusCode.Created, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{second}/evidence", new { body = "Full report on the 2,000 held-out images.", links = Array.Empty<string>() })).StatusCode);
            using (var accepted = await enterprise.PostAsJsonAsync($"/api/v1/milestones/{second}/accept", new { note = "Recall 98.6%.", targetsMet = new[] { 1 } }))
            {
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
                var transition = await accepted.JsonAsync();
                Assert.False(transition.GetProperty("projectCompleted").GetBoolean());
                Assert.Equal((second, "accepted", projectId, "active"),
                    (transition.GetProperty("id").GetInt64(), transition.GetProperty("status").GetString(), transition.GetProperty("projectId").GetInt64(), transition.GetProperty("projectStatus").GetString()));
            }

            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.MilestoneAccepted));
            Assert.Equal(1, await factory.NotificationCountAsync(Officer, NotificationKinds.MilestoneAccepted));
            project = await ProjectAsync(enterprise, projectId);
            Assert.Equal(2, project.GetProperty("milestones")[1].GetProperty("evidence").GetArrayLength());
            Assert.Equal(2, project.GetProperty("milestones")[1].GetProperty("decisions").GetArrayLength());
            Assert.Equal(588000m, project.GetProperty("payments").GetProperty("releasedAmount").GetDecimal());
            Assert.Equal(980000m, project.GetProperty("payments").GetProperty("totalAmount").GetDecimal());

            // Stage adjustment: an accepted milestone cannot be adjusted; one open request at a time; officer approves.
            var firstDue = DateOnly.Parse(project.GetProperty("milestones")[0].GetProperty("dueOn").GetString()!, CultureInfo.InvariantCulture);
            var newDue = firstDue.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            before = await factory.DeliverySnapshotAsync();
            Assert.Equal(HttpStatusCode.BadRequest, (await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/stage-adjustments",
                new { reason = "Line stop", changes = new[] { new { milestoneId = second, newDueOn = newDue } } })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/stage-adjustments",
                new { reason = "", changes = new[] { new { milestoneId = first, newDueOn = newDue } } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/stage-adjustments",
                new { reason = "x", changes = new[] { new { milestoneId = first, newDueOn = newDue } } })).StatusCode);
            Assert.Equal(before, await factory.DeliverySnapshotAsync());
            using var requested = await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/stage-adjustments",
                new { reason = "Line 2 is stopped for a month of maintenance.", changes = new[] { new { milestoneId = first, newDueOn = newDue, newDeliverable = "Pilot on line 3" } } });
            Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
            Assert.Equal($"/api/v1/delivery-projects/{projectId}", requested.Headers.Location?.OriginalString);
            var adjustmentId = (await requested.JsonAsync()).GetProperty("adjustmentId").GetInt64();
            Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/stage-adjustments",
                new { reason = "Another", changes = new[] { new { milestoneId = first, newDeliverable = "Something else" } } })).StatusCode);
            Assert.Equal(1, await factory.NotificationCountAsync(Officer, NotificationKinds.AdjustmentRequested));
            Assert.Equal(1, await factory.NotificationCountAsync(Enterprise, NotificationKinds.AdjustmentRequested));
            Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.PostAsJsonAsync($"/api/v1/stage-adjustments/{adjustmentId}/approve", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync($"/api/v1/stage-adjustments/{adjustmentId}/decline", new { note = "" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/v1/stage-adjustments/{adjustmentId}/approve", new { note = "Agreed." })).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/stage-adjustments/{adjustmentId}/decline", new { note = "Too late" })).StatusCode);
            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.AdjustmentApproved));
            Assert.Equal(1, await factory.NotificationCountAsync(Enterprise, NotificationKinds.AdjustmentApproved));
            Assert.Equal(0, await factory.NotificationCountAsync(Vendor, NotificationKinds.AdjustmentDeclined));
            project = await ProjectAsync(officer, projectId);
            Assert.Equal(newDue, project.GetProperty("milestones")[0].GetProperty("dueOn").GetString());
            Assert.Equal("Pilot on line 3", project.GetProperty("milestones")[0].GetProperty("deliverable").GetString());
            var item = project.GetProperty("adjustments")[0].GetProperty("items")[0];
            Assert.Equal("Pilot on line 2", item.GetProperty("oldDeliverable").GetString());
            Assert.Equal(firstDue.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), item.GetProperty("oldDueOn").GetString());

            // Consent is asked only after completion.
            Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/portfolio-consent", new { grant = true, nameClient = true })).StatusCode);

            // The last acceptance completes the project and, with it, the challenge.
            Assert.Equal(HttpStatusCode.Created, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{first}/evidence", new { body = "Pilot running on line 3 since Monday." })).StatusCode);
            using (var last = await enterprise.PostAsJsonAsync($"/api/v1/milestones/{first}/accept", new { targetsMet = new[] { 1 } }))
            {
                Assert.True((await last.JsonAsync()).GetProperty("projectCompleted").GetBoolean());
            }

            project = await ProjectAsync(vendor, projectId);
            Assert.Equal("completed", project.GetProperty("summary").GetProperty("status").GetString());
            Assert.Equal(980000m, project.GetProperty("payments").GetProperty("releasedAmount").GetDecimal());
            Assert.Equal("completed", (await (await enterprise.GetAsync($"/api/v1/challenges/{challengeId}")).JsonAsync()).GetProperty("status").GetString());
            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.ProjectCompleted));
            Assert.Equal(1, await factory.NotificationCountAsync(Officer, NotificationKinds.ProjectCompleted));
            Assert.Equal(HttpStatusCode.Conflict, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{first}/evidence", new { body = "more" })).StatusCode);

            // Consent → portfolio case → the matcher's vendor document, with a moved change stamp.
            var matchStore = factory.Services.GetRequiredService<MatchStore>();
            var vendorId = project.GetProperty("summary").GetProperty("vendorId").GetInt64();
            var stampBefore = (await matchStore.VendorStampsAsync(default)).Single(s => s.Id == vendorId).ChangedAt;
            factory.Clock.Advance(TimeSpan.FromMinutes(5));
            await using (var tagging = await factory.Database.Connections.OpenAsync())
            {
                // A tag the vendor's profile does not have, so the matcher can only learn it from the case.
                await tagging.ExecuteAsync("INSERT INTO challenge_tags (challenge_id, tag) VALUES (@Id, 'line-scan-delivered')", new { Id = challengeId });
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/portfolio-consent", new { grant = true, nameClient = true })).StatusCode);
            using var consent = await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/portfolio-consent", new { grant = true, nameClient = true });
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
            var caseId = (await consent.JsonAsync()).GetProperty("portfolioCaseId").GetInt64();
            Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/portfolio-consent", new { grant = false, nameClient = false })).StatusCode);
            Assert.True((await matchStore.VendorStampsAsync(default)).Single(s => s.Id == vendorId).ChangedAt > stampBefore);
            var document = Assert.Single(await matchStore.VendorDocumentsAsync([vendorId], default));
            Assert.Contains(document.Portfolio, c => c.Title == StripChallenge && c.Text.Contains("Pilot on line 3", StringComparison.Ordinal));
            Assert.Contains("line-scan-delivered", document.Tags);
            await using (var connection = await factory.Database.Connections.OpenAsync())
            {
                var stored = (Client: await connection.ExecuteScalarAsync<string?>("SELECT client FROM portfolio_cases WHERE id = @Id", new { Id = caseId }), Industry: await connection.ExecuteScalarAsync<string>("SELECT industry FROM portfolio_cases WHERE id = @Id", new { Id = caseId }));
                Assert.Equal("测试钢铁有限公司", stored.Client);
                Assert.Equal("steel", stored.Industry);
                Assert.Contains("surface-inspection", await connection.QueryAsync<string>("SELECT tag FROM portfolio_case_tags WHERE case_id = @Id", new { Id = caseId }));
                var actions = (await connection.QueryAsync<string>("SELECT action FROM challenge_audit WHERE challenge_id = @Id ORDER BY id", new { Id = challengeId })).ToList();
                Assert.Equal(
                    ["delivery_started", "milestone_evidence_submitted", "milestone_rejected", "milestone_evidence_submitted", "milestone_accepted", "stage_adjustment_requested",
                     "stage_adjustment_approved", "milestone_evidence_submitted", "milestone_accepted", "delivery_project_completed", "completed", "portfolio_consent_granted"],
                    actions.SkipWhile(a => a != "delivery_started").ToList());
            }
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task FailurePath_FilingClosesTheProjectWithoutPenalty_AndFailsTheChallenge(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            var (challengeId, _) = await AwardAsync(factory, StripChallenge, Vendor);
            var projectId = Assert.Single(await StartDeliveryAsync(factory, challengeId, Officer));
            using var enterprise = await factory.ApiClientAsync(Enterprise);
            using var vendor = await factory.ApiClientAsync(Vendor);
            using var officer = await factory.ApiClientAsync(Officer);
            using var otherVendor = await factory.ApiClientAsync(OtherVendor);

            var before = await factory.DeliverySnapshotAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/failure-filing",
                new { category = "data", cause = "x", lessons = "y" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/failure-filing",
                new { category = "data", cause = "x", lessons = "y" })).StatusCode);
            using (var invalid = await officer.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/failure-filing", new { category = "bad-luck", cause = "", lessons = "" }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
                var errors = (await invalid.JsonAsync()).GetProperty("errors");
                Assert.True(errors.TryGetProperty("category", out _));
                Assert.True(errors.TryGetProperty("cause", out _));
                Assert.True(errors.TryGetProperty("lessons", out _));
            }

            Assert.Equal(before, await factory.DeliverySnapshotAsync());
            using var filed = await officer.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/failure-filing",
                new { category = "data", cause = "Labelled images could not be shared off site.", lessons = "Agree the data-sharing terms before award." });
            Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/delivery-projects/{projectId}/failure-filing",
                new { category = "data", cause = "again", lessons = "again" })).StatusCode);

            var project = await ProjectAsync(vendor, projectId);
            Assert.Equal("failed", project.GetProperty("summary").GetProperty("status").GetString());
            Assert.Equal("data", project.GetProperty("failure").GetProperty("category").GetString());
            Assert.Equal("Agree the data-sharing terms before award.", project.GetProperty("failure").GetProperty("lessons").GetString());
            var challenge = await (await enterprise.GetAsync($"/api/v1/challenges/{challengeId}")).JsonAsync();
            Assert.Equal("failed", challenge.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.GetAsync($"/api/v1/delivery-projects/{projectId}")).StatusCode);
            foreach (var email in new[] { Vendor, Enterprise, Officer })
            {
                Assert.Equal(1, await factory.NotificationCountAsync(email, NotificationKinds.ProjectFailed));
            }

            await using var connection = await factory.Database.Connections.OpenAsync();
            Assert.Equal("Labelled images could not be shared off site.", await connection.ExecuteScalarAsync<string>(
                "SELECT reason FROM challenge_audit WHERE challenge_id = @Id AND action = 'failed'", new { Id = challengeId }));
            // Without penalty: the award's "awarded" signal stays and the failure adds no signal against the vendor.
            Assert.Equal(["awarded"], await connection.QueryAsync<string>("SELECT kind FROM match_signals WHERE challenge_id = @Id", new { Id = challengeId }));
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}
