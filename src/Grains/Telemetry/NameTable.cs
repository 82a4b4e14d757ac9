using System.Collections.Concurrent;

namespace DeviceTwins.Grains.Telemetry;

/// <summary>
/// One string per metric and property name in the silo, shared by every twin that keeps it (latest values, detector and
/// window keys), instead of a copy per record. Bounded: past <see cref="Capacity"/> names, new ones are not shared.
/// </summary>
public static class NameTable
{
    /// <summary>Distinct names shared at most.</summary>
    public const int Capacity = 16_384;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    /// <summary>The shared instance equal to <paramref name="name"/> (or <paramref name="name"/> itself once the table is full).</summary>
    public static string Shared(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        return Names.Count < Capacity ? Names.GetOrAdd(name, name) : name;
    }
}
