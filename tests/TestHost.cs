using System.Net;
using System.Net.Sockets;

namespace DeviceTwins.Testing;

/// <summary>Where the tests run: the repository root above the build output, and free local ports.</summary>
internal static class TestHost
{
    /// <summary>The folder holding DeviceTwins.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A TCP port on the loopback interface that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
