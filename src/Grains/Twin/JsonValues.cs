using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTwins.Grains.Twin;

/// <summary>Parsing, writing and comparing the JSON values of twin documents.</summary>
public static class JsonValues
{
    // Documents are stored and measured as UTF-8 without escaping non-ASCII text, so a limit in bytes means what it says.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses a stored document; an empty or missing one is an empty object.</summary>
    public static JsonObject ParseDocument(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonNode.Parse(json) as JsonObject ?? throw new FormatException("A twin document must be a JSON object.");

    /// <summary>The compact JSON text of a node.</summary>
    public static string Write(JsonNode? node) => node is null ? "null" : node.ToJsonString(WriteOptions);

    /// <summary>
    /// Whether two JSON values are equal: same kind, numbers equal by value (1, 1.0 and 1e0 are equal), strings ordinal,
    /// arrays element by element in order, objects with the same members (in any order) and equal values.
    /// </summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var kind = a.GetValueKind();
        if (kind != b.GetValueKind())
        {
            // true and false are distinct kinds, so this also compares booleans.
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Object:
                var left = a.AsObject();
                var right = b.AsObject();
                return left.Count == right.Count && left.All(m => right.TryGetPropertyValue(m.Key, out var other) && Equal(m.Value, other));
            case JsonValueKind.Array:
                var first = a.AsArray();
                var second = b.AsArray();
                return first.Count == second.Count && first.Select((item, i) => Equal(item, second[i])).All(equal => equal);
            case JsonValueKind.Number:
                return NumbersEqual(Write(a), Write(b));
            case JsonValueKind.String:
                return string.Equals(a.GetValue<string>(), b.GetValue<string>(), StringComparison.Ordinal);
            default:
                return true;
        }
    }

    /// <summary>The nesting depth of a value: 0 for a scalar, 1 for an object or array of scalars, and so on.</summary>
    public static int Depth(JsonNode? node) => node switch
    {
        JsonObject o => 1 + (o.Count == 0 ? 0 : o.Max(m => Depth(m.Value))),
        JsonArray a => 1 + (a.Count == 0 ? 0 : a.Max(Depth)),
        _ => 0,
    };

    // Decimal first (exact for every number a device or operator would write), double beyond its range.
    private static bool NumbersEqual(string a, string b)
    {
        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            return x == y;
        }

        return double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var q)
            && p.Equals(q);
    }
}
