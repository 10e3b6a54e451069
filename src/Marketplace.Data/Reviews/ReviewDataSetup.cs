using Marketplace.Core.Features.Reviews;
using Marketplace.Data.Challenges;
using Marketplace.Data.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Reviews;

public static class ReviewDataSetup
{
    /// <summary>
    /// Review and award: the stores behind the Core use cases, and the use cases. Needs the lifecycle stores and a <see cref="ReviewOptions"/>.
    /// </summary>
    public static IServiceCollection AddReviewData(this IServiceCollection services, ReviewOptions options)
    {
        services.AddUseCaseRunner();
        services.TryAddSingleton(options);
        services.TryAddSingleton<ReviewStore>();
        services.TryAddSingleton<IReviewStore>(sp => sp.GetRequiredService<ReviewStore>());
        services.TryAddSingleton<AwardStore>();
        services.TryAddSingleton<IAwardStore>(sp => sp.GetRequiredService<AwardStore>());
        services.TryAddSingleton<AssignReviewer>();
        services.TryAddSingleton<AcceptAssignment>();
        services.TryAddSingleton<DeclareConflict>();
        services.TryAddSingleton<RemoveAssignment>();
        services.TryAddSingleton<EditRubric>();
        services.TryAddSingleton<RecordScores>();
        services.TryAddSingleton<CloseTechnicalScoring>();
        services.TryAddSingleton<SetAwardQuota>();
        services.TryAddSingleton<DecideAward>();

        // Automatic assignment: the matcher's affinities, the min-cost-flow optimiser, the propose/apply steps and the
        // scheduler's entry point (AutomaticReviewerAssignment.AfterClosingAsync(challengeId)).
        services.TryAddSingleton<IAssignmentInputStore>(sp => sp.GetRequiredService<ReviewStore>());
        services.TryAddSingleton<MatchStore>();
        services.TryAddSingleton<Matchmaker>();
        services.TryAddSingleton<IReviewerAffinities, MatcherReviewerAffinities>();
        services.TryAddSingleton<IReviewerAssignmentOptimiser, MinCostFlowAssignmentOptimiser>();
        services.TryAddSingleton<LoadAssignmentInputs>();
        services.TryAddSingleton<ProposeReviewerAssignment>();
        services.TryAddSingleton<ApplyReviewerAssignment>();
        services.TryAddSingleton<AutomaticReviewerAssignment>();
        return services;
    }
}
