namespace Marketplace.Testing;

/// <summary>Where the checkout is, for tests that read its seeds/ and src/ folders.</summary>
public static class TestPaths
{
    /// <summary>The folder holding Marketplace.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Marketplace.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Marketplace.sln) above " + AppContext.BaseDirectory);
    }
}
