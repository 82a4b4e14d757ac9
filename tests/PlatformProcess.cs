using System.Diagnostics;
using System.Text;

namespace DeviceTwins.Testing;

/// <summary>A real DeviceTwins process (shared by the end-to-end tests and the benchmark) (the standalone embedded Kafka cluster or a silo), its output kept for diagnostics.</summary>
internal sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    // A silo under load can log without end (a fleet of a million twins shedding activations): hold a bounded tail.
    private const int MaxOutputChars = 16 * 1024 * 1024;

    private readonly StringBuilder _output = new();
    private long _droppedLines;
    private StreamWriter? _log;
    private EventHandler? _onExit;

    private PlatformProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The admin API key every process started here accepts (test use only; its hash is in <see cref="ApiKeyEnvironment"/>).</summary>
    public const string ApiKey = "dt_test-harness-admin-key-not-for-production-0001";

    /// <summary>
    /// The settings that make a silo or stand-alone API accept <see cref="ApiKey"/> as admin. <see cref="Start"/> adds them
    /// unless the caller sets an Auth__ variable itself (then it is in charge of the credentials).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ApiKeyEnvironment { get; } = new Dictionary<string, string>
    {
        ["Auth__ApiKeys__0__Name"] = "test-harness",
        ["Auth__ApiKeys__0__Hash"] = "sha256:a3fe8bcb649569e7399cf092ed24d3d85092aa055dbbabcb9ef42a76c3e61f7f",
        ["Auth__ApiKeys__0__Role"] = "admin",
    };

    /// <summary>A client of a platform's REST API at <paramref name="baseAddress"/> that sends <see cref="ApiKey"/> with every request.</summary>
    public static HttpClient ApiClient(Uri baseAddress, TimeSpan timeout) => ApiClient(baseAddress, timeout, ApiKey);

    /// <summary>A client of the API at <paramref name="baseAddress"/> sending <paramref name="key"/> (none when null).</summary>
    public static HttpClient ApiClient(Uri baseAddress, TimeSpan timeout, string? key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>The configuration form of an API key's hash: sha256: and the hex SHA-256 of its UTF-8 bytes.</summary>
    public static string KeyHash(string key) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>Resident and peak resident memory of the process, in bytes, from /proc.</summary>
    public (long Rss, long PeakRss) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKilobytes(line);
            }
        }

        return (rss, peak);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _droppedLines == 0 ? _output.ToString() : $"[{_droppedLines:N0} earlier lines dropped]{Environment.NewLine}{_output}";
            }
        }
    }

    public static PlatformProcess Start(string siloAssembly, string name, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(siloAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        if (!environment.Keys.Any(k => k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (key, value) in ApiKeyEnvironment)
            {
                start.Environment[key] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new PlatformProcess(process, name);
        // Every line also goes to <working directory>/<name>.log as it comes, for a run that ends without disposal.
        result._log = new StreamWriter(new FileStream(Path.Combine(workingDirectory, name + ".log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A harness stopped by a signal (a timeout, Ctrl+C) runs no disposal: its children die with it instead of
        // running on and skewing the next measurement.
        result._onExit = (_, _) => result.KillOnExit();
        AppDomain.CurrentDomain.ProcessExit += result._onExit;
        return result;
    }

    /// <summary>Waits until the process answers GET /health/live through <paramref name="client"/>; throws with its output if it exits or times out.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Name} did not become healthy.\n{Describe()}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }
    }

    private void KillOnExit()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or never started.
        }
    }

    /// <summary>Kills the process with SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_onExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _onExit;
        }

        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    public string Describe() => $"{Name} (pid {_process.Id}{(_process.HasExited ? $", exited {_process.ExitCode}" : string.Empty)}) output:\n{Tail(Output, 6000)}";

    private static long ParseKilobytes(string line) =>
        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length + line.Length > MaxOutputChars)
            {
                var text = _output.ToString();
                var cut = text.IndexOf('\n', text.Length / 2) + 1;
                _droppedLines += text.AsSpan(0, cut).Count('\n');
                _output.Clear().Append(text, cut, text.Length - cut);
            }

            _output.AppendLine(line);
            _log?.WriteLine(line);
        }
    }
}
