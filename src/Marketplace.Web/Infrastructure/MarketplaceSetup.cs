using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Marketplace.Data;
using Marketplace.Data.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Email;
using Marketplace.Data.Idempotency;
using Marketplace.Data.Migrations;
using Marketplace.Data.Organisations;
using Marketplace.Core.Features.Notifications;
using Marketplace.Data.Security;
using Marketplace.Data.Seeding;
using Marketplace.Data.Vendors;
using Marketplace.Web.Features.Account;
using Marketplace.Web.Features.Dashboards;
using Marketplace.Web.Features.Jobs;
using Marketplace.Web.Features.Matching;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Marketplace.Web.Infrastructure;

/// <summary>Everything the web host needs, in the order it is wired; Program.cs stays three lines long.</summary>
public static class MarketplaceSetup
{
    public static readonly CultureInfo[] SupportedCultures = [new("zh-CN"), new("en")];

    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Listen on 127.0.0.1:5080 unless the operator chose addresses (--urls, ASPNETCORE_URLS) or a port.
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"]))
        {
            var port = configuration.GetValue("Marketplace:Port", 5080);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        var databaseOptions = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(databaseOptions);
        services.AddSingleton(new DbConnectionFactory(databaseOptions));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<VendorStore>();
        services.AddScoped<DemoSeeder>();
        services.AddHttpContextAccessor();
        services.AddScoped<Viewer>();
        services.AddScoped<UseCases>();
        services.AddSingleton(configuration.GetSection(ReminderSettings.SectionName).Get<ReminderSettings>() ?? new ReminderSettings());
        // How long Idempotency-Keys live and when an unfinished one is presumed dead (checked here; docs/security.md).
        services.AddSingleton((configuration.GetSection(IdempotencySettings.SectionName).Get<IdempotencySettings>() ?? new IdempotencySettings()).Validated());
        services.AddChallengeLifecycle();

        // Accounts, Identity on Dapper, cookie and bearer authentication (Features/Account, Infrastructure/Auth).
        services.AddMarketplaceAccounts();
        services.AddMarketplaceAuthentication();
        // Data-protection keys (cookies, antiforgery, bearer tokens) in the database, shared by every instance on it.
        services.AddSingleton<DataProtectionKeyRepository>();
        services.AddDataProtection().SetApplicationName("Marketplace");
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyRepository>((options, keys) => options.XmlRepository = keys);
        // Failed sign-ins pause an (address, client) pair, a client, and an address for clients that never signed in
        // to it; never the account for its owner (Security:SignIn, checked here; docs/security.md).
        services.AddSingleton((configuration.GetSection(SignInThrottleSettings.SectionName).Get<SignInThrottleSettings>() ?? new SignInThrottleSettings()).Validated());
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<KnownClients>();
        services.AddScoped<PasswordSignIn>();
        // 429 with Retry-After on sign-in, token, registration, invitations and the API (Security:RateLimits).
        services.AddMarketplaceRateLimits(configuration);
        services.AddMarketplaceProxies(configuration);
        // CSP without inline script, nosniff, frame-ancestors none, Referrer-Policy, HSTS, cookie policy (docs/security.md).
        services.AddMarketplaceSecurityHeaders(configuration, builder.Environment);
        services.AddProposals();
        services.AddDelivery();
        services.AddVendorProfiles();
        services.AddMatching();
        services.AddReviews(configuration);
        services.AddDashboards(configuration);
        // E-mail: settings (Smtp:*, Email:*, Marketplace:BaseUrl), outbox, preferences, dispatcher and digest (Data/Email,
        // Features/Email). The email-dispatch and email-digest jobs (Marketplace.Jobs) run EmailDispatcher and EmailDigest.
        services.AddEmail(configuration);
        // Background jobs on Hangfire (Marketplace.Jobs): lifecycle clock, rematch, weekly digest; the dashboard at /hangfire.
        services.AddMarketplaceJobs(configuration);
        services.AddJobsDashboard();

        // Razor would otherwise write every Chinese character as an &#x…; entity.
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("zh-CN");
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.Conventions.Add(new ApiAntiforgeryConvention());
                options.Conventions.Add(new ApiProblemResponsesConvention());
                options.Conventions.Add(new JsonOnlyApiConvention());
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization()
            .AddJsonOptions(options => options.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.Configure<RazorViewEngineOptions>(options =>
        {
            // Feature folders: a controller's views live beside it (STYLE.md).
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });

        // One title per status across the API (MVC's problems, minimal endpoints, the auth handler): what differs goes in detail.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Title = ErrorResponses.TitleOf(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode) ?? context.ProblemDetails.Title);
        services.AddOpenApi("v1");
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Applies migrations (refusing to start on a schema the code does not know) and seeds demo data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var logger = app.Logger;
        var connections = app.Services.GetRequiredService<DbConnectionFactory>();
        try
        {
            var report = await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
            logger.LogInformation("Database: {Database}; {Applied} migration(s) applied now, {Existing} already applied.",
                connections.Describe(), report.Applied.Count, report.AlreadyApplied);
        }
        catch (MigrationException ex)
        {
            logger.LogCritical("Marketplace cannot start: {Reason}", ex.Message);
            await Console.Error.WriteLineAsync($"Marketplace cannot start: {ex.Message}");
            throw;
        }

        var seedDemo = app.Configuration.GetValue("Seed:Demo", false);
        if (seedDemo && app.Environment.IsProduction())
        {
            logger.LogWarning("Seed:Demo is ignored under the Production environment: demo data never enters a production database.");
            seedDemo = false;
        }

        // Seed:Folder names the folder holding the seed files; by default seeds/demo of this checkout.
        var seedsFolder = app.Configuration["Seed:Folder"] ?? (WebRootLocator.FindSeeds() is { } seeds ? Path.Combine(seeds, "demo") : null);
        if (seedDemo && seedsFolder is not null)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
            // The demo password comes from configuration (appsettings.Development.json has one, beside Seed:Demo); without it, a random
            // one, printed below when the accounts are made now. The code holds no password.
            var configured = app.Configuration["Marketplace:DemoPassword"];
            var password = string.IsNullOrEmpty(configured) ? DemoSeeder.NewPassword() : configured;
            var result = await seeder.SeedIfEmptyAsync(seedsFolder, password);
            if (result.Seeded)
            {
                logger.LogInformation("Demo data loaded: {Summary}", result.Summary);
            }

            var printed = result.Seeded || !string.IsNullOrEmpty(configured) ? password : "the one printed when the demo data was loaded";
            app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, result.SignIns, printed));
        }
        else
        {
            app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, [], null));
        }
    }

    private static void PrintWelcome(WebApplication app, IReadOnlyList<DemoSignIn> signIns, string? password)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine();
        foreach (var address in addresses)
        {
            Console.WriteLine($"Marketplace is running at {address}");
        }

        if (signIns.Count > 0)
        {
            Console.WriteLine($"Demo sign-ins (password for all: {password}):");
            foreach (var signIn in signIns)
            {
                Console.WriteLine($"  {signIn.Role,-11} {signIn.Email,-45} {signIn.Description}");
            }
        }

        var email = app.Services.GetRequiredService<EmailSettings>();
        Console.WriteLine(email.UsesPickupFolder
            ? $"E-mail: no Smtp:Host configured, so messages are written as .eml files to {email.FullPickupFolder}"
            : $"E-mail: sent through SMTP {email.SmtpHost}:{email.SmtpPort}; links point to {email.BaseUrl}");
        Console.WriteLine("Press Ctrl+C to stop.");
        Console.WriteLine();
    }

    public static WebApplication UseMarketplace(this WebApplication app)
    {
        // First: every later step (HSTS, rate limits, sign-in pauses, logs) must see the client, not the proxy.
        app.UseMarketplaceProxies();
        app.UseMarketplaceSecurityHeaders(app.Environment);

        // No exception detail ever reaches a client, in any environment (no developer exception page even under
        // Development): the exception handler middleware logs the exception with its stack trace, the API answers a
        // problem without it, pages show the friendly error page. The API answers every error with RFC 7807 problem
        // details; pages get a friendly page instead.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = UnhandledErrors.WriteApiProblemAsync })
            .UseStatusCodePages());
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error/500", StatusCodeSelector = UnhandledErrors.StatusOf })
            .UseStatusCodePagesWithReExecute("/error/{0}"));
        // Inside the exception handler and status-code pages, so its 503 (which carries its own body) is answered as written.
        app.UseMiddleware<DatabaseFaultMiddleware>();

        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = DatabaseHealthCheck.WriteJsonAsync });
        app.MapAccountApi();
        app.MapJobsDashboard();
        app.MapControllers();
        return app;
    }
}
