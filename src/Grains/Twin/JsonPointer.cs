namespace DeviceTwins.Grains.Twin;

/// <summary>JSON Pointers (RFC 6901) naming the properties of twin documents, e.g. <c>/config/interval</c>.</summary>
public static class JsonPointer
{
    /// <summary>The pointer to member <paramref name="name"/> of the value at <paramref name="parent"/> ("" is the document).</summary>
    public static string Append(string parent, string name) =>
        string.Concat(parent, "/", name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));

    /// <summary>Whether one of the two pointers is the other or one of its ancestors.</summary>
    public static bool Overlap(string a, string b) => IsSelfOrAncestor(a, b) || IsSelfOrAncestor(b, a);

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="path"/> or names a value that contains it.</summary>
    public static bool IsSelfOrAncestor(string ancestor, string path) =>
        path.StartsWith(ancestor, StringComparison.Ordinal) && (path.Length == ancestor.Length || path[ancestor.Length] == '/');
}
