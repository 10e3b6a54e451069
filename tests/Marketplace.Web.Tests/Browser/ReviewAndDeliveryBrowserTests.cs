using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// Review and delivery as people meet them in a real browser. It moves the clock, so it has an application and a
/// browser of its own instead of sharing the collection's. Set MARKETPLACE_SCREENSHOTS to a folder to keep screenshots.
/// </summary>
public sealed class ReviewAndDeliveryBrowserTests
{
    [Fact]
    public async Task OfficerClosesScoringOnTheBoard_ThenTheEnterpriseAcceptsAMilestone_InChinese()
    {
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var app = browser.App;
            var challenge = await app.ChallengeIdAsync(ProposalTestKit.StripChallenge);
            var proposal = await app.SubmitThroughApiAsync(ProposalTestKit.Vendor, challenge);
            app.PassTheDeadlines();
            // Two reviewers five points apart: the board must flag the disagreement.
            foreach (var (reviewer, score) in new[] { (ProposalTestKit.Reviewer, 9), (ReviewTestKit.Reviewer2, 4) })
            {
                foreach (var assignment in await app.AssignAsync(challenge, reviewer))
                {
                    await app.AcceptAndScoreAsync(reviewer, assignment, challenge, score);
                }
            }

            var officer = await SignInAsync(browser, ProposalTestKit.Officer);
            await officer.GotoAsync($"/challenges/{challenge}/review");
            Assert.True(await officer.Locator("[data-testid=disagreement]").CountAsync() > 0, "the board flags reviewers 5 points apart");
            // Rita is already on the only proposal: she is not suggested for it again.
            Assert.DoesNotContain("Rita Reviewer", string.Join(" ", await officer.Locator("[data-testid=suggested-reviewers]").AllInnerTextsAsync()), StringComparison.Ordinal);
            await ScreenshotAsync(officer, "review-board");
            await officer.Locator("[data-testid=close-form] button[type=submit]").ClickAsync();
            await officer.WaitForSelectorAsync("[data-testid=scoring-closed]");
            Assert.Contains("980", await officer.Locator("[data-testid=aggregate]").InnerTextAsync(), StringComparison.Ordinal);

            using (var api = await app.ApiClientAsync(ProposalTestKit.Officer))
            using (var decided = await api.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { winners = new[] { proposal }, reason = "Best technical score." }))
            {
                Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
            }

            var project = Assert.Single(await DeliveryTestKit.StartDeliveryAsync(app, challenge));
            using (var vendor = await app.ApiClientAsync(ProposalTestKit.Vendor))
            {
                var milestone = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(vendor, project))[0];
                using var evidence = await vendor.PostAsJsonAsync($"/api/v1/milestones/{milestone}/evidence", new { body = "在 2 号线完成试点，召回率 98.7%。" });
                Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
            }

            var enterprise = await SignInAsync(browser, ProposalTestKit.Enterprise, "zh-CN");
            await enterprise.GotoAsync($"/delivery/projects/{project}");
            Assert.Contains("在 2 号线完成试点", await enterprise.ContentAsync(), StringComparison.Ordinal);
            await ScreenshotAsync(enterprise, "delivery-project");
            await enterprise.Locator("[data-testid=accept-form] button[type=submit]").First.ClickAsync();
            await enterprise.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Equal(0, await enterprise.Locator("[data-testid=accept-form]").CountAsync());
            Assert.Contains("已验收", await enterprise.ContentAsync(), StringComparison.Ordinal);
            await ScreenshotAsync(enterprise, "delivery-project-accepted");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task RejectingEvidence_AsksFirst_AndCancellingChangesNothing_ThenConfirmingRejects()
    {
        var dialogs = new ConfirmationRecorder();
        var questions = dialogs.Questions;
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var app = browser.App;
            var (challenge, _) = await DeliveryTestKit.AwardAsync(app, ProposalTestKit.StripChallenge, ProposalTestKit.Vendor);
            var project = Assert.Single(await DeliveryTestKit.StartDeliveryAsync(app, challenge));
            using (var vendor = await app.ApiClientAsync(ProposalTestKit.Vendor))
            {
                var milestone = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(vendor, project))[0];
                using var evidence = await vendor.PostAsJsonAsync($"/api/v1/milestones/{milestone}/evidence", new { body = "Pilot on line 2, recall 98.7%." });
                Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
            }

            var enterprise = await SignInAsync(browser, ProposalTestKit.Enterprise);
            await enterprise.GotoAsync($"/delivery/projects/{project}");
            await enterprise.FillAsync("[data-testid=reject-form] textarea[name=reason]", "The recall was measured on one shift only.");
            var before = await app.DeliverySnapshotAsync();

            enterprise.Dialog += dialogs.Dismiss;
            await enterprise.Locator("[data-testid=reject-form] button[type=submit]").First.ClickAsync();
            await enterprise.WaitForLoadStateAsync(LoadState.NetworkIdle);
            enterprise.Dialog -= dialogs.Dismiss;

            Assert.Equal("Reject this evidence? The vendor is told the reason and has to submit new evidence.", Assert.Single(questions));
            Assert.Equal(before, await app.DeliverySnapshotAsync());
            Assert.EndsWith($"/delivery/projects/{project}", enterprise.Url, StringComparison.Ordinal);
            Assert.Equal(1, await enterprise.Locator("[data-testid=reject-form]").CountAsync());

            enterprise.Dialog += dialogs.Accept;
            await enterprise.Locator("[data-testid=reject-form] button[type=submit]").First.ClickAsync();
            await enterprise.Locator("[data-testid=reject-form]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            enterprise.Dialog -= dialogs.Accept;

            Assert.Equal(2, questions.Count);
            Assert.NotEqual(before, await app.DeliverySnapshotAsync());

            // The officer's failure filing asks too; cancelling leaves the project open.
            var officer = await SignInAsync(browser, ProposalTestKit.Officer);
            await officer.GotoAsync($"/delivery/projects/{project}");
            var rejected = await app.DeliverySnapshotAsync();
            await officer.ClickAsync("summary:has-text('File this project as failed')");
            await officer.SelectOptionAsync("#category", new SelectOptionValue { Index = 1 });
            await officer.FillAsync("#cause", "The line was sold.");
            await officer.FillAsync("#lessons", "Check ownership before the contract.");
            officer.Dialog += dialogs.Dismiss;
            await officer.Locator("[data-testid=failure-form] button[type=submit]").ClickAsync();
            await officer.WaitForLoadStateAsync(LoadState.NetworkIdle);
            officer.Dialog -= dialogs.Dismiss;

            Assert.Equal(3, questions.Count);
            Assert.StartsWith("File this project as failed?", questions[2], StringComparison.Ordinal);
            Assert.Equal(rejected, await app.DeliverySnapshotAsync());
            Assert.Equal(1, await officer.Locator("[data-testid=failure-form]").CountAsync());
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    private static async Task<IPage> SignInAsync(BrowserFixture browser, string email, string locale = "en-US")
    {
        var page = await browser.NewPageAsync(locale);
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", MarketplaceFactory.TestPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("MARKETPLACE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
