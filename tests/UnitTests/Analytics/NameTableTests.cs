using System.Text;
using DeviceTwins.Analytics;

namespace DeviceTwins.UnitTests.Analytics;

/// <summary>One string per name in the process: shared from text, from UTF-8 bytes, and only added when it is a name.</summary>
public sealed class NameTableTests
{
    [Fact]
    public void FromUtf8_OfAName_IsItsSharedInstance_AndPlainTextIsNeverAdded()
    {
        var name = Unique("metric");
        var text = Unique("alert-id");

        var added = NameTable.FromUtf8(Encoding.UTF8.GetBytes(name), add: true);
        var plain = NameTable.FromUtf8(Encoding.UTF8.GetBytes(text), add: false);

        Assert.Equal(name, added);
        Assert.Same(added, NameTable.Shared(new string(name.AsSpan())));
        Assert.Same(added, NameTable.FromUtf8(Encoding.UTF8.GetBytes(name), add: false));
        Assert.Equal(text, plain);
        Assert.NotSame(plain, NameTable.Known(new string(text.AsSpan())));
    }

    [Fact]
    public void Shared_FromChars_IsTheInstanceOfTheSameText()
    {
        var name = NameTable.Shared(Unique("pression-été"));

        Assert.Same(name, NameTable.Shared(name.ToCharArray().AsSpan()));
        Assert.Same(name, NameTable.FromUtf8(Encoding.UTF8.GetBytes(name), add: false));
    }

    private static string Unique(string prefix) => string.Concat(prefix, "-", Guid.NewGuid().ToString("N"));
}
