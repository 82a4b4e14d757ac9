namespace DeviceTwins.Bench.Get;

/// <summary>CPU seconds used during one run, per process and for the whole machine.</summary>
internal sealed record GetRunCpu(double Silo, double BaselineServer, double Kafka, double Redis, double Bench, double Machine)
{
    /// <summary>What no process above used: wrk, mostly, and the rest of the machine.</summary>
    public double Rest => Machine - Silo - BaselineServer - Kafka - Redis - Bench;

    public static GetRunCpu operator -(GetRunCpu end, GetRunCpu start) => new(
        end.Silo - start.Silo,
        end.BaselineServer - start.BaselineServer,
        end.Kafka - start.Kafka,
        end.Redis - start.Redis,
        end.Bench - start.Bench,
        end.Machine - start.Machine);
}
