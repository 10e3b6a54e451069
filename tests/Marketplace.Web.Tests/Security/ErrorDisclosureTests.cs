using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// A body of the wrong type to a JSON endpoint is a 415 problem, not a 500; and an exception nobody handled never
/// shows its type, message or stack to a client, under Development as under any other environment, while the log
/// keeps it (issue #12).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factories after each test.")]
public sealed class ErrorDisclosureTests
{
    /// <summary>Says something only the log may see; thrown by a test filter when a request asks for it.</summary>
    private const string Secret = "secret-detail-7f3a";

    public static TheoryData<string> Environments => new() { "Testing", "Development", "Production" };

    /// <summary>The real app in the named environment, with a filter that throws on request and a log the test can read.</summary>
    private sealed class EnvironmentFactory(string environment) : MarketplaceFactory
    {
        public ConcurrentQueue<string> Log { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            builder.ConfigureServices(services =>
            {
                services.Configure<MvcOptions>(options => options.Filters.Add(new ThrowOnRequestFilter()));
                services.AddSingleton<ILoggerProvider>(new ListLoggerProvider(Log));
            });
        }
    }

    private sealed class ThrowOnRequestFilter : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext context)
        {
            // Not on the error page itself, which the page pipeline re-executes with the same headers.
            if (context.HttpContext.Request.Headers.ContainsKey("X-Test-Throw") && !context.HttpContext.Request.Path.StartsWithSegments("/error"))
            {
                throw new InvalidOperationException(Secret);
            }
        }

        public void OnActionExecuted(ActionExecutedContext context)
        {
        }
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(log);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    log.Enqueue($"{formatter(state, exception)} {exception}");
                }
            }
        }
    }

    private static void AssertNoExceptionDetail(string body)
    {
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("stackTrace", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FormBody_ToJsonEndpoints_Is415ProblemDetails()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, strip);
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var vendor = await factory.ApiClientAsync(Vendor);

        foreach (var (client, method, url) in new[]
                 {
                     (enterprise, HttpMethod.Post, "/api/v1/challenges"),
                     (vendor, HttpMethod.Put, $"/api/v1/proposals/{proposal}"),
                     (vendor, HttpMethod.Post, $"/api/v1/challenges/{strip}/proposals"),
                 })
        {
            foreach (var contentType in new[] { "application/x-www-form-urlencoded", "text/plain", "application/xml" })
            {
                using var request = new HttpRequestMessage(method, url) { Content = new StringContent("a[=1", Encoding.UTF8, contentType) };
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{method} {url} {contentType}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("\"status\":415", body, StringComparison.Ordinal);
                Assert.Contains("Unsupported content type", body, StringComparison.Ordinal);
                AssertNoExceptionDetail(body);
            }
        }

        // JSON with a charset is still JSON: the same call gets past the content-type check (to its validation).
        using var json = new HttpRequestMessage(HttpMethod.Post, "/api/v1/challenges") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var validated = await enterprise.SendAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, validated.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task UnhandledException_ShowsNoDetail_ToApiOrPages_ButIsLogged(string environment)
    {
        await using var factory = new EnvironmentFactory(environment);
        await factory.InitializeAsync();
        using var api = factory.CreateClient();
        using var apiRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/challenges");
        apiRequest.Headers.Add("X-Test-Throw", "1");
        apiRequest.Headers.Accept.ParseAdd("application/json");
        using var apiResponse = await api.SendAsync(apiRequest);
        var apiBody = await apiResponse.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, apiResponse.StatusCode);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Server error", apiBody, StringComparison.Ordinal);
        AssertNoExceptionDetail(apiBody);

        using var browser = factory.CreateBrowserClient();
        foreach (var accept in new[] { "text/html", "application/json" })
        {
            using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/challenges");
            pageRequest.Headers.Add("X-Test-Throw", "1");
            pageRequest.Headers.Accept.ParseAdd(accept);
            using var pageResponse = await browser.SendAsync(pageRequest);
            var pageBody = await pageResponse.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, pageResponse.StatusCode);
            AssertNoExceptionDetail(pageBody);
        }

        Assert.Contains(factory.Log, line => line.Contains(Secret, StringComparison.Ordinal) && line.Contains("   at ", StringComparison.Ordinal));
    }
}
