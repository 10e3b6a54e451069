using System.Globalization;
using Marketplace.Core.Delivery;

namespace Marketplace.Web.Features.Delivery;

/// <summary>English names (the resource keys) and badge colours of delivery states.</summary>
public static class DeliveryDisplay
{
    public static string StatusName(string status) => status switch
    {
        ProjectStatus.Active => "In delivery",
        ProjectStatus.Completed => "Completed",
        ProjectStatus.Failed => "Failed (filed)",
        MilestoneStatus.Pending => "Pending",
        MilestoneStatus.EvidenceSubmitted => "Evidence submitted",
        MilestoneStatus.Accepted => "Accepted",
        MilestoneStatus.Rejected => "Rejected",
        AdjustmentStatus.Open => "Awaiting the programme office",
        AdjustmentStatus.Approved => "Approved",
        AdjustmentStatus.Declined => "Declined",
        _ => status,
    };

    public static string StatusBadge(string status) => status switch
    {
        ProjectStatus.Active or AdjustmentStatus.Open => "text-bg-primary",
        ProjectStatus.Completed or MilestoneStatus.Accepted or AdjustmentStatus.Approved => "text-bg-success",
        ProjectStatus.Failed or MilestoneStatus.Rejected or AdjustmentStatus.Declined => "text-bg-danger",
        MilestoneStatus.EvidenceSubmitted => "text-bg-warning",
        _ => "text-bg-light border",
    };

    public static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Share(decimal share) => share.ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
