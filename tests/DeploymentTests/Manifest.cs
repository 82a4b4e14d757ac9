namespace DeviceTwins.DeploymentTests;

/// <summary>Navigation helpers over untyped (custom resource) objects.</summary>
internal static class Manifest
{
    /// <summary>The value at a dotted path of mappings, or null.</summary>
    public static object? At(IReadOnlyDictionary<string, object?> root, params string[] path)
    {
        object? node = root;
        foreach (var key in path)
        {
            if (node is not IReadOnlyDictionary<string, object?> map || !map.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Label(IReadOnlyDictionary<string, object?> resource, string label) => At(resource, "metadata", "labels", label) as string;

    public static int? Int(IReadOnlyDictionary<string, object?> root, params string[] path) =>
        At(root, path) is string text && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
