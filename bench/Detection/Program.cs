using DeviceTwins.DetectionBench;

// The false-alarm and injected-anomaly benchmark of the default rules; see DetectionSettings.Usage.
return DetectionReport.Run(args, Console.Out, Console.Error);
