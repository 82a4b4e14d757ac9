using System.Globalization;

namespace DeviceTwins.Nab.Data;

/// <summary>Reads one NAB series file: a header naming <c>timestamp</c> and <c>value</c> columns (others are ignored), then one row per record.</summary>
public static class SeriesCsv
{
    /// <summary>The rows of <paramref name="path"/>, in file order.</summary>
    public static (DateTime[] Timestamps, double[] Values) Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new NabDataException(path, "the file is empty; expected a header with timestamp and value columns.");
        var columns = header.Split(',');
        var timestampColumn = Array.IndexOf(columns, "timestamp");
        var valueColumn = Array.IndexOf(columns, "value");
        if (timestampColumn < 0 || valueColumn < 0)
        {
            throw new NabDataException(path, $"the header '{header}' has no timestamp and value columns.");
        }

        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != columns.Length
                || !NabTimestamp.TryParse(fields[timestampColumn], out var timestamp)
                || !double.TryParse(fields[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new NabDataException(path, $"line {lineNumber} '{line}' is not '{NabTimestamp.Format}' and a number in the {header} columns.");
            }

            timestamps.Add(timestamp);
            values.Add(value);
        }

        return (timestamps.ToArray(), values.ToArray());
    }
}
