using Marketplace.Core.Application;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Application;
using Marketplace.Data.Audit;
using Marketplace.Data.Clarifications;
using Marketplace.Data.Email;
using Marketplace.Data.Notifications;
using Marketplace.Core.Features.Notifications;
using Marketplace.Data.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Challenges;

/// <summary>The lifecycle's stores and use cases, registered the same way by the web app, the CLI and the tests.</summary>
public static class LifecycleServices
{
    /// <summary>The application layer's spine: the runner, its unit of work, audit trail and notification outbox.</summary>
    public static IServiceCollection AddUseCaseRunner(this IServiceCollection services)
    {
        services.TryAddSingleton<IUnitOfWorkFactory, DbUnitOfWorkFactory>();
        services.TryAddSingleton<AuditLog>();
        // The web app and the CLI replace these default settings with the configured ones (Security:Idempotency).
        services.TryAddSingleton(new Idempotency.IdempotencySettings());
        services.TryAddSingleton<Idempotency.IdempotencyStore>();
        // Failed sign-ins (the web app counts them; the security-cleanup job, also run by the CLI, forgets quiet ones).
        services.TryAddSingleton<Security.SignInFailureStore>();
        services.TryAddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        // Every notification writes its e-mail into the outbox; AddEmail replaces these default settings with the configured ones.
        services.TryAddSingleton(new EmailSettings());
        services.TryAddSingleton<EmailOutboxStore>();
        services.TryAddSingleton<NotificationStore>();
        services.TryAddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<NotificationStore>());
        // The jobs project replaces this with Hangfire; without it (CLI, Data tests) follow-up work is dropped.
        services.TryAddSingleton<IFollowUpWork, NoFollowUpWork>();
        services.TryAddSingleton<UseCaseRunner>();
        return services;
    }

    public static IServiceCollection AddChallengeLifecycleData(this IServiceCollection services)
    {
        services.AddUseCaseRunner();
        services.AddSingleton<ChallengeLifecycleStore>();
        services.AddSingleton<IChallengeLifecycleStore>(sp => sp.GetRequiredService<ChallengeLifecycleStore>());
        services.AddSingleton<NegativeListStore>();
        services.AddSingleton<INegativeListScreen>(sp => sp.GetRequiredService<NegativeListStore>());
        services.AddSingleton<ClarificationStore>();
        services.AddSingleton<IClarificationStore>(sp => sp.GetRequiredService<ClarificationStore>());
        services.AddSingleton<CreateChallengeDraft>();
        services.AddSingleton<UpdateChallenge>();
        services.AddSingleton<SubmitChallenge>();
        services.AddSingleton<PublishChallenge>();
        services.AddSingleton<ReturnChallenge>();
        services.AddSingleton<RejectChallenge>();
        services.AddSingleton<WithdrawChallenge>();
        services.AddSingleton<CloseChallenge>();
        services.AddSingleton<ReopenChallenge>();
        services.AddSingleton<ChallengeCloser>();
        services.TryAddSingleton(new ReminderSettings());
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<IReminderStore>(sp => sp.GetRequiredService<ReminderStore>());
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<ReminderStore>());
        services.AddSingleton<WeeklyDigest>();
        services.AddSingleton<SendReminder>();
        services.AddSingleton<DueReminders>();
        services.AddSingleton<LifecycleClockWork>();
        services.AddSingleton<AcceptNda>();
        services.AddSingleton<AskQuestion>();
        services.AddSingleton<AnswerQuestion>();
        return services;
    }
}
