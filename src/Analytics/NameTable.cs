using System.Collections.Concurrent;
using System.Text;

namespace DeviceTwins.Analytics;

/// <summary>
/// One string per metric, property, rule and partition name in the process, shared by every twin that keeps it (latest
/// values, applied offsets, detector and window keys), whether the name came from a record or from stored state,
/// instead of a copy per record and per loaded twin. Bounded: past <see cref="Capacity"/> names, new ones are not shared.
/// </summary>
public static class NameTable
{
    /// <summary>Distinct names shared at most.</summary>
    public const int Capacity = 16_384;

    // Longer text is never looked up without a string of its own: no name is this long (the parser allows 128).
    private const int MaxLookupChars = 256;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars = Names.GetAlternateLookup<ReadOnlySpan<char>>();

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

    /// <summary>The shared instance equal to <paramref name="text"/> if the table has one, else <paramref name="text"/> (never added).</summary>
    public static string Known(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Names.TryGetValue(text, out var shared) ? shared : text;
    }

    /// <summary>As <see cref="Shared(string)"/>, making a string only for a name not in the table yet.</summary>
    public static string Shared(ReadOnlySpan<char> name) =>
        ByChars.TryGetValue(name, out var shared) ? shared : Shared(name.ToString());

    /// <summary>
    /// The text of <paramref name="utf8"/>: the shared instance when it is a name in the table (no new string), else a new
    /// string, added to the table when <paramref name="add"/> (it is a name) and the table is not full.
    /// </summary>
    public static string FromUtf8(ReadOnlySpan<byte> utf8, bool add)
    {
        if (utf8.Length <= MaxLookupChars)
        {
            // UTF-8 never has fewer bytes than UTF-16 code units, so the text fits.
            Span<char> chars = stackalloc char[MaxLookupChars];
            var length = Encoding.UTF8.GetChars(utf8, chars);
            if (ByChars.TryGetValue(chars[..length], out var shared))
            {
                return shared;
            }

            return add ? Shared(chars[..length].ToString()) : chars[..length].ToString();
        }

        var text = Encoding.UTF8.GetString(utf8);
        return add ? Shared(text) : text;
    }
}
