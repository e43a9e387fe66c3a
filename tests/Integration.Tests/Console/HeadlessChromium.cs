using BertPlatform.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace BertPlatform.Integration.Tests.Console;

/// <summary>
/// Debian's Chromium (packages <c>chromium</c> and <c>chromium-driver</c>, which test.sh installs) driven headless
/// through WebDriver. Downloads land in a folder of their own; screenshots go to <c>TestResults/console/</c> in the
/// clone (ignored by git). Waits poll a condition with a generous limit, so a loaded machine is slower, not red.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private const string BrowserPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";

    private readonly ChromeDriver driver;

    public HeadlessChromium()
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
            throw new InvalidOperationException($"{BrowserPath} and {DriverPath} are needed: apt-get install -y chromium chromium-driver (test.sh does).");
        DownloadDirectory = Directory.CreateTempSubdirectory("console-downloads-").FullName;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400",
            "--no-first-run", "--disable-extensions", "--lang=en-GB");
        options.AddUserProfilePreference("download.default_directory", DownloadDirectory);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(3));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromMinutes(2);
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromMinutes(1);
    }

    public IWebDriver Driver => driver;

    public string DownloadDirectory { get; }

    public static string ScreenshotDirectory { get; } = Path.Combine(TestAssets.RepositoryRoot, "TestResults", "console");

    public void GoTo(Uri url) => driver.Navigate().GoToUrl(url);

    /// <summary>Polls <paramref name="condition"/> until it returns a value (not null, not false) or the patience runs out.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(driver, timeout ?? Patience) { PollingInterval = TimeSpan.FromMilliseconds(200), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            // WebDriverWait takes objects and booleans only: box whatever the condition returns, false and null meaning "not yet".
            return (T)wait.Until(d => condition(d) is { } value and not false ? (object)value : null)!;
        }
        catch (WebDriverTimeoutException)
        {
            var name = string.Concat(what.Where(char.IsLetterOrDigit)).ToLowerInvariant();
            Screenshot("timeout-" + name[..Math.Min(40, name.Length)]);
            throw;
        }
    }

    public IWebElement Visible(string css) =>
        Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"{css} to be visible")!;

    public string Text(string css) => driver.FindElement(By.CssSelector(css)).Text;

    public void Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        driver.GetScreenshot().SaveAsFile(Path.Combine(ScreenshotDirectory, name + ".png"));
    }

    public void Dispose()
    {
        driver.Quit();
        driver.Dispose();
        Directory.Delete(DownloadDirectory, recursive: true);
    }
}
