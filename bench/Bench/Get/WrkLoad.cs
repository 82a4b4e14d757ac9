using System.Diagnostics;
using System.Globalization;

namespace DeviceTwins.Bench.Get;

/// <summary>
/// Drives GET /api/devices/{id} with wrk (the Debian package): a Lua script rotates over the benchmark's device ids,
/// each wrk thread from its own offset, with the requests formatted once up front.
/// </summary>
internal sealed class WrkLoad
{
    private readonly string _executable;
    private readonly string _script;
    private readonly int _threads;
    private readonly int _connections;

    private WrkLoad(string executable, string script, int threads, int connections)
    {
        _executable = executable;
        _script = script;
        _threads = threads;
        _connections = connections;
    }

    /// <summary>Finds wrk and writes the script for <paramref name="devices"/> devices into <paramref name="directory"/>.</summary>
    public static WrkLoad Create(string directory, int devices, int threads, int connections)
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "wrk"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("wrk was not found on PATH. Install it (Debian: apt-get install -y wrk) and run again.");
        var script = Path.Combine(directory, "devices.lua");
        File.WriteAllText(script, string.Create(CultureInfo.InvariantCulture, $$"""
            -- Rotates over bench-0000000 .. bench-{{devices - 1:D7}}; each thread starts at its own offset.
            local devices = {{devices}}
            local started = 0
            function setup(thread)
              thread:set("offset", (started * 7919) % devices)
              started = started + 1
            end
            local requests = {}
            local position = 0
            function init(args)
              for i = 0, devices - 1 do
                requests[i] = wrk.format(nil, string.format("/api/devices/bench-%07d", i))
              end
              position = offset or 0
            end
            function request()
              local r = requests[position]
              position = (position + 1) % devices
              return r
            end
            """));
        return new WrkLoad(executable, script, threads, connections);
    }

    /// <summary>Runs wrk against <paramref name="baseAddress"/> for <paramref name="duration"/>, with the API key header when given; keeps its report as wrk-<paramref name="name"/>.txt beside the script.</summary>
    public async Task<WrkResult> RunAsync(string name, Uri baseAddress, string? apiKey, TimeSpan duration)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--threads", _threads.ToString(CultureInfo.InvariantCulture),
            "--connections", _connections.ToString(CultureInfo.InvariantCulture),
            "--duration", string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalSeconds}s"),
            // A slow answer is measured, not dropped as a socket timeout (wrk's default is 2 s).
            "--timeout", "10s",
            "--latency",
            "--script", _script,
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (apiKey is not null)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add("X-Api-Key: " + apiKey);
        }

        start.ArgumentList.Add(new Uri(baseAddress, "/api/devices/bench-0000000").ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}:\n{await output}\n{await error}");
        }

        var report = await output;
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(_script)!, $"wrk-{name}.txt"), report);
        return WrkResult.Parse(report);
    }
}
