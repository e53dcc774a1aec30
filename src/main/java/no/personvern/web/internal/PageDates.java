package no.personvern.web.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import no.personvern.catalog.Language;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Dates and times on every page: in the person's language, in Norwegian time, by the patterns in
 * the message bundles ({@code page.format.dateTime}, {@code page.format.date}).
 */
@Component
class PageDates {

    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private final MessageSource messages;

    PageDates(MessageSource messages) {
        this.messages = messages;
    }

    /** A moment with its time of day. */
    String format(Instant instant, Language language) {
        return format(instant, "page.format.dateTime", language);
    }

    /** A day. */
    String date(Instant instant, Language language) {
        return format(instant, "page.format.date", language);
    }

    private String format(Instant instant, String pattern, Language language) {
        Locale locale = Locale.forLanguageTag(language.code());
        return DateTimeFormatter.ofPattern(messages.getMessage(pattern, null, locale), locale)
                .format(instant.atZone(OSLO));
    }
}
