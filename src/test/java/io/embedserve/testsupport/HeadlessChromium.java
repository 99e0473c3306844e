package io.embedserve.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, which .ci/run installs). Both paths are given to Selenium, so Selenium
 * Manager never runs and nothing is downloaded. Where the packages are missing, {@link #start()}
 * skips the test with the reason.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
    /** Where screenshots go; surefire points it into the build directory. */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("embedserve.screenshots", "target/screenshots"));

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why a browser test is skipped; for {@code @EnabledIf(disabledReason = ...)}. */
    public static final String MISSING = "no headless browser: install the Debian packages chromium and"
            + " chromium-driver (.ci/run does), or point CHROMIUM_BIN and CHROMEDRIVER_BIN at them";

    /**
     * For {@code @EnabledIf} on each browser test class: a class whose @BeforeAll assumption fails is
     * reported by Surefire as zero tests, with no reason, where a disabled class shows as skipped.
     * Under CI=true it is always true: CI installs the browser, so there a missing one must fail the
     * tests ({@link #start()}), never skip them.
     */
    public static boolean installed() {
        return requiredByCi() || present();
    }

    private static boolean present() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static boolean requiredByCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * A fresh browser with its own profile; skips the calling test when there is no Chromium, and
     * fails it under CI=true.
     */
    public static HeadlessChromium start() {
        if (requiredByCi() && !present()) {
            throw new IllegalStateException("CI=true, but there is " + MISSING);
        }
        Assumptions.assumeTrue(present(), MISSING);
        // A fresh profile per browser, removed when the JVM exits.
        Path profile = ModelResources.createTempDirectoryDeletedOnExit("embedserve-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The background-networking flags keep Chromium from calling home: this machine refuses such
        // connections, and an air-gapped cluster would too.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** The browser's console and network errors since the last call (reading them clears them). */
    public List<String> severeLogEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Every URL the page loaded (the document and its resources) that is not from {@code origin}. */
    @SuppressWarnings("unchecked")
    public List<String> loadsFromOtherOrigins(String origin) {
        List<String> urls = (List<String>) script("""
                return performance.getEntries()
                    .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
                    .map(e => e.name);""");
        return urls.stream().filter(url -> !url.startsWith(origin + "/")).toList();
    }

    /** Saves the whole page as {@code name}.png under the build directory; returns the file. */
    public Path screenshot(String name) {
        Number height = (Number) script("return document.documentElement.scrollHeight;");
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(before.getWidth(), height.intValue() + 140));
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot " + name, e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
