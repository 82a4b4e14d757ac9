using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Rules;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*", "temperature", true)]
    [InlineData("*", "", true)]
    [InlineData("temp*", "temperature", true)]
    [InlineData("temp*", "temp", true)]
    [InlineData("temp*", "atemp", false)]
    [InlineData("temp*", "Temperature", false)]
    [InlineData("*_c", "engine_c", true)]
    [InlineData("*_c", "_c", true)]
    [InlineData("*_c", "engine_cx", false)]
    [InlineData("a*b", "ab", true)]
    [InlineData("a*b", "axyzb", true)]
    [InlineData("a*b", "axyzbc", false)]
    [InlineData("a*b", "xab", false)]
    [InlineData("a*b*c", "a1b2c", true)]
    [InlineData("a*b*c", "a1c", false)]
    [InlineData("a*b", "a\nb", true)]
    [InlineData("a*b", "axb\n", false)]
    [InlineData("temp.*", "temp.x", true)]
    [InlineData("temp.*", "tempXx", false)]
    [InlineData("(x)+*", "(x)+y", true)]
    [InlineData("temperature", "temperature", true)]
    [InlineData("temperature", "temperature2", false)]
    [InlineData("temperature", "Temperature", false)]
    [InlineData("pump-?", "pump-1", false)]
    [InlineData("pump-?", "pump-?", true)]
    public void IsMatch_Pattern_MatchesOrdinally(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, new Glob(pattern).IsMatch(name));
    }

    [Fact]
    public void MatchesAll_BareWildcardOnly_IsTrue()
    {
        Assert.True(new Glob("*").MatchesAll);
        Assert.False(new Glob("**").MatchesAll);
        Assert.True(new Glob("**").IsMatch("anything"));
        Assert.Equal("a*b", new Glob("a*b").Pattern);
    }

    [Fact]
    public void Constructor_EmptyPattern_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Glob(""));
    }
}
