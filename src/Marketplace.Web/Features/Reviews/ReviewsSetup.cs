using Marketplace.Core.Features.Reviews;
using Marketplace.Data.Reviews;

#pragma warning disable IDE0130 // The conventional namespace of AddXxx service extensions, so MarketplaceSetup needs one line and no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class ReviewsSetup
{
    /// <summary>
    /// Review and award. Settings: `Review:MaxOpenAssignmentsPerReviewer` (default 15; the load cap of manual and
    /// automatic assignment), `Review:ReviewersPerProposal` (k of automatic assignment, default 3), `Review:DaysToScore` (an assignment's scores are due this
    /// many days after it is made, default 10), `Review:AssignmentAfterClosing` (propose, the default, or apply) and `Awards:DefaultQuota`
    /// (default 3; an officer may set another quota per challenge).
    /// </summary>
    public static IServiceCollection AddReviews(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new ReviewOptions
        {
            MaxOpenAssignmentsPerReviewer = Math.Max(1, configuration.GetValue("Review:MaxOpenAssignmentsPerReviewer", ReviewOptions.DefaultMaxOpenAssignments)),
            ReviewersPerProposal = Math.Clamp(configuration.GetValue("Review:ReviewersPerProposal", ReviewOptions.DefaultReviewersPerProposal), 1, 20),
            DaysToScore = Math.Clamp(configuration.GetValue("Review:DaysToScore", ReviewOptions.DefaultDaysToScore), 1, 365),
            AssignmentAfterClosing = AssignmentAfterClosingSetting(configuration),
            DefaultAwardQuota = Math.Clamp(configuration.GetValue("Awards:DefaultQuota", Marketplace.Core.Awards.AwardRules.DefaultQuota), 1, Marketplace.Core.Awards.AwardRules.MaxQuota),
        };
        services.AddReviewData(options);
        services.AddScoped<Marketplace.Web.Features.Reviews.ReviewReader>();
        services.AddScoped<Marketplace.Web.Features.Reviews.ReviewBoardQuery>();
        return services;
    }

    /// <summary>`Review:AssignmentAfterClosing`: propose (default) or apply; anything else stops start-up with the choices.</summary>
    private static string AssignmentAfterClosingSetting(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var value = configuration["Review:AssignmentAfterClosing"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return AssignmentAfterClosingModes.Propose;
        }

        var mode = value.Trim().ToLowerInvariant();
        return AssignmentAfterClosingModes.All.Contains(mode)
            ? mode
            : throw new InvalidOperationException(
                $"Review:AssignmentAfterClosing is '{value}'; use '{AssignmentAfterClosingModes.Propose}' (officers confirm the plan) or '{AssignmentAfterClosingModes.Apply}' (the system assigns).");
    }
}
#pragma warning restore IDE0130
