using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Security:Proxies: the reverse proxies or load balancers in front of the app. Only a request arriving from one of them
/// has its X-Forwarded-For / X-Forwarded-Proto applied; from anyone else those headers are ignored (anyone can send them).
/// Empty by default, so a directly exposed app never trusts them.
/// </summary>
public sealed class ProxySettings
{
    public const string SectionName = "Security:Proxies";

    /// <summary>Addresses of the proxies, e.g. 10.0.0.5.</summary>
    public string[] KnownProxies { get; init; } = [];

    /// <summary>Networks of the proxies in CIDR form, e.g. 10.0.0.0/24.</summary>
    public string[] KnownNetworks { get; init; } = [];

    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Behind a proxy every request comes from the proxy's address: the per-client rate limits and sign-in pauses would then
/// throttle all users together, and the scheme would read http. With Security:Proxies set, ASP.NET Core's forwarded-headers
/// middleware puts the client's own address and scheme back, first thing in the pipeline.
/// </summary>
public static class Proxies
{
    public static IServiceCollection AddMarketplaceProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ProxySettings.SectionName).Get<ProxySettings>() ?? new ProxySettings();
        services.AddSingleton(settings);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named in configuration: not the framework's default (loopback), not anyone.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var (text, i) in settings.KnownProxies.Select((p, i) => (p, i)))
            {
                options.KnownProxies.Add(IPAddress.TryParse(text, out var address)
                    ? address
                    : throw new InvalidOperationException($"{ProxySettings.SectionName}:KnownProxies:{i} is not an IP address: '{text}'."));
            }

            foreach (var (text, i) in settings.KnownNetworks.Select((n, i) => (n, i)))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(text, out var network)
                    ? network
                    : throw new InvalidOperationException($"{ProxySettings.SectionName}:KnownNetworks:{i} is not a network in CIDR form (e.g. 10.0.0.0/24): '{text}'."));
            }
        });
        return services;
    }

    public static IApplicationBuilder UseMarketplaceProxies(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<ProxySettings>().Any)
        {
            // Reading the options here validates Security:Proxies at start-up rather than on the first request.
            _ = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
            app.UseForwardedHeaders();
        }

        return app;
    }
}
