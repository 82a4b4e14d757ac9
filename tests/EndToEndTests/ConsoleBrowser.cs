using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// A real headless Chromium (Debian's chromium and chromium-driver) driven over WebDriver, with helpers the console
/// tests share: sign in, wait for an element or a text, save a screenshot of the page.
/// </summary>
internal sealed class ConsoleBrowser : IDisposable
{
    private readonly ChromeDriver _driver;

    public ConsoleBrowser(Uri console)
    {
        Console = console;
        var options = new ChromeOptions { BinaryLocation = Find("chromium", "/usr/bin/chromium") };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000", "--lang=en-GB");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Find("chromedriver", "/usr/bin/chromedriver")), "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public Uri Console { get; }

    public IWebDriver Driver => _driver;

    /// <summary>Runs <paramref name="script"/> in the page and returns its result.</summary>
    public object? Script(string script, params object[] arguments) => _driver.ExecuteScript(script, arguments);

    /// <summary>Where the tests save their screenshots: DEVICETWINS_SCREENSHOTS (test.sh sets .test-run/screenshots), else beside the tests.</summary>
    public static string ScreenshotDirectory => Environment.GetEnvironmentVariable("DEVICETWINS_SCREENSHOTS") is { Length: > 0 } directory
        ? directory
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Opens the console afresh (nothing kept from an earlier sign-in) and signs in with <paramref name="key"/>.</summary>
    public void SignIn(string key, string page = "#/fleet")
    {
        // A full load without a credential (a navigation that changes only the hash would keep the page running).
        Open(page);
        _driver.ExecuteScript("sessionStorage.clear();");
        _driver.Navigate().Refresh();
        var field = WaitFor(By.Id("api-key"));
        field.SendKeys(key);
        _driver.FindElement(By.Id("sign-in")).Click();
        WaitFor(By.Id("who"), e => e.Displayed);
    }

    /// <summary>Navigates to the console's page <paramref name="hash"/> (a full load).</summary>
    public void Open(string hash)
    {
        _driver.Navigate().GoToUrl(new Uri(Console, "/" + hash));
    }

    /// <summary>Changes the page the way a link does: no reload.</summary>
    public void Go(string hash) => _driver.ExecuteScript("location.hash = arguments[0];", hash);

    public IWebElement WaitFor(By by, Func<IWebElement, bool>? condition = null, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(_driver, timeout ?? TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(d =>
            {
                var element = d.FindElement(by);
                return condition is null || condition(element) ? element : null;
            })!;
        }
        catch (WebDriverTimeoutException exception)
        {
            throw new WebDriverTimeoutException($"{exception.Message} waiting for {by}; the page showed:\n{Text()}", exception);
        }
    }

    /// <summary>
    /// Clicks the element <paramref name="by"/> finds, finding it again when a live update redrew it between finding and
    /// clicking (a list redraws on every event).
    /// </summary>
    public void Click(By by, TimeSpan? timeout = null)
    {
        WaitUntil(() =>
        {
            _driver.FindElement(by).Click();
            return true;
        }, $"a click on {by}", timeout);
    }

    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(_driver, timeout ?? TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            wait.Until(_ => condition());
        }
        catch (WebDriverTimeoutException exception)
        {
            throw new WebDriverTimeoutException($"{exception.Message} waiting for {what}; the page showed:\n{Text()}", exception);
        }
    }

    public string Text() => _driver.FindElement(By.TagName("body")).Text;

    /// <summary>Saves the visible page as <paramref name="name"/>.png in <see cref="ScreenshotDirectory"/>.</summary>
    public void Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        _driver.GetScreenshot().SaveAsFile(Path.Combine(ScreenshotDirectory, name + ".png"));
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }

    private static string Find(string program, string fallback) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists) ?? fallback;
}
