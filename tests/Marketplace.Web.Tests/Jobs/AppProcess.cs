using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Marketplace.Data;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// The real web app as a separate process (`dotnet Marketplace.Web.dll`, built beside this test run), on a database
/// the test names, loaded with seeds/test. Killed with SIGKILL by <see cref="Kill"/> and on dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>The web app's build output for this test run's configuration (Debug or Release).</summary>
    public static string WebAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web", "bin", configuration, "net10.0", "Marketplace.Web.dll");
        }
    }

    public static async Task<AppProcess> StartAsync(DatabaseOptions database, bool server, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WebAssembly)!,
        };
        start.ArgumentList.Add(WebAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Database__Provider"] = database.Provider,
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Seed__Demo"] = "true",
            ["Seed__Folder"] = Path.Combine(MarketplaceFactory.RepositoryRoot, "seeds", "test"),
            ["Marketplace__DemoPassword"] = MarketplaceFactory.TestPassword,
            ["Jobs__Server"] = server ? "true" : "false",
            ["Jobs__PollSeconds"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
            // Plain http on loopback: Secure cookies would not come back.
            ["Security__SecureCookies"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(start)!, port);
        await app.WaitUntilHealthyAsync();
        return app;
    }

    /// <summary>An API client of this process, signed in with the account's bearer token.</summary>
    public async Task<HttpClient> ApiClientAsync(string email)
    {
        var client = new HttpClient { BaseAddress = Address };
        using var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = MarketplaceFactory.TestPassword });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, as when the machine loses the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(250);
        }

        Kill();
        throw new TimeoutException($"The app did not become healthy:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
