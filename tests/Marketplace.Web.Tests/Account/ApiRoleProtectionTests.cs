using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Accounts;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

/// <summary>
/// The application plus one admin-only endpoint under /api/v1, added in front of the real pipeline, so the
/// API's 403 answer can be seen before any real role-protected endpoint exists.
/// </summary>
public sealed class ApiProbeFactory : AccountsFactoryBase
{
    public const string ProbePath = "/api/v1/test-probe/admin-only";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ProbeStartupFilter>());
    }

    private sealed class ProbeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.MapWhen(context => context.Request.Path.Equals(ProbePath, StringComparison.Ordinal), probe =>
            {
                probe.UseRouting();
                probe.UseAuthentication();
                probe.UseAuthorization();
                probe.UseEndpoints(endpoints => endpoints.MapGet(ProbePath, () => "admin only").RequireAuthorization(AuthPolicies.Admin));
            });
            next(app);
        };
    }
}

public sealed class ApiRoleProtectionTests(ApiProbeFactory factory) : IClassFixture<ApiProbeFactory>
{
    private async Task<string> TokenAsync(string email)
    {
        using var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = AccountsFactoryBase.Password });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
    }

    private async Task<HttpResponseMessage> GetProbeAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiProbeFactory.ProbePath);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).SendAsync(request);
    }

    [Fact]
    public async Task ApiEndpointForAdmins_AnswersAVendorWith403ProblemDetails()
    {
        var email = AccountTestKit.Unique("apivendor");
        await factory.RegisterAsync(email, "vendor");

        using var response = await GetProbeAsync(await TokenAsync(email));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ApiEndpointForAdmins_AnswersAnAdminAndRefusesTheAnonymous()
    {
        var email = AccountTestKit.Unique("apiadmin");
        await factory.AddUserAsync(email, Roles.Admin);

        using var admin = await GetProbeAsync(await TokenAsync(email));
        using var anonymous = await GetProbeAsync(null);

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("admin only", await admin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }
}
