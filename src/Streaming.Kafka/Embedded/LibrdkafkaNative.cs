using System.Reflection;
using System.Runtime.InteropServices;

namespace DeviceTwins.Streaming.Kafka.Embedded;

/// <summary>P/Invoke declarations for librdkafka's built-in Kafka-protocol cluster (rdkafka_mock.h).</summary>
internal static partial class LibrdkafkaNative
{
    private const string Library = "librdkafka";

    static LibrdkafkaNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaNative).Assembly, Resolve);
    }

    /// <summary>Forces the static constructor (and with it the resolver) to run before the first native call.</summary>
    internal static void EnsureResolver()
    {
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, IntPtr errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, IntPtr errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_set_leader(IntPtr cluster, string topic, int partition, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2name(int err);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2str(int err);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var fallback) ? fallback : IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeIdentifier(), "native");
        if (OperatingSystem.IsLinux())
        {
            // The default Linux build needs libsasl2.so.3, absent on Debian; the centos8 build has no external dependencies.
            yield return Path.Combine(native, "centos8-librdkafka.so");
            yield return Path.Combine(native, "librdkafka.so");
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return Path.Combine(native, "librdkafka.dylib");
        }
        else if (OperatingSystem.IsWindows())
        {
            yield return Path.Combine(native, "librdkafka.dll");
        }
    }

    private static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : "win";
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        return $"{os}-{arch}";
    }
}
