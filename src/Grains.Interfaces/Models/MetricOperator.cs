namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The comparison of a metric filter: the device's latest value on the left, the filter's value on the right.</summary>
public enum MetricOperator
{
    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,
}
