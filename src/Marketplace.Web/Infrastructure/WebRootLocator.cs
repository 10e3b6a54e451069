namespace Marketplace.Web.Infrastructure;

/// <summary>
/// The web root is the repository's top-level wwwroot/ (front-end libraries are npm-installed into
/// wwwroot/lib by the build). Found by walking up from the working directory or the binaries.
/// </summary>
public static class WebRootLocator
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Marketplace.sln")) && Directory.Exists(Path.Combine(folder.FullName, "wwwroot")))
                {
                    return Path.Combine(folder.FullName, "wwwroot");
                }
            }
        }

        // Published builds carry their own wwwroot next to the binaries.
        return null;
    }

    /// <summary>The repository's seeds/ folder, if the app runs from a checkout.</summary>
    public static string? FindSeeds()
    {
        var webRoot = Find();
        var seeds = webRoot is null ? null : Path.Combine(Path.GetDirectoryName(webRoot)!, "seeds");
        return seeds is not null && Directory.Exists(seeds) ? seeds : null;
    }
}
