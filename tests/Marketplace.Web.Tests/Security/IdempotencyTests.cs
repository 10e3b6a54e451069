using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Dapper;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The Idempotency-Key header on the API's create calls: a repeat answers the first answer and creates nothing; the
/// same key with another body is 422; two requests racing with one key create one thing; every 201 action honours it.
/// </summary>
public sealed class IdempotencyTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private async Task<int> CountAsync(string sql)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql);
    }

    private static HttpRequestMessage Create(object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/challenges") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task Repeat_WithTheSameKeyAndBody_AnswersTheSame_AndCreatesOnce()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        var body = ChallengeJson(factory.Clock.GetUtcNow(), title: "Idempotent challenge " + Guid.NewGuid().ToString("N")[..8]);
        var key = Guid.NewGuid().ToString();
        var before = await CountAsync("SELECT COUNT(*) FROM challenges");

        using var first = await enterprise.SendAsync(Create(body, key));
        using var second = await enterprise.SendAsync(Create(body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(before + 1, await CountAsync("SELECT COUNT(*) FROM challenges"));
    }

    [Fact]
    public async Task SameKey_WithADifferentBody_Is422_AndCreatesNothing()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        var key = Guid.NewGuid().ToString();
        using var first = await enterprise.SendAsync(Create(ChallengeJson(factory.Clock.GetUtcNow(), title: "First body"), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await CountAsync("SELECT COUNT(*) FROM challenges");

        using var second = await enterprise.SendAsync(Create(ChallengeJson(factory.Clock.GetUtcNow(), title: "Second body"), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("different request", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM challenges"));
    }

    [Fact]
    public async Task Keys_ArePerAccount_AndARefusedRequestIsRepeatedAsRefused()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var other = await factory.ApiClientAsync(OtherEnterprise);
        var key = Guid.NewGuid().ToString();
        var body = ChallengeJson(factory.Clock.GetUtcNow(), title: "Per-account key");

        using var mine = await enterprise.SendAsync(Create(body, key));
        using var theirs = await other.SendAsync(Create(body, key));
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);

        // A 400 is an answer too: the same bad request with the same key gets the same 400, and nothing is stored.
        var badKey = Guid.NewGuid().ToString();
        var before = await CountAsync("SELECT COUNT(*) FROM challenges");
        using var bad = await enterprise.SendAsync(Create(new { title = "" }, badKey));
        using var badAgain = await enterprise.SendAsync(Create(new { title = "" }, badKey));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAgain.StatusCode);
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM challenges"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ctrl\u0007bell")]
    [InlineData("密钥")]
    public async Task MalformedKey_Is400_AndCreatesNothing(string key)
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        var before = await CountAsync("SELECT COUNT(*) FROM challenges");
        using var request = Create(ChallengeJson(factory.Clock.GetUtcNow()), null);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await enterprise.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM challenges"));
    }

    [Fact]
    public async Task OverlongKey_Is400()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var response = await enterprise.SendAsync(Create(ChallengeJson(factory.Clock.GetUtcNow()), new string('k', IdempotencyFilter.MaxKeyLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TwoConcurrentRequests_WithOneKey_CreateOneChallenge()
    {
        var clients = new[] { await factory.ApiClientAsync(Enterprise), await factory.ApiClientAsync(Enterprise), await factory.ApiClientAsync(Enterprise), await factory.ApiClientAsync(Enterprise) };
        var body = ChallengeJson(factory.Clock.GetUtcNow(), title: "Raced challenge " + Guid.NewGuid().ToString("N")[..8]);
        var key = Guid.NewGuid().ToString();
        var before = await CountAsync("SELECT COUNT(*) FROM challenges");

        var responses = await Task.WhenAll(clients.Select(c => c.SendAsync(Create(body, key))));

        // One ran; the others either waited for it and got its answer, or were told it is still running (409, retry).
        Assert.Equal(before + 1, await CountAsync("SELECT COUNT(*) FROM challenges"));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotency-Replayed"));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("1", conflict.Headers.GetValues("Retry-After").Single());
        }

        // After it finished, a retry gets the one answer.
        using var retry = await clients[0].SendAsync(Create(body, key));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(responses.First(r => r.StatusCode == HttpStatusCode.Created).Headers.Location, retry.Headers.Location);
        Assert.Equal(before + 1, await CountAsync("SELECT COUNT(*) FROM challenges"));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task QuestionsAndProposals_HonourTheKeyToo()
    {
        var published = await SeededChallengeIdAsync(factory, "冷轧带钢表面缺陷在线检测");
        using var vendor = await factory.ApiClientAsync(Vendor);
        var key = Guid.NewGuid().ToString();
        var before = await CountAsync("SELECT COUNT(*) FROM challenge_questions");
        HttpRequestMessage Ask()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/challenges/{published}/questions") { Content = JsonContent.Create(new { question = "Which PLC do you run?" }) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        using var first = await vendor.SendAsync(Ask());
        using var second = await vendor.SendAsync(Ask());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await CountAsync("SELECT COUNT(*) FROM challenge_questions"));
    }

    [Fact]
    public void EveryApiActionThatAnswers201_HonoursIdempotencyKey()
    {
        var actions = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<ControllerActionDescriptor>()
            .Where(a => a.MethodInfo.GetCustomAttributes<ProducesResponseTypeAttribute>().Any(p => p.StatusCode == StatusCodes.Status201Created))
            .ToList();

        Assert.True(actions.Count >= 9, $"only {actions.Count} create actions found");
        var missing = actions.Where(a => a.MethodInfo.GetCustomAttribute<IdempotentAttribute>() is null).Select(a => a.DisplayName).ToList();
        Assert.True(missing.Count == 0, "Create actions without [Idempotent]: " + string.Join(", ", missing));
    }
}
