using System.Text.RegularExpressions;
using Marketplace.Core.Accounts;
using Marketplace.Data.Seeding;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Dashboards;

/// <summary>
/// Right after the first run every demo sign-in the app prints finds something to do on its dashboard: a link or a
/// button that leads to work waiting for that person, not only numbers to look at.
/// </summary>
public sealed partial class DemoDashboardsTests
{
    [Fact]
    public async Task EveryPrintedDemoSignIn_FindsSomethingToDo_OnItsDashboard_RightAfterTheFirstRun()
    {
        await using var factory = new DemoMarketplaceFactory();
        await factory.InitializeAsync();
        _ = factory.Services; // starts the app: migrations, the demo data and its story

        // The sign-ins the app prints at start-up: asked of the seeder, which lists them for a seeded database.
        IReadOnlyList<DemoSignIn> signIns;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
                .SeedIfEmptyAsync(Path.Combine(MarketplaceFactory.RepositoryRoot, "seeds", "demo"), MarketplaceFactory.TestPassword);
            Assert.False(result.Seeded);
            signIns = result.SignIns;
        }

        Assert.Equal([Roles.Admin, Roles.Officer, Roles.Reviewer, Roles.Enterprise, Roles.Vendor], signIns.Select(s => s.Role).Distinct());
        var idle = new List<string>();
        foreach (var signIn in signIns)
        {
            using var client = await factory.SignedInBrowserAsync(signIn.Email);
            var html = await client.GetStringAsync("/dashboard");
            var todo = ThingsToDo(signIn.Role, html);
            if (todo.Count == 0)
            {
                idle.Add($"{signIn.Role} {signIn.Email}");
            }
        }

        Assert.True(idle.Count == 0, "nothing to do on the dashboard of: " + string.Join("; ", idle));
    }

    /// <summary>What waits for the person, by role, as the dashboard shows it (each one a link or a button to act on).</summary>
    private static List<string> ThingsToDo(string role, string html)
    {
        var found = new List<string>();
        void When(bool condition, string what)
        {
            if (condition)
            {
                found.Add(what);
            }
        }

        switch (role)
        {
            case Roles.Enterprise:
                When(html.Contains("data-testid=\"milestone-to-accept\"", StringComparison.Ordinal), "evidence to accept or reject");
                When(html.Contains("data-testid=\"milestone-overdue\"", StringComparison.Ordinal), "an overdue milestone to chase");
                When(Number(html, "questions-waiting") > 0, "a question to answer");
                When(ProposalCounts().Matches(html).Any(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0), "unsealed proposals to read");
                break;
            case Roles.Vendor:
                When(html.Contains("data-testid=\"recommendation\"", StringComparison.Ordinal), "a recommended challenge to bid on");
                When(DashboardPagesTests.Section(html, "vendor-dashboard").Contains("data-testid=\"vendor-deadlines\"", StringComparison.Ordinal), "a deadline coming");
                break;
            case Roles.Reviewer:
                When(html.Contains("data-testid=\"accept\"", StringComparison.Ordinal), "an assignment to accept");
                When(html.Contains("data-testid=\"score\"", StringComparison.Ordinal), "proposals to score");
                break;
            case Roles.Admin:
                // The demo runs without an SMTP server: until one is set, nobody receives the notifications' mail.
                When(html.Contains("data-testid=\"smtp-not-configured\"", StringComparison.Ordinal), "an SMTP server to configure");
                When(html.Contains("data-testid=\"dead-letters\"", StringComparison.Ordinal), "dead letters to retry");
                When(html.Contains("data-testid=\"job-failures\"", StringComparison.Ordinal), "failed jobs to look into");
                break;
            case Roles.Officer:
                When(Number(html, "screening-count") > 0, "a challenge to screen");
                When(Number(html, "stuck-count") > 0, "a stuck challenge");
                When(Number(html, "overdue-count") > 0, "an overdue milestone");
                break;
            default:
                Assert.Fail("a demo sign-in with the unexpected role " + role);
                break;
        }

        return found;
    }

    private static int Number(string html, string testId) =>
        Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>(\\d+)<", RegexOptions.CultureInvariant) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex("data-testid=\"proposal-count\">(\\d+)<", RegexOptions.CultureInvariant)]
    private static partial Regex ProposalCounts();
}
