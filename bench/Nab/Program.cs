using DeviceTwins.Nab;

// Replays NAB's corpus through a detector and prints its NAB v1.1 score per profile; see NabSettings.Usage.
return NabReplay.Run(args, Console.Out, Console.Error);
