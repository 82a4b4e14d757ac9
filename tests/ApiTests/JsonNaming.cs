using System.Text.Json;

namespace DeviceTwins.ApiTests;

/// <summary>Asserts the API's JSON naming: every member it names is camelCase (user data such as documents and tags is left alone).</summary>
internal static class JsonNaming
{
    /// <summary>Members whose values are user data (device documents, tags, metric names, JSON Pointers, rule parameters).</summary>
    private static readonly HashSet<string> Opaque = ["reported", "desired", "delta", "props", "tags", "metrics", "reportedMetadata", "parameters", "metadata"];

    public static void AssertCamelCase(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    Assert.True(member.Name.Length > 0 && char.IsAsciiLetterLower(member.Name[0]) && !member.Name.Contains('_', StringComparison.Ordinal), $"{path}.{member.Name} is not camelCase");
                    if (!Opaque.Contains(member.Name))
                    {
                        AssertCamelCase(member.Value, path + "." + member.Name);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertCamelCase(item, path + "[]");
                }

                break;
        }
    }
}
