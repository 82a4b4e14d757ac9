using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace DeviceTwins.Api.OperatorConsole;

/// <summary>
/// The operator console's files, embedded in this assembly under <c>console/</c> (the page, its scripts and styles, and
/// the chart library taken from its NuGet package at build time): read once, each with its content type and an ETag, so
/// the console needs nothing from the internet or from disk beside the assembly.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private readonly FrozenDictionary<string, ConsoleAsset> _assets;

    /// <summary>Reads every embedded console file of <paramref name="assembly"/>.</summary>
    public ConsoleAssets(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = name[Prefix.Length..];
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
            {
                type += "; charset=utf-8";
            }

            assets[path] = new ConsoleAsset(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The console's files by path (for example <c>index.html</c>, <c>js/app.js</c>).</summary>
    public IReadOnlyCollection<string> Paths => _assets.Keys;

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public ConsoleAsset? Find(string path) => _assets.GetValueOrDefault(path);
}
