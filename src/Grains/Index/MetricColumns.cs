using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// Latest values of queried metrics laid out in a shard's id order (plain C#): column <c>m</c> holds at position
/// <c>i</c> the value of metric <c>m</c> of the <c>i</c>th device, NaN when it has none, so a metric filter is tested
/// on a dense array before the full matcher runs. A column is built on first use and updated in place on every change;
/// all are dropped when the id order changes (a device added or removed) and built again on next use.
/// </summary>
public sealed class MetricColumns
{
    private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);

    /// <summary>Columns held.</summary>
    public int Count => _columns.Count;

    /// <summary>The column of <paramref name="metric"/> over <paramref name="ordered"/>, built from <paramref name="devices"/> when not held.</summary>
    public double[] Get(string metric, string[] ordered, IReadOnlyDictionary<string, DeviceSummary> devices)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(devices);
        if (!_columns.TryGetValue(metric, out var column))
        {
            column = new double[ordered.Length];
            for (var i = 0; i < ordered.Length; i++)
            {
                column[i] = ValueOf(devices[ordered[i]], metric);
            }

            _columns[metric] = column;
        }

        return column;
    }

    /// <summary>Writes the values of <paramref name="device"/>, at <paramref name="position"/> of the id order, into every column.</summary>
    public void Update(int position, DeviceSummary device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var (metric, column) in _columns)
        {
            column[position] = ValueOf(device, metric);
        }
    }

    /// <summary>Drops every column (the id order changed).</summary>
    public void Clear() => _columns.Clear();

    /// <summary>
    /// Whether the device at <paramref name="position"/> may satisfy every filter of <paramref name="filters"/>, whose
    /// columns are <paramref name="columns"/>: false only when a column holds a value the filter refuses. NaN (no value,
    /// or a NaN value) is left to the full matcher.
    /// </summary>
    public static bool MayMatch(IReadOnlyList<MetricFilter> filters, double[][] columns, int position)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(columns);
        for (var f = 0; f < columns.Length; f++)
        {
            var value = columns[f][position];
            if (!double.IsNaN(value) && !filters[f].Accepts(value))
            {
                return false;
            }
        }

        return true;
    }

    private static double ValueOf(DeviceSummary device, string metric) =>
        device.Metrics.TryGetValue(metric, out var value) ? value : double.NaN;
}
