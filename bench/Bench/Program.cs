using DeviceTwins.Bench;
using DeviceTwins.Bench.Get;

// "cache [streams,...] [records] [seconds]" measures the queue caches alone; "twin-memory [devices] [tenants]" one twin's state by part (with a tenant tag each); "write-cost [devices] [writes]" what a twin write encodes besides its state; "fleet [devices] [runs]" the fleet query
// index; "get [--devices N] [--rate N] ..." GET /api/devices/{id} while telemetry flows, beside a plain ASP.NET
// endpoint ("baseline-server" is that endpoint's process); "streams [--clients N]" N clients of each event stream kind
// beside twin GETs; "mqtt [--devices N] [--rate N]" MQTT devices beside a Kafka producer, and commands round-tripped;
// "marginal --small N ..." the end-to-end benchmark at two fleet sizes and the memory of one more twin;
// anything else runs the end-to-end benchmark.
return args.FirstOrDefault() switch
{
    "cache" => CacheBenchmark.Run(args[1..]),
    "twin-memory" => await TwinMemoryBenchmark.RunAsync(args[1..]),
    "write-cost" => WriteCostBenchmark.Run(args[1..]),
    "fleet" => await FleetQueryBenchmark.RunAsync(args[1..]),
    "get" => await GetBenchmark.RunAsync(args[1..]),
    "streams" => await StreamsBenchmark.RunAsync(args[1..]),
    "mqtt" => await MqttBenchmark.RunAsync(args[1..]),
    "baseline-server" => await BaselineServer.RunAsync(args[1..]),
    "marginal" => await MarginalMemoryBenchmark.RunAsync(args[1..]),
    _ => await EndToEndBenchmark.RunAsync(args),
};
