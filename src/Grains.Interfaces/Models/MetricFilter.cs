namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A device matches when it has <see cref="Metric"/> and its latest value compares to <see cref="Value"/> as <see cref="Operator"/> says.</summary>
[GenerateSerializer, Immutable, Alias("dt.metric-filter")]
public sealed record MetricFilter([property: Id(0)] string Metric, [property: Id(1)] MetricOperator Operator, [property: Id(2)] double Value)
{
    /// <summary>Whether <paramref name="latest"/> satisfies the comparison.</summary>
    public bool Accepts(double latest) => Operator switch
    {
        MetricOperator.GreaterThan => latest > Value,
        MetricOperator.GreaterThanOrEqual => latest >= Value,
        MetricOperator.LessThan => latest < Value,
        MetricOperator.LessThanOrEqual => latest <= Value,
        MetricOperator.Equal => latest == Value,
        _ => latest != Value,
    };
}
