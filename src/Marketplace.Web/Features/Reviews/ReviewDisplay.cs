using Marketplace.Core.Reviews;

namespace Marketplace.Web.Features.Reviews;

/// <summary>The English key (ReviewText) of each assignment state.</summary>
public static class ReviewDisplay
{
    public static string Status(string status) => status switch
    {
        AssignmentStatus.Assigned => "Awaiting your answer",
        AssignmentStatus.Accepted => "Accepted",
        AssignmentStatus.ConflictDeclared => "Conflict of interest declared",
        AssignmentStatus.Removed => "Removed",
        _ => status,
    };

    public static string Score(double value) => value.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);
}
