using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// A TCP relay between the app and PostgreSQL that a test can cut and restore: with it cut, the database is
/// unreachable exactly as a dead network or a stopped server looks (connection refused, live connections reset), without
/// stopping the cluster other tests share.
/// </summary>
public sealed class CuttableTcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _live = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();

    public CuttableTcpRelay(IPEndPoint target)
    {
        _target = target;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    /// <summary>Refuses new connections and resets every live one.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _running.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _live)
            {
                try
                {
                    client.Client?.LingerState = new LingerOption(true, 0); // RST, as a dead peer
                }
                catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
                {
                    // Already closed by its pump.
                }

                client.Dispose();
            }

            _live.Clear();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            _running = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _ = AcceptAsync(_listener, _running.Token);
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_gate)
            {
                _live.Add(inbound);
                _live.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound, cancellationToken);
            _ = PumpAsync(outbound, inbound, cancellationToken);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The relay was cut or a side closed: the other side goes too.
        }

        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The app on a fresh PostgreSQL database reached through a <see cref="CuttableTcpRelay"/>.</summary>
public sealed class RelayedPostgresFactory : MarketplaceFactory
{
    private CuttableTcpRelay? _relay;

    protected override string Engine => TestEngines.Postgres;

    public CuttableTcpRelay Relay => _relay ?? throw new InvalidOperationException("Not initialised.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var direct = new NpgsqlConnectionStringBuilder(Database.Options.ConnectionString);
        _relay = new CuttableTcpRelay(new IPEndPoint(IPAddress.Loopback, direct.Port));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var relayed = new NpgsqlConnectionStringBuilder(Database.Options.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 3 };
        builder.UseSetting("Database:ConnectionString", relayed.ToString());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }
}

/// <summary>
/// A small tmpfs the test mounts for a SQLite file, to fill it up or remount it read-only (needs root and the mount
/// capability; <see cref="FactWhenMountAllowedAttribute"/> skips otherwise).
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "marketplace-fault-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new SmallFileSystem(path);
    }

    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void RemountReadWrite() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Writes a filler file until the file system is full; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler.bin");
        var block = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Top up the last partial block byte by byte so not even one page is free.
            var one = new byte[1];
            try
            {
                while (true)
                {
                    stream.Write(one);
                }
            }
            catch (IOException)
            {
            }
        }

        return filler;
    }

    public static bool CanMount { get; } = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var probe = Mount(1);
            probe.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit(30_000);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()}");
            }
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"{arguments[0]} is not available: {exception.Message}", exception);
        }
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Run("umount", Path);
        }
        catch (InvalidOperationException)
        {
            Run("umount", "-l", Path); // still busy: detach now, freed when the last handle closes
        }

        Directory.Delete(Path);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fact that runs only where the test may mount a tmpfs (root on Linux with the capability).</summary>
public sealed class FactWhenMountAllowedAttribute : FactAttribute
{
    public FactWhenMountAllowedAttribute()
    {
        if (!SmallFileSystem.CanMount)
        {
            Skip = "Needs to mount a small tmpfs (root with CAP_SYS_ADMIN on Linux) to fill a disk or make it read-only.";
        }
    }
}

/// <summary>The app on a SQLite file inside a <see cref="SmallFileSystem"/>.</summary>
public sealed class SmallDiskSqliteFactory(SmallFileSystem disk) : MarketplaceFactory
{
    /// <summary>Hangfire's own file stays off the small disk, so only the application's writes meet the fault.</summary>
    private readonly string _jobsFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "marketplace-fault-jobs-" + Guid.NewGuid().ToString("N")[..12] + ".db");

    public string DatabaseFile => System.IO.Path.Combine(disk.Path, "marketplace.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabaseFile}");
        builder.UseSetting("Jobs:SqliteFile", _jobsFile);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _jobsFile, _jobsFile + "-wal", _jobsFile + "-shm" })
        {
            File.Delete(file);
        }
    }
}
