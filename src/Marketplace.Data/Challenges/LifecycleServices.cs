using Marketplace.Data.Audit;
using Marketplace.Data.Clarifications;
using Marketplace.Data.Notifications;
using Marketplace.Data.Reminders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Challenges;

/// <summary>The lifecycle's stores and handlers, registered the same way by the web app, the CLI and the tests.</summary>
public static class LifecycleServices
{
    public static IServiceCollection AddChallengeLifecycleData(this IServiceCollection services)
    {
        services.AddSingleton<ChallengeLifecycleStore>();
        services.AddSingleton<NegativeListStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<ClarificationStore>();
        services.AddSingleton<ChallengeTransitionRunner>();
        services.AddSingleton<CreateChallengeDraftHandler>();
        services.AddSingleton<UpdateChallengeHandler>();
        services.AddSingleton<SubmitChallengeHandler>();
        services.AddSingleton<PublishChallengeHandler>();
        services.AddSingleton<ReturnChallengeHandler>();
        services.AddSingleton<RejectChallengeHandler>();
        services.AddSingleton<WithdrawChallengeHandler>();
        services.AddSingleton<ChallengeCloser>();
        services.TryAddSingleton(new ReminderSettings());
        services.AddSingleton<DueReminders>();
        services.AddSingleton<LifecycleCatchUp>();
        services.AddSingleton<AcceptNdaHandler>();
        services.AddSingleton<AskQuestionHandler>();
        services.AddSingleton<AnswerQuestionHandler>();
        return services;
    }
}
