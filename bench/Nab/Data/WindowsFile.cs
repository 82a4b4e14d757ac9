using System.Text.Json;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab.Data;

/// <summary>Reads a NAB windows file (combined_windows.json): for each <c>category/series.csv</c>, a list of <c>[start, end]</c> timestamps.</summary>
public static class WindowsFile
{
    /// <summary>The windows of every series named in <paramref name="path"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<AnomalyWindow>> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var windows = new Dictionary<string, IReadOnlyList<AnomalyWindow>>(StringComparer.Ordinal);
            foreach (var series in document.RootElement.EnumerateObject())
            {
                windows[series.Name] = series.Value.EnumerateArray().Select(w => Window(path, series.Name, w)).ToList();
            }

            return windows;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new NabDataException(path, "expected an object mapping 'category/series.csv' to a list of [start, end] timestamp pairs.", e);
        }
    }

    private static AnomalyWindow Window(string path, string series, JsonElement pair)
    {
        if (pair.GetArrayLength() != 2
            || !NabTimestamp.TryParse(pair[0].GetString() ?? string.Empty, out var start)
            || !NabTimestamp.TryParse(pair[1].GetString() ?? string.Empty, out var end))
        {
            throw new NabDataException(path, $"window {pair.GetRawText()} of {series} is not a [start, end] pair of timestamps.");
        }

        return new AnomalyWindow(start, end);
    }
}
