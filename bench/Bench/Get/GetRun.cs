namespace DeviceTwins.Bench.Get;

/// <summary>One measured wrk run of the GET benchmark and what the machine did meanwhile.</summary>
/// <param name="Target">What was loaded: the baseline or the platform.</param>
/// <param name="Wrk">wrk's figures.</param>
/// <param name="Seconds">Wall time of the run, wrk's start to its exit.</param>
/// <param name="Applied">Records the silo applied to twins during the run (its devicetwins_twins_records_applied_total).</param>
/// <param name="Produced">Records the benchmark produced during the run.</param>
/// <param name="Lag">The silo's consumer lag summed over partitions at the end of the run.</param>
/// <param name="Cpu">CPU seconds during the run: the server under load, the silo, the Kafka cluster, redis, the benchmark process, the machine.</param>
internal sealed record GetRun(string Target, WrkResult Wrk, double Seconds, double Applied, long Produced, double Lag, GetRunCpu Cpu)
{
    public double AppliedPerSecond => Applied / Seconds;

    public double ProducedPerSecond => Produced / Seconds;

    public bool Failed => Wrk.NonSuccess > 0 || Wrk.SocketErrors > 0;
}
