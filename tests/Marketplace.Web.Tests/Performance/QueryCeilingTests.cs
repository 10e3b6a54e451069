using System.Net;
using Marketplace.Core.Features.Challenges;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Performance;

/// <summary>
/// The main pages stay within a fixed number of SQL commands per request, whatever the data: a page that starts
/// querying per row (N+1) or reading the same thing twice fails here. The ceilings and the counts before and after
/// the application-layer redesign are in docs/architecture.md.
/// </summary>
public sealed class QueryCeilingTests(QueryCountingFactory factory, ITestOutputHelper output) : IClassFixture<QueryCountingFactory>
{
    [Fact]
    public async Task MainPages_StayWithinTheirQueryCeilings_AndNeverWrite()
    {
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        await factory.SubmitThroughApiAsync(Vendor, strip);
        await factory.SubmitThroughApiAsync(OtherVendor, strip);

        using var visitor = factory.CreateBrowserClient();
        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);
        using var vendor = await factory.SignedInBrowserAsync(Vendor);

        var measured = new List<(string Page, int Commands, int Ceiling)>
        {
            await Measure(visitor, "public challenge list", "/challenges", 4),
            await Measure(visitor, "challenge page (visitor)", $"/challenges/{strip}", 4),
            await Measure(vendor, "challenge page (vendor with a proposal)", $"/challenges/{strip}", 8),
            await Measure(enterprise, "challenge page (owning enterprise)", $"/challenges/{strip}", 8),
            await Measure(vendor, "recommendations (vendor)", "/recommendations", 5),
            await Measure(enterprise, "my challenges (enterprise)", "/my/challenges", 6),
            await Measure(vendor, "my proposals (vendor)", "/my/proposals", 6),
            await Measure(enterprise, "dashboard (enterprise)", "/dashboard", 4),
            await Measure(vendor, "dashboard (vendor)", "/dashboard", 6),
        };

        // Past the deadline the officer runs the review: the board reads every proposal, reviewer and score.
        factory.PassTheDeadlines();
        await factory.Services.GetRequiredService<ChallengeCloser>().CloseDueChallengesAsync();
        await factory.ReviewAllAsync(strip);
        using var officer = await factory.SignedInBrowserAsync(Officer);
        measured.Add(await Measure(officer, "review board (officer, two proposals)", $"/challenges/{strip}/review", 18));
        // Was 36. Review tables, proposals and the reviewers for the suggestions are each read once per page, whatever the number of proposals.
        measured.Add(await Measure(officer, "challenge page (officer, under review)", $"/challenges/{strip}", 9));
        measured.Add(await Measure(officer, "dashboard (officer)", "/dashboard", 4));
        using var reviewer = await factory.SignedInBrowserAsync(Reviewer);
        measured.Add(await Measure(reviewer, "dashboard (reviewer, two assignments)", "/dashboard", 4));
        using var admin = await factory.SignedInBrowserAsync(Admin);
        measured.Add(await Measure(admin, "dashboard (admin)", "/dashboard", 4));

        foreach (var (page, commands, ceiling) in measured)
        {
            output.WriteLine($"{page}: {commands} SQL commands (ceiling {ceiling})");
        }

        output.WriteLine(string.Join("\n", Trace));

        Assert.All(measured, m => Assert.True(m.Commands >= 0 && m.Commands <= m.Ceiling, $"{m.Page}: {m.Commands} SQL commands, ceiling {m.Ceiling}."));
    }

    private static readonly List<string> Trace = [];

    private static bool IsWrite(string sql)
    {
        var verb = sql.TrimStart().Split([' ', '\n', '\r', '\t'], 2)[0];
        return verb.Equals("INSERT", StringComparison.OrdinalIgnoreCase) || verb.Equals("UPDATE", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("DELETE", StringComparison.OrdinalIgnoreCase) || verb.Equals("CREATE", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(string, int, int)> Measure(HttpClient client, string page, string url, int ceiling)
    {
        var (status, commands) = await QueryCountingFactory.MeasureAsync(client, url);
        Assert.True(status == (int)HttpStatusCode.OK, $"{page} answered {status}.");
        // A GET never writes: not the lifecycle, not the matcher's runs or suggestions, not a reminder.
        var writes = QueryCountingFactory.LastCommands.Where(IsWrite).ToList();
        Assert.True(writes.Count == 0, $"{page} wrote to the database on GET:\n" + string.Join("\n", writes));
        Trace.Add($"{page}: {commands}\n  " + string.Join("\n  ", QueryCountingFactory.LastCommands.Select(c => c.Length > 160 ? c[..160] : c)));
        return (page, commands, ceiling);
    }
}
