using Marketplace.Core.Features.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Email;

/// <summary>E-mail's settings, stores, use cases, dispatcher and digest, registered the same way by the web app, the CLI and the tests.</summary>
public static class EmailServices
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEmail(EmailSettings.Read(configuration));

    public static IServiceCollection AddEmail(this IServiceCollection services, EmailSettings settings)
    {
        services.Replace(ServiceDescriptor.Singleton(settings));
        services.TryAddSingleton<EmailOutboxStore>();
        services.TryAddSingleton<IEmailOutboxAdminStore>(sp => sp.GetRequiredService<EmailOutboxStore>());
        services.TryAddSingleton<EmailPreferenceStore>();
        services.TryAddSingleton<IEmailPreferenceStore>(sp => sp.GetRequiredService<EmailPreferenceStore>());
        services.TryAddSingleton<SaveEmailPreferences>();
        services.TryAddSingleton<Unsubscribe>();
        services.TryAddSingleton<RetryDeadLetter>();
        services.TryAddSingleton<EmailDispatcher>();
        services.TryAddSingleton<EmailDigest>();
        return services;
    }
}
