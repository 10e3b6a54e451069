using System.Globalization;
using Marketplace.Data.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>
/// The application on SQLite with every request's SQL commands counted and reported in the X-Sql-Commands response
/// header, for the query ceilings of the main pages. The count covers the controller, the view and its components.
/// </summary>
public sealed class QueryCountingFactory : MarketplaceFactory
{
    public const string Header = "X-Sql-Commands";

    /// <summary>The SQL of the last counted request (tests measure one request at a time).</summary>
    public static IReadOnlyList<string> LastCommands { get; private set; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:CountCommands", "true");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, CountingStartupFilter>());
    }

    /// <summary>GETs a page and returns its status and how many SQL commands serving it took.</summary>
    public static async Task<(int Status, int Commands)> MeasureAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        await response.Content.ReadAsStringAsync();
        var commands = response.Headers.TryGetValues(Header, out var values) ? int.Parse(values.Single(), CultureInfo.InvariantCulture) : -1;
        return ((int)response.StatusCode, commands);
    }

    private sealed class CountingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var tally = SqlCommandCounter.Start();
                // Views are rendered into a buffer and written at the end, so the headers go out after every query ran.
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[Header] = tally.Count.ToString(CultureInfo.InvariantCulture);
                    LastCommands = tally.Commands;
                    return Task.CompletedTask;
                });
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
