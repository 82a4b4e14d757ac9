using System.Text.RegularExpressions;

namespace DeviceTwins.Analytics.Rules;

/// <summary>A name pattern where <c>*</c> matches any run of characters; matched ordinally.</summary>
public sealed class Glob
{
    private readonly Regex? _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    public Glob(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
        if (pattern != "*" && pattern.Contains('*', StringComparison.Ordinal))
        {
            // "*" matches any run of characters, line breaks included (Singleline), and \z anchors at the very end ("$" would also match before a final line break).
            _regex = new Regex(@"\A" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + @"\z", RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.Compiled | RegexOptions.NonBacktracking);
        }
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether the pattern is the bare wildcard.</summary>
    public bool MatchesAll => Pattern == "*";

    /// <summary>Whether <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name) =>
        MatchesAll || (_regex is null ? string.Equals(Pattern, name, StringComparison.Ordinal) : _regex.IsMatch(name));
}
