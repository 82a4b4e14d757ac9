namespace DeviceTwins.DetectionBench.Series;

/// <summary>Seeded draws from the distributions the generated series use.</summary>
public sealed class SeriesRandom(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    /// <summary>Uniform on [0, 1).</summary>
    public double Uniform() => _random.NextDouble();

    /// <summary>A standard normal draw (Marsaglia's polar method).</summary>
    public double Normal()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = 2 * _random.NextDouble() - 1;
            v = 2 * _random.NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);

        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * factor;
        return u * factor;
    }

    /// <summary>A Student-t draw with <paramref name="degrees"/> (an integer) degrees of freedom: a normal over the root of a chi-square per degree.</summary>
    public double StudentT(int degrees)
    {
        var chiSquare = 0.0;
        for (var i = 0; i < degrees; i++)
        {
            var n = Normal();
            chiSquare += n * n;
        }

        return Normal() / Math.Sqrt(chiSquare / degrees);
    }

    /// <summary>+1 or -1 with equal chance.</summary>
    public int Sign() => _random.Next(2) == 0 ? -1 : 1;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => _random.Next(min, max);
}
