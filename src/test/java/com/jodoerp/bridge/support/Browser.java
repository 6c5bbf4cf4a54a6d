package com.jodoerp.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium driving the ops page, as an operator's browser would. */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** Skips the test without a browser, except under CI, where .ci/run installs one. */
    public static void require() {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!browser && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("chromium and chromium-driver must be installed under CI (.ci/run does)");
        }
        Assumptions.assumeTrue(browser, "Debian's chromium and chromium-driver are not installed");
    }

    public static WebDriver chrome(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As this machine's probe runs it: headless, as root, with no calls home (the network is closed).
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        // The console is kept, so that a test can read what the page's Content-Security-Policy refused.
        LoggingPreferences console = new LoggingPreferences();
        console.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, console);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** What the pages opened so far wrote to the browser's console (errors, refusals by the page's policy). */
    public static List<String> console(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** A console line saying that the page's Content-Security-Policy refused something it tried. */
    public static boolean refusedByPolicy(String consoleLine) {
        return consoleLine.contains("Content Security Policy");
    }

    /** Opens the ops page of {@code bridge} and signs in. */
    public static WebDriverWait signIn(WebDriver driver, BridgeInstance bridge, String user, String password) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get("http://127.0.0.1:" + bridge.port() + "/ops/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        return wait;
    }

    /** What a test does on an ops page tab. */
    @FunctionalInterface
    public interface Steps {
        void run(WebDriver driver, WebDriverWait wait) throws Exception;
    }

    /**
     * Signs in to the ops page of {@code bridge} in a fresh browser (its profile in {@code profile}), opens the tab
     * {@code tabId}, runs {@code steps} there and closes the browser.
     */
    public static void onTab(Path profile, BridgeInstance bridge, String user, String password, String tabId,
                             Steps steps) throws Exception {
        require();
        WebDriver driver = chrome(profile);
        try {
            WebDriverWait wait = signIn(driver, bridge, user, password);
            wait.until(ExpectedConditions.elementToBeClickable(By.id(tabId))).click();
            steps.run(driver, wait);
            assertThat(console(driver)).as("what the page's policy refused").noneMatch(Browser::refusedByPolicy);
        } finally {
            driver.quit();
        }
    }
}
