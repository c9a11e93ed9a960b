using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace JiraConsumer.Tests.Browser;

/// <summary>
/// One headless Chromium for a test class: Debian's <c>chromium</c> driven through its
/// <c>chromedriver</c> (apt: chromium, chromium-driver; ./test.sh installs them). Other paths
/// come from SCOUTFLO_TEST_CHROMIUM and SCOUTFLO_TEST_CHROMEDRIVER. A browser that cannot start
/// fails every test of the class with the reason: these tests never skip.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string BrowserVariable = "SCOUTFLO_TEST_CHROMIUM";
    public const string DriverVariable = "SCOUTFLO_TEST_CHROMEDRIVER";

    // Generous on purpose: a busy CI machine can be slow to render, and a wait ends as soon as its condition holds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _profile = Directory.CreateTempSubdirectory("scoutflo-chromium-").FullName;

    public HeadlessChromium()
    {
        var browser = Environment.GetEnvironmentVariable(BrowserVariable) is { Length: > 0 } b ? b : "/usr/bin/chromium";
        var driver = Environment.GetEnvironmentVariable(DriverVariable) is { Length: > 0 } d ? d : "/usr/bin/chromedriver";
        foreach (var (path, variable) in new[] { (browser, BrowserVariable), (driver, DriverVariable) })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"No browser for the browser-flow tests: '{path}' does not exist. Install Debian's chromium and chromium-driver " +
                    $"(apt-get install -y chromium chromium-driver; ./test.sh does this), or set {variable} to the file.");
            }
        }

        // The driver and the browser are named explicitly, so Selenium Manager never tries to download either.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            $"--user-data-dir={_profile}");
        try
        {
            Driver = new ChromeDriver(service, options, Patience);
        }
        catch (WebDriverException e)
        {
            service.Dispose();
            throw new InvalidOperationException(
                $"Chromium ('{browser}') could not be started through '{driver}': {e.Message} " +
                "Check that chromium and chromium-driver are the same version (apt installs matching ones).", e);
        }

        Driver.Manage().Timeouts().PageLoad = Patience;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Waits until the page satisfies a DOM condition (the only way to wait for a browser); fails after 30 s.</summary>
    public T WaitFor<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Patience) { Message = $"The browser never showed {what}." };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned up by the OS.
        }
    }
}
