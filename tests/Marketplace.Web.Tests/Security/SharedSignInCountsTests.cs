using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Data.Security;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Failed sign-ins are counted in the database (migration 0021), not in each instance's memory: failures spread over two
/// instances on one database pause the pair as five on one would, an instance started afterwards (a restart) still
/// knows the pause, the table holds neither the typed address nor the client address, and quiet counts are purged.
/// </summary>
public sealed class SharedSignInCountsTests
{
    private sealed class SecondInstance(TestDatabase shared) : MarketplaceFactory(shared);

    private sealed class OnEngineFactory(string engine) : MarketplaceFactory
    {
        protected override string Engine => engine;
    }

    private const string Email = "vendor@test.example";

    private static HttpClient Plain(MarketplaceFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static async Task<HttpStatusCode> TokenAsync(HttpClient client, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = Email, password });
        return response.StatusCode;
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task FailuresOnTwoInstances_AddUp_SurviveARestart_AndAreStoredOnlyAsHashes(string engine)
    {
        await using var first = new OnEngineFactory(engine);
        await first.InitializeAsync();
        using var firstClient = Plain(first);
        await using var second = new SecondInstance(first.Database);
        await second.InitializeAsync();
        using var secondClient = Plain(second);

        // Five failures from one client allowed per address (the default): three here, two there.
        foreach (var client in new[] { firstClient, firstClient, firstClient, secondClient })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(client, "Not-the-password-1"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await TokenAsync(secondClient, "Not-the-password-1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TokenAsync(firstClient, MarketplaceFactory.TestPassword));

        // A third instance on the same database (as after a restart) knows the pause too.
        await using var restarted = new SecondInstance(first.Database);
        await restarted.InitializeAsync();
        using var restartedClient = Plain(restarted);
        Assert.Equal(HttpStatusCode.TooManyRequests, await TokenAsync(restartedClient, MarketplaceFactory.TestPassword));

        await using var connection = await first.Database.Connections.OpenAsync();
        var keys = (await connection.QueryAsync<string>("SELECT counter_key FROM sign_in_failures")).ToList();
        Assert.Equal(3, keys.Count); // the pair, the client, the address
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{64}$", key));

        // The pause ends 15 minutes after the last failure on every instance; a quiet week later the counts are purged.
        first.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(firstClient, MarketplaceFactory.TestPassword));
        var store = first.Services.GetRequiredService<SignInFailureStore>();
        Assert.Equal(0, await store.PurgeQuietAsync(first.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(2, await store.PurgeQuietAsync(first.Clock.GetUtcNow().AddDays(8), CancellationToken.None));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sign_in_failures"));
    }
}
