using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>The app on a fresh database loaded with the demo seed (seeds/demo) and its story, as a first run would load it.</summary>
public sealed class DemoMarketplaceFactory : MarketplaceFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Seed:Folder", Path.Combine(RepositoryRoot, "seeds", "demo"));
        // 120 demo accounts: fewer hashing rounds so they load quickly.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000));
    }
}
