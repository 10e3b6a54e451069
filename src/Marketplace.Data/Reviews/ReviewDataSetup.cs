using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Reviews;

public static class ReviewDataSetup
{
    /// <summary>Review and award stores and handlers. Needs the lifecycle, proposal and matching stores and a <see cref="ReviewOptions"/>.</summary>
    public static IServiceCollection AddReviewData(this IServiceCollection services, ReviewOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton<ReviewStore>();
        services.TryAddSingleton<AwardStore>();
        services.TryAddSingleton<ReviewSteps>();
        services.TryAddScoped<AssignReviewerHandler>();
        services.TryAddScoped<RespondToAssignmentHandler>();
        services.TryAddScoped<RemoveAssignmentHandler>();
        services.TryAddScoped<EditRubricHandler>();
        services.TryAddScoped<RecordScoresHandler>();
        services.TryAddScoped<CloseTechnicalScoringHandler>();
        services.TryAddScoped<SetAwardQuotaHandler>();
        services.TryAddScoped<DecideAwardHandler>();
        return services;
    }
}
