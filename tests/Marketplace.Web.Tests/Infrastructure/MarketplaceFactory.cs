using System.Net;
using System.Net.Http.Headers;
using Marketplace.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>
/// The real application in process, on a fresh database of its own (SQLite unless a subclass names another
/// engine), loaded with the small data set in seeds/test. Use one per test class (IClassFixture) or create one
/// per test when a test changes data others read.
/// </summary>
public class MarketplaceFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The password of every account in seeds/test.</summary>
    public const string TestPassword = "Test-Password-1!";

    private TestDatabase? _database;

    private readonly bool _ownsDatabase = true;

    public MarketplaceFactory()
    {
    }

    /// <summary>A second instance of the application on another factory's database (scale-out tests); the owner disposes it.</summary>
    protected MarketplaceFactory(TestDatabase shared)
    {
        _database = shared;
        _ownsDatabase = false;
    }

    protected virtual string Engine => TestEngines.Sqlite;

    /// <summary>Whether this app runs Hangfire workers (off by default, so nothing happens behind a test's back).</summary>
    protected virtual bool JobsServer => false;

    /// <summary>Whether cookies are marked Secure (off by default: the test clients speak plain http).</summary>
    protected virtual bool SecureCookies => false;

    /// <summary>Whether the rate limits are raised out of reach (on by default: tests make many requests from one client).</summary>
    protected virtual bool RateLimitsOff => true;

    /// <summary>Whether seeds/test is loaded at start-up (on by default).</summary>
    protected virtual bool SeedTestData => true;

    /// <summary>
    /// Whether Seed:Demo and Marketplace:DemoPassword are left to the app's own appsettings files for its environment
    /// (off by default: the factory sets both). Seed:Folder still points at seeds/test.
    /// </summary>
    protected virtual bool DemoSeedFromAppSettings => false;

    /// <summary>
    /// The application's clock. It starts at the real time and moves only when a test advances it. ASP.NET Core's
    /// authentication reads the same clock, so a cookie or token ages with it: sign in again after a long jump.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The factory is not initialised.");

    public static string RepositoryRoot => TestPaths.RepositoryRoot;

    public virtual async Task InitializeAsync() => _database ??= await TestDatabase.CreateAsync(Engine, migrate: false);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Any free port when a test starts Kestrel for a real browser; the in-memory test server ignores it.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Database:Provider", Database.Options.Provider);
        builder.UseSetting("Database:ConnectionString", Database.Options.ConnectionString);
        if (!DemoSeedFromAppSettings)
        {
            builder.UseSetting("Seed:Demo", SeedTestData ? "true" : "false");
            builder.UseSetting("Marketplace:DemoPassword", TestPassword);
        }

        builder.UseSetting("Seed:Folder", Path.Combine(RepositoryRoot, "seeds", "test"));
        // Hangfire's storage, client and dashboard are there, but no workers: tests run the time-driven work
        // themselves, at the moments they choose (JobsFactory turns the workers on to test the jobs).
        builder.UseSetting("Jobs:Enabled", "true");
        builder.UseSetting("Jobs:Server", JobsServer ? "true" : "false");
        builder.UseSetting("Jobs:PollSeconds", "1");
        builder.UseSetting("Jobs:RetryDelaySeconds", "1");
        // Every in-memory request comes from the same (absent) client address: the per-client sign-in pause would
        // otherwise trip across unrelated tests. Tests of the limits themselves lower them again (Security/ tests).
        builder.UseSetting("Security:SignIn:MaxFailuresPerClient", "100000");
        // Likewise the seeded accounts are tried wrongly by many tests: the per-address limit over every client is
        // lowered by its own tests (Security/SignInAccountLimitTests).
        builder.UseSetting("Security:SignIn:MaxFailuresPerAccount", "100000");
        // The in-memory server and the browser tests speak plain http: Secure cookies would not come back.
        builder.UseSetting("Security:SecureCookies", SecureCookies ? "true" : "false");
        foreach (var limit in new[] { "SignIn", "Registration", "Invitations", "Api" })
        {
            builder.UseSetting($"Security:RateLimits:{limit}:PermitLimit", RateLimitsOff ? "1000000" : null);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, TestClientAddress>();
        });
    }

    /// <summary>The header a test sets to make a request come from another client address (the in-memory server has none).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private sealed class TestClientAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var value) && IPAddress.TryParse(value, out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>A client that keeps cookies, does not follow redirects and asks for English pages.</summary>
    public HttpClient CreateBrowserClient(string language = "en")
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return client;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && _ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>The same application on a fresh PostgreSQL database (needs MARKETPLACE_TEST_POSTGRES).</summary>
public sealed class PostgresMarketplaceFactory : MarketplaceFactory
{
    protected override string Engine => TestEngines.Postgres;
}
