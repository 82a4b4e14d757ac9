using System.Globalization;
using System.Text.RegularExpressions;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Primitives;

namespace DeviceTwins.Api.Contracts;

/// <summary>
/// Parses the query string of GET /api/devices into a <see cref="DeviceQueryRequest"/>: <c>tag=key:value</c> and
/// <c>metric=name&gt;80</c> (repeatable, AND), <c>status</c>, <c>lastSeenAfter</c>, <c>lastSeenBefore</c>, <c>limit</c>,
/// <c>cursor</c>. Any other parameter, a repeated single-valued one or a malformed value is an error naming it.
/// </summary>
public static partial class DeviceQueryParser
{
    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Page size when none is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Most tag and metric filters together.</summary>
    public const int MaxFilters = 32;

    private const int MaxMetricNameLength = 128;

    // Longest operators first, so ">=" is never read as ">" followed by "=80".
    private static readonly (string Text, MetricOperator Operator)[] Operators =
    [
        (">=", MetricOperator.GreaterThanOrEqual), ("<=", MetricOperator.LessThanOrEqual), ("!=", MetricOperator.NotEqual),
        (">", MetricOperator.GreaterThan), ("<", MetricOperator.LessThan), ("=", MetricOperator.Equal),
    ];

    /// <summary>The request, or null and the first error found.</summary>
    public static (DeviceQueryRequest? Request, QueryParameterError? Error) Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var tags = new List<TagFilter>();
        var metrics = new List<MetricFilter>();
        DeviceStatus? status = null;
        DateTimeOffset? after = null;
        DateTimeOffset? before = null;
        var limit = DefaultLimit;
        string? afterId = null;
        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name is not ("tag" or "metric") && values.Count > 1)
            {
                return Fail(name, $"{name} may be given once.");
            }

            var single = values.Count == 0 ? string.Empty : values[0] ?? string.Empty;
            QueryParameterError? error = name switch
            {
                "tag" => ParseAll(values, name, tags, TryParseTag, "tag must be key:value, the key 1-64 letters, digits, '.', '_', '-' or '/', the value at most 256 characters, e.g. tag=site:plant-a."),
                "metric" => ParseAll(values, name, metrics, TryParseMetric, "metric must be a metric name, an operator (> >= < <= = !=) and a finite number, e.g. metric=temperature>80."),
                "status" => TryParseStatus(single, out status) ? null : new(name, "status must be online, offline or alerting."),
                "lastSeenAfter" => TryParseInstant(single, out after) ? null : new(name, "lastSeenAfter must be an ISO-8601 instant with an offset, e.g. 2026-11-27T10:00:00Z."),
                "lastSeenBefore" => TryParseInstant(single, out before) ? null : new(name, "lastSeenBefore must be an ISO-8601 instant with an offset, e.g. 2026-11-27T10:00:00Z."),
                "limit" => int.TryParse(single, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit ? null : new(name, $"limit must be an integer between 1 and {MaxLimit}."),
                "cursor" => DeviceCursors.TryDecode(single, out afterId) ? null : new(name, "cursor must be the 'next' value of a previous page."),
                _ => new(name, $"Unknown parameter '{name}'; the filters are tag, status, lastSeenAfter, lastSeenBefore and metric, with limit and cursor."),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }

        if (tags.Count + metrics.Count > MaxFilters)
        {
            return Fail(metrics.Count > 0 ? "metric" : "tag", $"At most {MaxFilters} tag and metric filters together.");
        }

        if (after is not null && before is not null && after >= before)
        {
            return Fail("lastSeenAfter", "lastSeenAfter must be before lastSeenBefore.");
        }

        return (new DeviceQueryRequest(new DeviceQuery(tags, status, after, before, metrics), limit, afterId), null);
    }

    /// <summary>Parses <c>key:value</c>; the key follows the tag key rule of PUT /api/devices/{id}/tags.</summary>
    public static bool TryParseTag(string text, out TagFilter? filter)
    {
        ArgumentNullException.ThrowIfNull(text);
        filter = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !TagKey().IsMatch(text.AsSpan(0, colon)) || text.Length - colon - 1 > 256)
        {
            return false;
        }

        filter = new TagFilter(text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>Parses <c>name</c>, an operator and a finite number, e.g. <c>temperature&gt;=80.5</c>.</summary>
    public static bool TryParseMetric(string text, out MetricFilter? filter)
    {
        ArgumentNullException.ThrowIfNull(text);
        filter = null;
        var at = text.AsSpan().IndexOfAny("<>=!");
        if (at <= 0 || at > MaxMetricNameLength)
        {
            return false;
        }

        foreach (var (symbol, op) in Operators)
        {
            if (string.CompareOrdinal(text, at, symbol, 0, symbol.Length) == 0)
            {
                var number = text.AsSpan(at + symbol.Length);
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    return false;
                }

                filter = new MetricFilter(text[..at], op, value);
                return true;
            }
        }

        return false;
    }

    private static QueryParameterError? ParseAll<T>(StringValues values, string name, List<T> into, TryParse<T> parse, string rule)
    {
        foreach (var value in values)
        {
            if (value is null || !parse(value, out var parsed))
            {
                return new QueryParameterError(name, rule);
            }

            into.Add(parsed!);
        }

        return null;
    }

    private static bool TryParseStatus(string text, out DeviceStatus? status)
    {
        status = text switch
        {
            "online" => DeviceStatus.Online,
            "offline" => DeviceStatus.Offline,
            "alerting" => DeviceStatus.Alerting,
            _ => null,
        };
        return status is not null;
    }

    private static bool TryParseInstant(string text, out DateTimeOffset? instant)
    {
        // An explicit offset (Z or +hh:mm) is required: a local time would depend on the server's zone.
        instant = null;
        if (text.Length < 20 || !(text.EndsWith('Z') || text[^6] is '+' or '-')
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        instant = parsed;
        return true;
    }

    private static (DeviceQueryRequest?, QueryParameterError?) Fail(string parameter, string detail) => (null, new QueryParameterError(parameter, detail));

    private delegate bool TryParse<T>(string text, out T? value);

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,64}$")]
    private static partial Regex TagKey();
}
