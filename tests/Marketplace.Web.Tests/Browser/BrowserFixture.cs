using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// The real application on Kestrel (a real port on 127.0.0.1) with seeds/test loaded (or the app a test gives it),
/// and Debian's Chromium driven by Playwright. Playwright's own browser download is never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public BrowserFixture()
        : this(new KestrelMarketplaceFactory())
    {
    }

    /// <summary>The browser on another application (internal: xUnit wants one public constructor on a fixture).</summary>
    internal BrowserFixture(MarketplaceFactory app) => App = app;

    /// <summary>Where Debian installs Chromium; MARKETPLACE_CHROMIUM may point elsewhere.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("MARKETPLACE_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public MarketplaceFactory App { get; }

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. The test command installs Debian's chromium package.");
        }

        await App.InitializeAsync();
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A fresh browser context (own cookies) with the interface language chosen.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, TimezoneId = "Europe/Berlin", BaseURL = BaseUrl });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

public sealed class KestrelMarketplaceFactory : MarketplaceFactory;

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
