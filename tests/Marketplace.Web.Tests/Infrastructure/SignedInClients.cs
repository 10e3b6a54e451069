using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Account;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>Clients signed in as one of the seeds/test accounts: by cookie for pages, by bearer token for the API.</summary>
public static class SignedInClients
{
    /// <summary>A browser-like client (cookies, no redirects followed), signed in when an e-mail is given.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(this MarketplaceFactory factory, string? email, string language = "en")
    {
        var client = factory.CreateBrowserClient(language);
        if (email is not null)
        {
            using var response = await client.SignInAsync(email, MarketplaceFactory.TestPassword);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        return client;
    }

    /// <summary>An API client carrying the account's bearer token, or anonymous when no e-mail is given.</summary>
    public static async Task<HttpClient> ApiClientAsync(this MarketplaceFactory factory, string? email)
    {
        // ClientOptions.BaseAddress is the real port when the factory runs on Kestrel (browser tests), localhost otherwise.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = factory.ClientOptions.BaseAddress });
        if (email is not null)
        {
            using var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = MarketplaceFactory.TestPassword });
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }
}
