using System.Diagnostics;
using System.Security.Cryptography;

namespace Marketplace.Matching.Tests.Evaluation;

public class EvalSetGeneratorTests
{
    [Fact]
    public void Generator_SameSeed_WritesTheSameFiles_AndTheCommittedSetIsItsOutput()
    {
        var root = RepoRoot();
        var first = Generate(root, 20261206);
        var second = Generate(root, 20261206);
        var other = Generate(root, 7);

        foreach (var file in new[] { "challenges.jsonl", "vendors.jsonl", "qrels.tsv" })
        {
            Assert.Equal(Hash(Path.Combine(first, file)), Hash(Path.Combine(second, file)));
            Assert.Equal(Hash(Path.Combine(root, "seeds", "eval-hard", file)), Hash(Path.Combine(first, file)));
        }

        Assert.NotEqual(Hash(Path.Combine(first, "challenges.jsonl")), Hash(Path.Combine(other, "challenges.jsonl")));
        Assert.True(File.ReadLines(Path.Combine(first, "challenges.jsonl")).Count() >= 150);
        Assert.True(File.ReadLines(Path.Combine(first, "vendors.jsonl")).Count() >= 300);
    }

    private static string Generate(string root, int seed)
    {
        var output = Path.Combine(Path.GetTempPath(), $"eval-hard-{seed}-{Guid.NewGuid():N}");
        using var process = Process.Start(new ProcessStartInfo("python3", ["seeds/eval-hard/generate.py", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output])
        {
            WorkingDirectory = root,
        })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test output.");
    }
}
