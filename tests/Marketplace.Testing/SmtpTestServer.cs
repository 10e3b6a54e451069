using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Marketplace.Testing;

/// <summary>
/// A real SMTP server for the tests: Debian's python3-aiosmtpd with its Mailbox handler, listening on a loopback port
/// and storing every message it accepts in a Maildir that the test reads back. tests/run-all.sh installs the package.
/// Stop and start it again on the same port to play "the mail server was down".
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string[] MaildirFolders = ["new", "cur"];
    private Process? _process;

    private SmtpTestServer(int port, string maildir)
    {
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A server on a free port, not started yet (nothing listens there until <see cref="StartAsync"/>).</summary>
    public static SmtpTestServer OnFreePort()
    {
        var maildir = Path.Combine(Path.GetTempPath(), "marketplace-tests", "maildir-" + Guid.NewGuid().ToString("N"));
        return new SmtpTestServer(FreePort(), maildir);
    }

    public static async Task<SmtpTestServer> StartNewAsync()
    {
        var server = OnFreePort();
        await server.StartAsync();
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the SMTP tests need Debian's python3-aiosmtpd (tests/run-all.sh installs it).");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        _process.BeginOutputReadLine();
        var error = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed? tests/run-all.sh installs it): {error}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"aiosmtpd did not listen on port {Port} within 20 s.");
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Every message the server has accepted so far, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var files = MaildirFolders.Select(f => Path.Combine(Maildir, f)).Where(Directory.Exists)
            .SelectMany(Directory.GetFiles).Order(StringComparer.Ordinal).ToList();
        return files.Select(f => MimeMessage.Load(f)).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (the Mailbox handler writes before it answers 250, so this is rarely needed).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Maildir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
