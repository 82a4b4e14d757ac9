using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Workload;

/// <summary>A poison record the campaign produced, and the partition and offset the cluster gave it.</summary>
internal sealed record ProducedPoison(PoisonRecord Record, int Partition, long Offset);
