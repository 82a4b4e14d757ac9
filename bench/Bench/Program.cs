using DeviceTwins.Bench;

// "cache [streams,...] [records] [seconds]" measures the queue caches alone; "fleet [devices] [runs]" the fleet query
// index; anything else runs the end-to-end benchmark.
return args.Length > 0 && args[0] == "cache"
    ? CacheBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "fleet"
        ? await FleetQueryBenchmark.RunAsync(args[1..])
        : await EndToEndBenchmark.RunAsync(args);
