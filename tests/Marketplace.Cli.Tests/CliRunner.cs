using System.Diagnostics;
using Marketplace.Testing;

namespace Marketplace.Cli.Tests;

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the built `marketplace` command as a separate process, exactly as an operator would.</summary>
public static class CliRunner
{
    private static readonly string CliAssembly = Path.Combine(AppContext.BaseDirectory, "marketplace.dll");

    public static async Task<CliResult> RunAsync(TestDatabase database, params string[] arguments) =>
        await RunRawAsync(["--provider", database.Options.Provider, "--connection", database.Options.ConnectionString, .. arguments]);

    public static async Task<CliResult> RunRawAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    public static string RepositoryRoot => TestPaths.RepositoryRoot;
}
