using DeviceTwins.Api.OperatorConsole;

namespace DeviceTwins.UnitTests.Api;

public sealed class ConsoleAssetsTests
{
    private static readonly ConsoleAssets Assets = new(typeof(ConsoleAssets).Assembly);

    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("console.css", "text/css; charset=utf-8")]
    [InlineData("js/app.js", "text/javascript; charset=utf-8")]
    [InlineData("lib/echarts.min.js", "text/javascript; charset=utf-8")]
    public void EveryFileThePageLoads_IsEmbedded_WithItsContentType(string path, string contentType)
    {
        var asset = Assets.Find(path);
        Assert.NotNull(asset);
        Assert.Equal(contentType, asset.ContentType);
        Assert.NotEmpty(asset.Content);
        Assert.Matches("^\"[0-9a-f]{16}\"$", asset.ETag);
    }

    [Fact]
    public void ThePage_LoadsOnlyFilesOfTheConsole_NothingFromAnotherOrigin()
    {
        var page = System.Text.Encoding.UTF8.GetString(Assets.Find("index.html")!.Content);
        var references = System.Text.RegularExpressions.Regex.Matches(page, "(?:src|href)=\"([^\"#]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.StartsWith("/console/", reference, StringComparison.Ordinal);
            Assert.NotNull(Assets.Find(reference["/console/".Length..]));
        });

        // Each module the page imports is embedded too.
        foreach (var script in Assets.Paths.Where(p => p.StartsWith("js/", StringComparison.Ordinal)))
        {
            var text = System.Text.Encoding.UTF8.GetString(Assets.Find(script)!.Content);
            foreach (System.Text.RegularExpressions.Match import in System.Text.RegularExpressions.Regex.Matches(text, "from '\\./([^']+)'"))
            {
                Assert.NotNull(Assets.Find("js/" + import.Groups[1].Value));
            }

            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        }
    }
}
