using System.Net;
using System.Net.Sockets;

namespace DeviceTwins.Testing;

/// <summary>Where the tests run: the repository root above the build output, and free local ports.</summary>
internal static class TestHost
{
    /// <summary>The folder holding DeviceTwins.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    // One registry per process: this file is compiled into more than one assembly of a test run (the end-to-end tests
    // and the fault campaign they reference), and a registry of each would hand the same port to two platforms.
    private static readonly HashSet<int> HandedOut = SharedRegistry();

    /// <summary>
    /// A TCP port nothing listens on, below the kernel's ephemeral range: a port from that range can be taken by any
    /// outgoing connection (a Kafka or Redis client) between this check and the process that binds it.
    /// </summary>
    public static int FreePort() => FreePort(companionOffset: 0);

    /// <summary>
    /// As <see cref="FreePort()"/>, and the port <paramref name="companionOffset"/> above it free and below the ephemeral
    /// range too (a Redis Cluster node listens on its port and on port + 10000 for its cluster bus).
    /// </summary>
    public static int FreePort(int companionOffset)
    {
        var high = Math.Min(EphemeralLow(), 32768) - companionOffset;
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(10000 - Math.Min(companionOffset, 5000), high);
                if (!HandedOut.Contains(port) && CanBind(port) && (companionOffset == 0 || (!HandedOut.Contains(port + companionOffset) && CanBind(port + companionOffset))))
                {
                    HandedOut.Add(port);
                    if (companionOffset != 0)
                    {
                        HandedOut.Add(port + companionOffset);
                    }

                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free TCP port below the ephemeral range");
    }

    private static HashSet<int> SharedRegistry()
    {
        const string key = "DeviceTwins.Testing.TestHost.HandedOut";
        var domain = AppDomain.CurrentDomain;
        // The one object every copy of this class sees; the lock only guards the registry's creation.
#pragma warning disable CA2002
        lock (domain)
#pragma warning restore CA2002
        {
            if (domain.GetData(key) is not HashSet<int> shared)
            {
                shared = [];
                domain.SetData(key, shared);
            }

            return shared;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralLow()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split('\t', ' ')[0], out var low) && low > 11000
            ? low
            : 32768;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DeviceTwins.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DeviceTwins.sln not found above " + AppContext.BaseDirectory);
    }
}
