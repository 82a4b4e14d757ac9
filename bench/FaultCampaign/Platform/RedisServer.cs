using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>
/// A real redis-server owned by the campaign, with an append-only file fsynced every write, so it can be stopped
/// and restarted with every twin intact, or paused to act as a slow store.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public bool IsRunning { get; private set; }

    public static async Task<RedisServer> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var server = new RedisServer(directory, TestHost.FreePort());
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts redis-server on the same port and folder, reloading the append-only file.</summary>
    public async Task StartAsync()
    {
        await RunAsync(
            "redis-server",
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--daemonize", "yes", "--pidfile", Path.Combine(_directory, "redis.pid"), "--logfile", Path.Combine(_directory, "redis.log")).ConfigureAwait(false);
        await Eventually.Until(PingAsync, ok => ok, TimeSpan.FromSeconds(30), "redis-server to answer PING").ConfigureAwait(false);
        IsRunning = true;
    }

    /// <summary>Stops redis-server (SHUTDOWN: the append-only file is complete) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        IsRunning = false;
        await RunAsync("redis-cli", "-p", Port.ToString(CultureInfo.InvariantCulture), "shutdown").ConfigureAwait(false);
        await Eventually.Until(async () => !await PingAsync().ConfigureAwait(false), down => down, TimeSpan.FromSeconds(30), "redis-server to stop").ConfigureAwait(false);
    }

    /// <summary>Holds every write command for <paramref name="duration"/> (CLIENT PAUSE WRITE): a slow store.</summary>
    public Task PauseWritesAsync(TimeSpan duration) =>
        RunAsync("redis-cli", "-p", Port.ToString(CultureInfo.InvariantCulture), "client", "pause", ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "write");

    public async ValueTask DisposeAsync()
    {
        if (await PingAsync().ConfigureAwait(false))
        {
            await RunAsync("redis-cli", "-p", Port.ToString(CultureInfo.InvariantCulture), "shutdown", "nosave").ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private async Task<bool> PingAsync()
    {
        var (exit, output) = await RunAsync("redis-cli", "-p", Port.ToString(CultureInfo.InvariantCulture), "ping").ConfigureAwait(false);
        return exit == 0 && output.Trim() == "PONG";
    }

    /// <summary>Runs a command (redis-server, redis-cli) to its end: its exit code, and its output and errors.</summary>
    internal static async Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
    }
}
