namespace DeviceTwins.Bench.Get;

/// <summary>The processes of a GET benchmark run whose CPU time is measured (redis only when the silo uses it).</summary>
internal sealed record GetProcesses(int Silo, int Baseline, int Kafka, int? Redis, int Bench)
{
    /// <summary>CPU seconds each has used so far, and the machine's.</summary>
    public GetRunCpu Cpu() => new(
        CpuMeter.ProcessSeconds(Silo),
        CpuMeter.ProcessSeconds(Baseline),
        CpuMeter.ProcessSeconds(Kafka),
        Redis is { } redis ? CpuMeter.ProcessSeconds(redis) : 0,
        CpuMeter.ProcessSeconds(Bench),
        CpuMeter.MachineBusySeconds());
}
