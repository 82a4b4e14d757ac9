using System.Text.Json.Nodes;

namespace DeviceTwins.Grains.Twin;

/// <summary>JSON merge patch, exactly as RFC 7396 section 2 defines it.</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/> and returns the result. A patch that is an object merges
    /// member by member (null removes a member, objects merge recursively); any other patch, arrays included, replaces the
    /// target whole. An object target is changed in place; the patch is never changed (its values are copied).
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        if (target is not JsonObject result)
        {
            result = [];
        }

        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            if (result.TryGetPropertyValue(name, out var current) && current is JsonObject nested && value is JsonObject)
            {
                // Merged in place, so the member keeps its position.
                Apply(nested, value);
            }
            else
            {
                result[name] = Apply(null, value);
            }
        }

        return result;
    }
}
