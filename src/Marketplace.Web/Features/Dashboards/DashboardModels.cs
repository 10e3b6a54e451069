using Marketplace.Core.Matching;
using Marketplace.Data.Dashboards;
using Marketplace.Data.Reviews;
using Marketplace.Jobs;
using Marketplace.Matching;
using Marketplace.Web.Features.Matching;

namespace Marketplace.Web.Features.Dashboards;

/// <summary>
/// A chart and its numbers. The page draws it with Chart.js (wwwroot/js/dashboard.js reads the JSON data island) and
/// shows the same numbers as a table for screen readers and anyone without script.
/// </summary>
public sealed record ChartModel(string Id, string Title, string Kind, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series, bool Horizontal = false);

public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

public sealed record EnterpriseSection(EnterpriseDashboard Data, IReadOnlyDictionary<long, IReadOnlyList<(SuggestedVendorRow Vendor, MatchLevel Level)>> Suggestions);

public sealed record RecommendedItem(ChallengeRecommendation Challenge, ReadableMatch Reading);

public sealed record VendorSection(VendorDashboard Data, IReadOnlyList<RecommendedItem> Recommended, IReadOnlyList<ProfileCheck> Checks, int Completeness);

/// <summary>
/// One row of the reviewer's table. The assignment carries the columns shown today; a column (a due date) is added by
/// giving this record a property and the table a header and a cell.
/// </summary>
public sealed record ReviewerRow(AssignmentItem Assignment)
{
    public bool NeedsAnswer => Assignment.Status == Marketplace.Core.Reviews.AssignmentStatus.Assigned;
}

public sealed record OfficerSection(OfficerDashboard Data, int StuckAfterDays);

/// <param name="MailPickupFolder">Where mail goes instead of an SMTP server when none is configured (then it reaches nobody); null when one is.</param>
public sealed record AdminSection(AdminDashboard Data, JobHealthReport Jobs, string? MailPickupFolder);

/// <summary>The signed-in person's dashboard: one section per role they hold (most people hold one).</summary>
public sealed record DashboardPage(
    DateTimeOffset Now,
    string DisplayName,
    EnterpriseSection? Enterprise,
    VendorSection? Vendor,
    IReadOnlyList<ReviewerRow>? Reviewer,
    OfficerSection? Officer,
    AdminSection? Admin)
{
    public bool IsEmpty => Enterprise is null && Vendor is null && Reviewer is null && Officer is null && Admin is null;
}
