package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A person's browser on Personvern's own pages, in one of the ways people come: Norwegian or
 * English, with or without JavaScript, on a desktop or a 360 px phone. Every page visited can be
 * checked with axe-core (WCAG 2.1 A and AA: no serious or critical violation) and photographed to
 * {@code target/screenshots/} for review.
 */
public final class PageBrowser implements AutoCloseable {

    /** How a person comes: the language the browser asks for, JavaScript on or off, the window width. */
    public enum Way {
        NB_DESKTOP("nb", true, 1280),
        EN_NO_SCRIPT("en", false, 1280),
        EN_PHONE("en", true, 360);

        public final String lang;
        public final boolean script;
        public final int width;

        Way(String lang, boolean script, int width) {
            this.lang = lang;
            this.script = script;
            this.width = width;
        }

        public boolean nb() {
            return lang.equals("nb");
        }
    }

    /**
     * The ways a page test runs in: all of them on H2; on PostgreSQL only the first, since the ways
     * differ in the browser and not in what reaches the database (every flow still runs once there).
     * For {@code @MethodSource("no.personvern.testing.PageBrowser#ways")}.
     */
    public static java.util.stream.Stream<Way> ways() {
        return TestDatabases.current() == TestDatabases.Kind.POSTGRES ? java.util.stream.Stream.of(Way.NB_DESKTOP)
                : java.util.Arrays.stream(Way.values());
    }

    private static final Set<String> BLOCKING = Set.of("serious", "critical");

    public final ChromeDriver driver;
    public final Way way;
    private final String base;
    private boolean closed;

    private PageBrowser(ChromeDriver driver, Way way, int port) {
        this.driver = driver;
        this.way = way;
        this.base = "http://localhost:" + port;
    }

    /**
     * A browser in {@code way} on Personvern at {@code port}, as new: no cookie, no cache, no stored
     * data, no history, no DevTools setting (extra headers, scripts) from an earlier use. Starting
     * Chromium takes a second or two, so a closed browser is kept for the next test that comes the
     * same way (one per way in the test JVM), and handed out again only after {@link #close} has
     * emptied it; a browser that cannot be emptied is quit instead.
     */
    public static PageBrowser open(Way way, int port) {
        ChromeDriver driver = idle(way);
        if (driver == null) {
            driver = Browser.start(options -> {
                options.setExperimentalOption("prefs", Map.of(
                        "intl.accept_languages", way.nb() ? "nb-NO,nb,no" : "en-GB,en",
                        "profile.managed_default_content_settings.javascript", way.script ? 1 : 2));
                options.addArguments("--lang=" + (way.nb() ? "nb" : "en-GB"));
            });
        }
        driver.manage().window().setSize(new Dimension(way.width, 900));
        return new PageBrowser(driver, way, port);
    }

    private static final Map<Way, ChromeDriver> IDLE = new EnumMap<>(Way.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (IDLE) {
                IDLE.values().forEach(PageBrowser::quit);
                IDLE.clear();
            }
        }, "page-browsers"));
    }

    private static ChromeDriver idle(Way way) {
        synchronized (IDLE) {
            return IDLE.remove(way);
        }
    }

    /** Keeps an emptied browser for the next test in its way (quits it if one is kept already). */
    private static void keep(Way way, ChromeDriver driver) {
        ChromeDriver other;
        synchronized (IDLE) {
            other = IDLE.put(way, driver);
        }
        if (other != null) {
            quit(other);
        }
    }

    private static void quit(ChromeDriver driver) {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // Already gone.
        }
    }

    /** Goes to a path of Personvern's. */
    public PageBrowser go(String path) {
        driver.get(path.startsWith("http") ? path : base + path);
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /**
     * Presses a control that posts a form or follows a link, and waits for the page the answer leads
     * to (with or without JavaScript): the old page is gone and the new one loaded. Mid-navigation
     * Chromium may call the old page's nodes stale or "not belonging to the document"; both mean gone.
     */
    public PageBrowser submit(String css) {
        WebElement page = find("html");
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ignored -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ignored -> "complete".equals(driver.executeScript("return document.readyState")));
        return this;
    }

    /** Fills a field by its label's {@code for}, i.e. the field's id. */
    public PageBrowser fill(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
        return this;
    }

    /**
     * Checks the page as it is now with axe-core (WCAG 2.0/2.1 A and AA): no serious or critical
     * violation, and no page wider than the window (a phone must not scroll sideways); then keeps a
     * full-page screenshot as {@code target/screenshots/<name>-<way>.png}. With JavaScript turned
     * off axe cannot run in the page (it times out), so without script only the screenshot is taken
     * and the page is checked for missing texts: the same HTML is checked by axe in the other ways,
     * in both languages. An axe run that errs fails the check rather than passing silently.
     */
    public PageBrowser check(String name) {
        if (way.script) {
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                    .analyze(driver);
            assertThat(results.isErrored()).as("axe-core ran on " + name + " (" + way + "): " + results.getErrorMessage())
                    .isFalse();
            List<String> blocking = results.getViolations().stream()
                    .filter(rule -> BLOCKING.contains(rule.getImpact()))
                    .map(PageBrowser::describe)
                    .toList();
            assertThat(blocking).as("axe-core violations on " + name + " (" + way + ")").isEmpty();
            Number scrollWidth = (Number) driver.executeScript("return document.documentElement.scrollWidth");
            Number clientWidth = (Number) driver.executeScript("return document.documentElement.clientWidth");
            assertThat(scrollWidth.intValue()).as("page width of " + name + " (" + way + ")")
                    .isLessThanOrEqualTo(clientWidth.intValue());
        }
        assertThat(text()).as("a text missing from the bundles shows as ??key?? on " + name + " (" + way + ")")
                .doesNotContain("??");
        screenshot(name);
        return this;
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
    }

    private void screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
                "height", Math.min(((Number) size.get("height")).doubleValue(), 8000), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Path directory = Path.of("target", "screenshots");
            Files.createDirectories(directory);
            Files.write(directory.resolve(name + "-" + way.name().toLowerCase() + ".png"),
                    Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties the browser and keeps it for the next test in this way; quits it if it cannot be
     * emptied. The page and everything set on it through DevTools go with its tab: a new tab takes
     * its place and the old one is closed. Cookies and the cache are the whole browser's; the
     * storage (local storage, IndexedDB, service workers) is cleared for Personvern's origin, the
     * only one a test visits over HTTP.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            String used = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            String fresh = driver.getWindowHandle();
            driver.switchTo().window(used).close();
            driver.switchTo().window(fresh);
            driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
            driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", base, "storageTypes", "all"));
            if (driver.getWindowHandles().size() == 1 && "about:blank".equals(driver.getCurrentUrl())) {
                keep(way, driver);
                return;
            }
        } catch (RuntimeException unusable) {
            // Quit below.
        }
        quit(driver);
    }
}
