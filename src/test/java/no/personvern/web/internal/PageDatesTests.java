package no.personvern.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import no.personvern.catalog.Language;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.context.support.StaticMessageSource;

/** One way to write dates on every page, its patterns in the message bundles. */
class PageDatesTests {

    private static final Instant AT = Instant.parse("2026-12-01T09:05:00Z");

    @Test
    void thePatternsComeFromTheBundlesInEachLanguage() {
        ResourceBundleMessageSource bundles = new ResourceBundleMessageSource();
        bundles.setBasenames("web/messages", "web/requests", "web/choices");
        bundles.setDefaultEncoding("UTF-8");
        bundles.setFallbackToSystemLocale(false);
        PageDates dates = new PageDates(bundles);
        assertThat(dates.format(AT, Language.NB)).isEqualTo("1. desember 2026 kl. 10.05");
        assertThat(dates.date(AT, Language.NB)).isEqualTo("1. desember 2026");
        assertThat(dates.format(AT, Language.EN)).isEqualTo("1 December 2026, 10:05");
        assertThat(dates.date(AT, Language.EN)).isEqualTo("1 December 2026");
    }

    @Test
    void anotherPatternInTheBundleChangesEveryPage() {
        StaticMessageSource bundle = new StaticMessageSource();
        bundle.addMessage("page.format.dateTime", Locale.forLanguageTag("en"), "yyyy-MM-dd HH:mm");
        assertThat(new PageDates(bundle).format(AT, Language.EN)).isEqualTo("2026-12-01 10:05");
    }
}
