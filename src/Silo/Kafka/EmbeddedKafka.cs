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

    /// <summary>File holding the URL of the standalone cluster's fault-injection control API (one URL a line).</summary>
    public const string ControlFileName = "kafka-control";

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

    /// <summary>The control file's path under the working directory.</summary>
    public static string ControlFilePath => Path.Combine(Directory.GetCurrentDirectory(), StateDirectory, ControlFileName);

    /// <summary>Writes the control API's bound URLs, once it listens.</summary>
    public static void WriteControlFile(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        WriteAtomically(ControlFilePath, string.Concat(urls.Select(u => u + Environment.NewLine)));
    }

    /// <summary>Removes the control file, so no reader takes a stopped or earlier run's URL for a live one.</summary>
    public static void DeleteControlFile()
    {
        if (File.Exists(ControlFilePath))
        {
            File.Delete(ControlFilePath);
        }
    }

    private static void WriteBootstrapFile(string bootstrapServers) => WriteAtomically(BootstrapFilePath, bootstrapServers + Environment.NewLine);

    // Readers poll for the file, so it appears whole or not at all.
    private static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
