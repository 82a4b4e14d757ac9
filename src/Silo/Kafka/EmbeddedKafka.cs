using DeviceTwins.Silo.Configuration;
using DeviceTwins.Streaming.Kafka.Embedded;

namespace DeviceTwins.Silo.Kafka;

/// <summary>Starts the embedded Kafka-protocol cluster with the platform's topics and publishes its address.</summary>
public static class EmbeddedKafka
{
    /// <summary>Folder, under the working directory, holding files for other processes.</summary>
    public const string StateDirectory = ".devicetwins";

    /// <summary>File holding the embedded cluster's bootstrap servers.</summary>
    public const string BootstrapFileName = "bootstrap.servers";

    /// <summary>Starts the cluster, creates every platform topic and writes the bootstrap file.</summary>
    public static EmbeddedKafkaCluster Start(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = EmbeddedKafkaCluster.Start(options.EmbeddedBrokers);
        try
        {
            foreach (var topic in PlatformTopics.For(options))
            {
                cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor);
            }

            WriteBootstrapFile(cluster.BootstrapServers);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The bootstrap file's path under the working directory.</summary>
    public static string BootstrapFilePath => Path.Combine(Directory.GetCurrentDirectory(), StateDirectory, BootstrapFileName);

    private static void WriteBootstrapFile(string bootstrapServers)
    {
        var path = BootstrapFilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, bootstrapServers + Environment.NewLine);
        File.Move(temporary, path, overwrite: true);
    }
}
