package no.personvern.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for page tests: Debian's Chromium, driven through {@code /usr/bin/chromedriver}
 * (never a browser downloaded by a test tool). Tests are skipped when Chromium is not installed,
 * and fail instead when {@code PERSONVERN_TEST_BROWSER=required}, as in CI.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    public static ChromeDriver start() {
        return start(options -> {
        });
    }

    /** As {@link #start()}, with the options adjusted first (language, JavaScript off). */
    public static ChromeDriver start(java.util.function.Consumer<ChromeOptions> adjust) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            if ("required".equalsIgnoreCase(System.getenv("PERSONVERN_TEST_BROWSER"))) {
                throw new IllegalStateException("PERSONVERN_TEST_BROWSER=required, but " + CHROMIUM + " or "
                        + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
            }
            Assumptions.abort("Chromium is not installed (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900");
        adjust.accept(options);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
