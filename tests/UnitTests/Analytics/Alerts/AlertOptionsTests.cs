using DeviceTwins.Analytics.Alerts;

namespace DeviceTwins.UnitTests.Analytics.Alerts;

public sealed class AlertOptionsTests
{
    [Fact]
    public void Validate_Defaults_IsEmpty()
    {
        var options = new AlertOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((TimeSpan.FromMinutes(10), 3, 50), (options.FlapWindow, options.FlapRaises, options.Retained));
    }

    [Fact]
    public void Validate_EveryKeyInvalid_NamesEachKey()
    {
        var options = new AlertOptions { FlapWindow = TimeSpan.Zero, FlapRaises = 1, Retained = -1 };

        Assert.Equal(
            ["Alerts:FlapWindow must be positive.", "Alerts:FlapRaises must be between 2 and 100.", "Alerts:Retained must be between 0 and 10000."],
            options.Validate());
    }

    [Fact]
    public void Validate_Bounds_AreInclusive()
    {
        Assert.Empty(new AlertOptions { FlapWindow = TimeSpan.FromTicks(1), FlapRaises = 2, Retained = 0 }.Validate());
        Assert.Empty(new AlertOptions { FlapRaises = 100, Retained = 10_000 }.Validate());
        Assert.Equal(["Alerts:FlapRaises must be between 2 and 100.", "Alerts:Retained must be between 0 and 10000."], new AlertOptions { FlapRaises = 101, Retained = 10_001 }.Validate());
    }
}
