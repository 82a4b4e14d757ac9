using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using DeviceTwins.Analytics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Telemetry;

/// <summary>
/// Parses and validates one telemetry record (the contract in schemas/telemetry.schema.json) in a single
/// forward pass over the UTF-8 bytes. On failure it returns a reason fit for a dead-letter header; it never throws
/// for any input.
/// </summary>
public static class TelemetryParser
{
    /// <summary>Deepest JSON nesting accepted (the record, its members and nested property values).</summary>
    public const int MaxDepth = 16;

    /// <summary>Earliest accepted event time: the Unix epoch, for ISO-8601 and epoch milliseconds alike.</summary>
    public static readonly DateTimeOffset MinTimestamp = DateTimeOffset.UnixEpoch;

    private const int MaxQuotedLength = 128;

    // Names up to this many bytes are read into a buffer on the stack, not into a string per record.
    private const int NameChars = 256;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses <paramref name="value"/>, keyed by <paramref name="key"/>, read from topic/partition/offset.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> value,
        string topic,
        int partition,
        long offset,
        TelemetryLimits limits,
        DateTimeOffset now,
        out TelemetryEvent? telemetry,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        telemetry = null;
        if (key.IsEmpty)
        {
            error = "missing key: the record key is empty; it must be the device id";
            return false;
        }

        if (!DeviceIds.IsValid(key))
        {
            error = $"invalid key: a device id is {DeviceIds.Rule}";
            return false;
        }

        if (value.IsEmpty)
        {
            error = "empty value";
            return false;
        }

        if (value.Length > limits.MaxValueBytes)
        {
            error = $"value of {value.Length} bytes exceeds the limit of {limits.MaxValueBytes} bytes";
            return false;
        }

        // Checked up front so that any non-UTF-8 value gets this one reason, whatever byte the reader would stop at.
        if (!Utf8.IsValid(value))
        {
            error = "invalid UTF-8: the value must be UTF-8 JSON";
            return false;
        }

        try
        {
            return TryParseJson(key, value, topic, partition, offset, limits, now, out telemetry, out error);
        }
        catch (JsonException exception)
        {
            error = $"invalid JSON: {exception.Message}";
            return false;
        }
        catch (InvalidOperationException exception)
        {
            // Strings the reader accepts but cannot turn into .NET text, e.g. an escaped lone surrogate ("\uD800").
            error = $"invalid JSON: {exception.Message}";
            return false;
        }
    }

    private static bool TryParseJson(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> value,
        string topic,
        int partition,
        long offset,
        TelemetryLimits limits,
        DateTimeOffset now,
        out TelemetryEvent? telemetry,
        out string? error)
    {
        telemetry = null;
        var reader = new Utf8JsonReader(value, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "the value must be a JSON object";
            return false;
        }

        string? deviceId = null;
        DateTimeOffset? timestamp = null;
        List<MetricSample>? metrics = null;
        List<PropertySample>? properties = null;
        var sawMetrics = false;
        var sawProps = false;
        var sawTimestamp = false;
        string? reported = null;
        CommandResultReport? commandResult = null;
        DeviceConnection? connection = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A repeated member is ambiguous (readers differ on first or last wins): reject it rather than pick one.
            if (reader.ValueTextEquals("deviceId"u8))
            {
                if (deviceId is not null)
                {
                    error = "duplicate member 'deviceId'";
                    return false;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = "'deviceId' must be a string";
                    return false;
                }

                if (!reader.ValueTextEquals(key))
                {
                    error = $"key '{Encoding.UTF8.GetString(key)}' and body deviceId '{Quote(reader.GetString()!)}' disagree";
                    return false;
                }

                deviceId = Encoding.UTF8.GetString(key);
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                if (sawTimestamp)
                {
                    error = "duplicate member 'ts'";
                    return false;
                }

                sawTimestamp = true;
                reader.Read();
                if (!TryReadTimestamp(ref reader, out var ts, out error))
                {
                    return false;
                }

                timestamp = ts;
            }
            else if (reader.ValueTextEquals("metrics"u8))
            {
                if (sawMetrics)
                {
                    error = "duplicate member 'metrics'";
                    return false;
                }

                reader.Read();
                sawMetrics = true;
                if (!TryReadMetrics(ref reader, limits, ref metrics, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("props"u8))
            {
                if (sawProps)
                {
                    error = "duplicate member 'props'";
                    return false;
                }

                reader.Read();
                sawProps = true;
                if (!TryReadProperties(ref reader, limits, ref properties, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("reported"u8))
            {
                if (reported is not null)
                {
                    error = "duplicate member 'reported'";
                    return false;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error = "'reported' must be an object (a JSON merge patch of the reported properties)";
                    return false;
                }

                using var document = JsonDocument.ParseValue(ref reader);
                reported = document.RootElement.GetRawText();
            }
            else if (reader.ValueTextEquals("commandResult"u8))
            {
                if (commandResult is not null)
                {
                    error = "duplicate member 'commandResult'";
                    return false;
                }

                reader.Read();
                if (!TryReadCommandResult(ref reader, limits, out commandResult, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("connection"u8))
            {
                if (connection is not null)
                {
                    error = "duplicate member 'connection'";
                    return false;
                }

                reader.Read();
                connection = reader.TokenType != JsonTokenType.String ? null
                    : reader.ValueTextEquals("connected"u8) ? DeviceConnection.Connected
                    : reader.ValueTextEquals("disconnected"u8) ? DeviceConnection.Disconnected
                    : null;
                if (connection is null)
                {
                    error = "'connection' must be \"connected\" or \"disconnected\"";
                    return false;
                }
            }
            else
            {
                // Unknown members are ignored so producers can add fields ahead of consumers.
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            error = "the value must be a single JSON object";
            return false;
        }

        // Anything after the object makes the reader throw ("invalid JSON"), since multiple values are not allowed.
        reader.Read();

        if (deviceId is null)
        {
            error = "'deviceId' is required";
            return false;
        }

        if (timestamp is not { } eventTime)
        {
            error = "'ts' is required";
            return false;
        }

        // Differences, not now + skew or now - age: those overflow DateTimeOffset for large limits.
        if (eventTime - now > limits.MaxFutureSkew)
        {
            error = $"'ts' {eventTime:O} is more than {limits.MaxFutureSkew} ahead of the clock";
            return false;
        }

        if (limits.MaxAge is { } maxAge && now - eventTime > maxAge)
        {
            error = $"'ts' {eventTime:O} is more than {maxAge} old";
            return false;
        }

        if (!sawMetrics && !sawProps && reported is null && commandResult is null && connection is null)
        {
            error = "a record needs 'metrics', 'props', 'reported', 'commandResult' or 'connection'";
            return false;
        }

        telemetry = new TelemetryEvent(
            deviceId,
            eventTime,
            metrics is null ? [] : [.. metrics],
            properties is null ? [] : [.. properties],
            topic,
            partition,
            offset)
        {
            Reported = reported,
            CommandResult = commandResult,
            Connection = connection,
            ReceivedAt = now,
        };
        error = null;
        return true;
    }

    // {"commandId": "...", "status": "accepted" | "succeeded" | "failed", "payload": any JSON (optional)}.
    private static bool TryReadCommandResult(ref Utf8JsonReader reader, TelemetryLimits limits, out CommandResultReport? result, out string? error)
    {
        result = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = "'commandResult' must be an object with 'commandId' and 'status'";
            return false;
        }

        string? commandId = null;
        CommandState? status = null;
        string? payload = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("commandId"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length is 0 or > 64)
                {
                    error = "'commandResult.commandId' must be a string of 1-64 characters";
                    return false;
                }

                commandId = reader.GetString();
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.TokenType != JsonTokenType.String ? null
                    : reader.ValueTextEquals("accepted"u8) ? CommandState.Accepted
                    : reader.ValueTextEquals("succeeded"u8) ? CommandState.Succeeded
                    : reader.ValueTextEquals("failed"u8) ? CommandState.Failed
                    : null;
                if (status is null)
                {
                    error = "'commandResult.status' must be \"accepted\", \"succeeded\" or \"failed\"";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                using var document = JsonDocument.ParseValue(ref reader);
                payload = document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.GetRawText();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (commandId is null || status is not { } state)
        {
            error = "'commandResult' needs 'commandId' and 'status'";
            return false;
        }

        result = new CommandResultReport(commandId, state, payload);
        error = null;
        return true;
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset timestamp, out string? error)
    {
        timestamp = default;
        error = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt64(out var millis) || millis < 0 || millis > 253_402_300_799_999)
            {
                error = "'ts' as a number must be whole epoch milliseconds between 1970 and 9999";
                return false;
            }

            timestamp = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            // An ISO-8601 time without 'Z' or an offset is ambiguous: reject it rather than guess a zone.
            var hasZone = text.Length > 0 && (text[^1] is (byte)'Z' or (byte)'z' || (text.Length > 6 && text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':'));
            if (!hasZone || !reader.TryGetDateTimeOffset(out timestamp))
            {
                error = "'ts' must be ISO-8601 with 'Z' or an offset, or epoch milliseconds";
                return false;
            }

            timestamp = timestamp.ToUniversalTime();
            if (timestamp < MinTimestamp)
            {
                error = $"'ts' {timestamp:O} is before 1970-01-01T00:00:00Z";
                return false;
            }

            return true;
        }

        error = "'ts' must be an ISO-8601 string or epoch milliseconds";
        return false;
    }

    private static bool TryReadMetrics(ref Utf8JsonReader reader, TelemetryLimits limits, ref List<MetricSample>? metrics, out string? error) =>
        TryReadMembers(ref reader, "'metrics' must be an object of numbers", "metric", limits.MaxMetrics, limits.MaxNameLength, ref metrics, ReadMetric, out error);

    private static bool TryReadProperties(ref Utf8JsonReader reader, TelemetryLimits limits, ref List<PropertySample>? properties, out string? error) =>
        TryReadMembers(ref reader, "'props' must be an object", "property", limits.MaxProperties, limits.MaxNameLength, ref properties, ReadProperty, out error);

    private static bool ReadMetric(ref Utf8JsonReader reader, string name, out MetricSample metric, out string? error)
    {
        metric = default;
        if (reader.TokenType != JsonTokenType.Number)
        {
            error = $"metric '{name}' must be a number, not {reader.TokenType}";
            return false;
        }

        if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            error = $"metric '{name}' is not a finite number";
            return false;
        }

        metric = new MetricSample(name, number);
        error = null;
        return true;
    }

    private static bool ReadProperty(ref Utf8JsonReader reader, string name, out PropertySample property, out string? error)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        property = new PropertySample(name, document.RootElement.GetRawText());
        error = null;
        return true;
    }

    /// <summary>Reads an object of named values (metrics or props), enforcing the name length and member count limits.</summary>
    private static bool TryReadMembers<T>(
        ref Utf8JsonReader reader,
        string notAnObject,
        string kind,
        int maxCount,
        int maxNameLength,
        ref List<T>? items,
        MemberReader<T> readValue,
        out string? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = notAnObject;
            return false;
        }

        Span<char> chars = stackalloc char[NameChars];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Unescaping never lengthens the text, so it fits; a name already in the table then costs no string.
            var raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            var text = raw <= NameChars ? chars[..reader.CopyString(chars)] : reader.GetString().AsSpan();
            if (text.Length == 0 || text.Length > maxNameLength)
            {
                error = $"{kind} names must be 1-{maxNameLength} characters";
                return false;
            }

            var name = NameTable.Shared(text);

            reader.Read();
            if (!readValue(ref reader, name, out var item, out error))
            {
                return false;
            }

            items ??= new List<T>(4);
            if (items.Count == maxCount)
            {
                error = $"more than {maxCount} {(kind == "metric" ? "metrics" : "properties")}";
                return false;
            }

            items.Add(item);
        }

        return true;
    }

    /// <summary>Bounds text from the record that is quoted in a reason, so a header stays small.</summary>
    private static string Quote(string text) => text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "...");

    private delegate bool MemberReader<T>(ref Utf8JsonReader reader, string name, out T item, out string? error);
}
