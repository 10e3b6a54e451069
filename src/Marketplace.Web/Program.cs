using Marketplace.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = WebRootLocator.Find(),
});

builder.AddMarketplace();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseMarketplace();
app.Run();

/// <summary>Exposed so the in-process HTTP tests can start the real application.</summary>
public partial class Program;
