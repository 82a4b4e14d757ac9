namespace DeviceTwins.Silo.Hosting;

/// <summary>What the start-up banner reports that only the composition knows.</summary>
public sealed record BannerFacts(string ApiUrl, string BootstrapServers, bool EmbeddedKafka, string MqttHost, string TwinStore, string Simulator);
