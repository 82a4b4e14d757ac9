namespace DeviceTwins.Grains.Interfaces;

/// <summary>The rule for device ids, shared by the telemetry contract and the REST API.</summary>
public static class DeviceIds
{
    /// <summary>Longest device id, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>Human-readable statement of the rule, for error messages.</summary>
    public const string Rule = "1-128 characters from A-Z, a-z, 0-9 and '-', '_', '.', ':', '@'";

    /// <summary>True when <paramref name="id"/> follows the rule.</summary>
    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the UTF-8 bytes <paramref name="id"/> follow the rule.</summary>
    public static bool IsValid(ReadOnlySpan<byte> id)
    {
        if (id.IsEmpty || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var b in id)
        {
            if (b >= 0x80 || !IsAllowed((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@';
}
