using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Proposal events and negative-list edits join the audit log through the real pipeline; the officers' page walks the
/// chain and names the first entry edited behind the application's back.
/// </summary>
public sealed class AuditTrailTests
{
    private sealed record Row(long Id, long? ChallengeId, long? ActorUserId, string Action, string? Reason);

    private static async Task<List<Row>> AuditAsync(MarketplaceFactory factory, string where, object? parameters = null)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.QueryAsync<Row>(
            $"SELECT id AS Id, challenge_id AS ChallengeId, actor_user_id AS ActorUserId, action AS Action, reason AS Reason FROM challenge_audit WHERE {where} ORDER BY chain_seq",
            parameters)).ToList();
    }

    [Fact]
    public async Task ProposalSubmitReviseWithdraw_AreAudited_WithoutPriceOrContent_AndHiddenFromTheScreeningLogBeforeTheDeadline()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var challenge = await factory.ChallengeIdAsync(ProposalTestKit.StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, challenge);
        using var vendor = await factory.ApiClientAsync(Vendor);
        using (var revised = await vendor.PutAsJsonAsync($"/api/v1/proposals/{proposal}", ProposalTestKit.ValidRequest(factory, approach: "Revised approach.", price: 870000m)))
        {
            Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        }

        using (var withdrawn = await vendor.PostAsync($"/api/v1/proposals/{proposal}/withdraw", null))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        var rows = await AuditAsync(factory, "challenge_id = @Id AND action LIKE 'proposal%'", new { Id = challenge });

        Assert.Equal(["proposal_submitted", "proposal_revised", "proposal_withdrawn"], rows.Select(r => r.Action));
        Assert.Equal([$"Proposal #{proposal} v1", $"Proposal #{proposal} v2", $"Proposal #{proposal} v2"], rows.Select(r => r.Reason));
        Assert.All(rows, r => Assert.NotNull(r.ActorUserId));
        Assert.DoesNotContain(rows, r => r.Reason!.Contains("980000", StringComparison.Ordinal) || r.Reason.Contains("870000", StringComparison.Ordinal));

        // The officer's view of the published challenge's history does not unseal who bid.
        var officer = await factory.SignedInBrowserAsync(Officer);
        var page = await officer.GetHtmlAsync($"/screening/challenges/{challenge}");
        Assert.DoesNotContain("Proposal submitted", page, StringComparison.Ordinal);
        Assert.Contains("intact", await officer.GetHtmlAsync("/screening/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegativeListAddAndEdit_AreAudited_WithTheOfficer_AndTheBeforeAndAfter()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var officer = await factory.SignedInBrowserAsync(Officer);
        using (var added = await officer.PostFormAsync("/screening/negative-list", new Dictionary<string, string>
        {
            ["Form.Phrase"] = "facial + recognition",
            ["Form.LabelZh"] = "人脸识别",
            ["Form.LabelEn"] = "Face recognition",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        long entry;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            entry = await connection.ExecuteScalarAsync<long>("SELECT id FROM negative_list_entries WHERE phrase = 'facial + recognition'");
        }

        using (var changed = await officer.PostFormAsync($"/screening/negative-list/{entry}", new Dictionary<string, string>
        {
            ["Phrase"] = "face + recognition",
            ["LabelZh"] = "人脸识别",
            ["LabelEn"] = "Face recognition",
            ["IsActive"] = "false",
        }, tokenPage: "/screening/negative-list"))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        var rows = await AuditAsync(factory, "action LIKE 'negative_list%'");

        Assert.Equal(["negative_list_added", "negative_list_changed"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Null(r.ChallengeId));
        Assert.All(rows, r => Assert.NotNull(r.ActorUserId));
        Assert.Contains("\"facial + recognition\"", rows[1].Reason, StringComparison.Ordinal);
        Assert.Contains("→ \"face + recognition\"", rows[1].Reason, StringComparison.Ordinal);

        // A refused edit (empty phrase) writes no entry.
        using (var refused = await officer.PostFormAsync($"/screening/negative-list/{entry}", new Dictionary<string, string> { ["Phrase"] = " ", ["LabelZh"] = "x", ["LabelEn"] = "x" },
            tokenPage: "/screening/negative-list"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(2, (await AuditAsync(factory, "action LIKE 'negative_list%'")).Count);
    }

    [Fact]
    public async Task OfficerPage_NamesTheFirstEntryEditedBehindTheAppsBack_AndOnlyStaffMayOpenIt()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using (var enterprise = await factory.ApiClientAsync(Enterprise))
        {
            using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow()));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var officer = await factory.SignedInBrowserAsync(Officer);
        using (var intact = await officer.GetAsync("/screening/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, intact.StatusCode);
            Assert.Contains("data-testid=\"audit-intact\"", await intact.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var vendor = await factory.SignedInBrowserAsync(Vendor);
        using (var refused = await vendor.GetAsync("/screening/audit"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        long edited;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            edited = await connection.ExecuteScalarAsync<long>("SELECT id FROM challenge_audit WHERE action = 'created' ORDER BY chain_seq DESC LIMIT 1");
            await connection.ExecuteAsync("DROP TRIGGER challenge_audit_no_update; UPDATE challenge_audit SET actor_user_id = NULL WHERE id = @Id", new { Id = edited });
        }

        using var broken = await officer.GetAsync("/screening/audit");
        var html = await broken.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, broken.StatusCode);
        Assert.Contains($"data-entry-id=\"{edited}\"", html, StringComparison.Ordinal);
        Assert.Contains($"First broken entry: #{edited}", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }
}
