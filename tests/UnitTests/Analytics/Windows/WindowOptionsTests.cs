using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.UnitTests.Analytics.Windows;

public sealed class WindowOptionsTests
{
    [Fact]
    public void Validate_Defaults_IsEmpty()
    {
        var options = new WindowOptions();

        Assert.Empty(options.Validate());
        Assert.Equal([TimeSpan.FromMinutes(1)], options.EffectiveSizes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Grace);
        Assert.Equal(TimeSpan.FromSeconds(10), options.QuietCloseSpread);
        Assert.Equal(120, options.Retained);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(3_600, true)]
    [InlineData(3_601, false)]
    public void Validate_QuietCloseSpread_MustLieWithinAnHour(int seconds, bool valid)
    {
        var errors = new WindowOptions { QuietCloseSpread = TimeSpan.FromSeconds(seconds) }.Validate();

        Assert.Equal(valid ? [] : ["Windows:QuietCloseSpread must be between 0 and 1 hour."], errors);
    }

    [Fact]
    public void EffectiveSizes_WhenSet_AreTheSizes()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)] };

        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)], options.EffectiveSizes);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    [InlineData(7_000)]
    [InlineData(1_500)]
    [InlineData(-60_000)]
    public void Validate_SizeNotWholeSecondsDividingADay_NamesTheEntry(int milliseconds)
    {
        var size = TimeSpan.FromMilliseconds(milliseconds);
        var options = new WindowOptions { Sizes = [TimeSpan.FromMinutes(1), size] };

        Assert.Equal([$"Windows:Sizes:1 ({size:c}) must be a whole number of seconds, at least 1, dividing a day evenly."], options.Validate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(3_600)]
    [InlineData(86_400)]
    public void Validate_SizeDividingADay_IsValid(int seconds)
    {
        Assert.Empty(new WindowOptions { Sizes = [TimeSpan.FromSeconds(seconds)] }.Validate());
    }

    [Fact]
    public void Validate_RepeatedSize_Fails()
    {
        var options = new WindowOptions { Sizes = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60)] };

        Assert.Equal(["Windows:Sizes must not repeat a length."], options.Validate());
    }

    [Fact]
    public void Validate_NegativeGraceAndRetainedOutOfRange_NamesEachKey()
    {
        var options = new WindowOptions { Grace = TimeSpan.FromTicks(-1), Retained = 10_001 };

        Assert.Equal(["Windows:Grace must not be negative.", "Windows:Retained must be between 0 and 10000."], options.Validate());
    }

    [Fact]
    public void Validate_ZeroGraceAndBoundsOfRetained_AreValid()
    {
        Assert.Empty(new WindowOptions { Grace = TimeSpan.Zero, Retained = 0 }.Validate());
        Assert.Empty(new WindowOptions { Retained = 10_000 }.Validate());
        Assert.Equal(["Windows:Retained must be between 0 and 10000."], new WindowOptions { Retained = -1 }.Validate());
    }
}
