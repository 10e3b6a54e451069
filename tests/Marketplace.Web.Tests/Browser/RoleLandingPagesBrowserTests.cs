using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// Each demo account's landing page, signed in, in Chinese and English, on the full demo data (seeds/demo with its
/// story). The pages must render, in the right language, and Chinese must be drawn with real glyphs (the test
/// command installs Debian's fonts-noto-cjk). With MARKETPLACE_SCREENSHOTS set to a folder the test also saves each
/// page as {name}-{language}.png at 1280×900: `docs/screenshots/` is made this way (README).
/// </summary>
public sealed class RoleLandingPagesBrowserTests(RoleLandingPagesBrowserTests.DemoBrowser demo) : IClassFixture<RoleLandingPagesBrowserTests.DemoBrowser>
{
    /// <summary>
    /// Who lands where. The role dashboards (issue #11) replace these paths once they exist; the names stay, so the
    /// screenshots keep their file names.
    /// </summary>
    public static readonly (string Name, string Email, string Path)[] Landings =
    [
        ("vendor-dashboard", "gu.mingzhe@chengtong-vision.example", "/dashboard"),
        ("enterprise-dashboard", "zhou.lifeng@jinling-autoparts.example", "/dashboard"),
        ("reviewer-dashboard", "liu.zhenhua@reviewers.example", "/dashboard"),
        ("officer-dashboard", "zhou.min@ai-programme.example", "/dashboard"),
        ("admin-dashboard", "admin@ai-programme.example", "/dashboard"),
        ("vendor-recommendations", "gu.mingzhe@chengtong-vision.example", "/recommendations"),
        ("officer-review-board", "zhou.min@ai-programme.example", "/review"),
        ("officer-delivery", "zhou.min@ai-programme.example", "/delivery"),
    ];

    public static TheoryData<string, string, string, string> Pages()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var language in new[] { "zh-CN", "en" })
        {
            foreach (var (name, email, path) in Landings)
            {
                data.Add(name, email, path, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task LandingPage_RendersSignedIn_InTheLanguage_WithChineseGlyphs(string name, string email, string path, string language)
    {
        var context = await demo.Browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = language,
            TimezoneId = "Asia/Shanghai",
            BaseURL = demo.Browser.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/account/signin");
            await page.FillAsync("#Email", email);
            await page.FillAsync("#Password", MarketplaceFactory.TestPassword);
            await page.ClickAsync("form button[type=submit]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            var response = await page.GotoAsync(path);

            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
            var heading = await page.InnerTextAsync("h1");
            // Chinese headings in Chinese; English ones in English, without a Chinese subtitle.
            Assert.True(language == "zh-CN" ? heading.Any(IsChinese) : heading.Any(char.IsAsciiLetter) && !heading.Any(IsChinese), $"heading '{heading}' in {language}");
            // Demo content is bilingual: every page carries Chinese names or text, which must be drawn, not boxes.
            Assert.True((await page.InnerTextAsync("body")).Any(IsChinese), "the page shows Chinese content");
            Assert.True(await DrawsChineseGlyphsAsync(page), "Chinese characters render as distinct glyphs (fonts-noto-cjk)");

            if (Environment.GetEnvironmentVariable("MARKETPLACE_SCREENSHOTS") is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{language}.png") });
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static bool IsChinese(char ch) => ch is >= '\u4e00' and <= '\u9fff';

    /// <summary>
    /// Draws two different characters in the page's own font on a canvas and compares the pixels: without a font for
    /// them the browser draws the same empty box for both. Two private-use characters (no font has them) are the
    /// control that the comparison does see boxes as equal.
    /// </summary>
    private static Task<bool> DrawsChineseGlyphsAsync(IPage page) =>
        page.EvaluateAsync<bool>(
            """
            () => {
              const font = '32px ' + getComputedStyle(document.body).fontFamily;
              const draw = text => {
                const canvas = document.createElement('canvas');
                canvas.width = 48; canvas.height = 48;
                const g = canvas.getContext('2d');
                g.font = font; g.fillStyle = '#000'; g.textBaseline = 'top';
                g.fillText(text, 4, 4);
                return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
              };
              const boxesLookAlike = draw('\uE000') === draw('\uE001');
              return boxesLookAlike && draw('中') !== draw('国') && draw('榜') !== draw('题');
            }
            """);

    /// <summary>The app with the full demo data (and its story), on Kestrel, with Chromium; once for all the pages.</summary>
    public sealed class DemoBrowser : IAsyncLifetime
    {
        public BrowserFixture Browser { get; } = new(new DemoMarketplaceFactory());

        public Task InitializeAsync() => Browser.InitializeAsync();

        public Task DisposeAsync() => Browser.DisposeAsync();
    }

    /// <summary>seeds/demo instead of seeds/test; passwords hashed with fewer rounds so 120 demo accounts load quickly.</summary>
    private sealed class DemoMarketplaceFactory : MarketplaceFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Seed:Folder", Path.Combine(RepositoryRoot, "seeds", "demo"));
            builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000));
        }
    }
}
