using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Forms;

/// <summary>A failed save, as the markup shows it: one summary at the top, each field marked and tied to its own message.</summary>
public sealed partial class FormAccessibilityTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    // Refused by the use case (every field binds), and refused before it (a budget that does not bind).
    [Theory]
    [InlineData("800000")]
    [InlineData("lots")]
    public async Task ChallengeForm_FailedSave_HasASummaryAndFieldsTiedToTheirMessages(string budget)
    {
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var fields = ChallengeForm(factory.Clock.GetUtcNow());
        fields["Title"] = "";
        fields["BudgetAmount"] = budget;
        foreach (var key in fields.Keys.Where(k => k.StartsWith("AcceptanceTargets", StringComparison.Ordinal)).ToList())
        {
            fields[key] = "";
        }

        using var response = await client.PostFormAsync("/my/challenges/new", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var summary = SummaryPattern().Match(html);
        Assert.True(summary.Success, "an error summary at the top of the form");
        Assert.Contains("href=\"#Title\" data-error-for=\"Title\"", summary.Value, StringComparison.Ordinal);
        Assert.Contains("Give at least one acceptance target", summary.Value, StringComparison.Ordinal);
        Assert.Matches("<input[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"error-title\"[^>]*name=\"Title\"|<input[^>]*name=\"Title\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"error-title\"", html);
        Assert.Matches("<span[^>]*id=\"error-title\"", html);
        // Beside the target table the message appears once (the summary lists it too).
        var besideFields = html.Replace(summary.Value, "", StringComparison.Ordinal);
        Assert.Single(Regex.Matches(besideFields, "Give at least one acceptance target"));
    }

    [Fact]
    public async Task ChallengeForm_EveryAcceptanceTargetRow_HasLabelledInputs()
    {
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var html = await client.GetHtmlAsync("/my/challenges/new");

        foreach (var row in new[] { 1, 2, 3 })
        {
            foreach (var (field, label) in new[] { ("Metric", "Metric"), ("Threshold", "Threshold"), ("TestMethod", "Test method") })
            {
                Assert.Matches($"<input[^>]*aria-label=\"{label} {row}\"[^>]*id=\"AcceptanceTargets_{row - 1}__{field}\"|<input[^>]*id=\"AcceptanceTargets_{row - 1}__{field}\"[^>]*aria-label=\"{label} {row}\"", html);
            }
        }
    }

    [Fact]
    public async Task ValidForm_HasNoSummary_AndNoInvalidMarks()
    {
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var html = await client.GetHtmlAsync("/my/challenges/new");

        Assert.DoesNotContain("data-error-summary", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-invalid", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<div[^>]*data-error-summary[^>]*>.*?</ul></div>", RegexOptions.Singleline)]
    private static partial Regex SummaryPattern();
}
