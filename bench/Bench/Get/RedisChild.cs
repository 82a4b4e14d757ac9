using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.Bench.Get;

/// <summary>A private redis-server, a child of the benchmark (no persistence to disk), for the silo's twin state.</summary>
internal sealed class RedisChild : IAsyncDisposable
{
    private readonly Process _process;

    private RedisChild(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts redis-server on a free port and returns once it accepts connections.</summary>
    public static async Task<RedisChild> StartAsync(TimeSpan timeout)
    {
        var port = TestHost.FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        Process process;
        try
        {
            process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited:\n" + output));
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server was not found on PATH. Install it (Debian: apt-get install -y redis-server) or use --store memory.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new RedisChild(process, port);
        try
        {
            await ready.Task.WaitAsync(timeout);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
