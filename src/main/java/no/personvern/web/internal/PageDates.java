package no.personvern.web.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import no.personvern.catalog.Language;

/** Times on pages: in the person's language, in Norwegian time. */
final class PageDates {

    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final DateTimeFormatter NB = DateTimeFormatter.ofPattern("d. MMMM yyyy 'kl.' HH:mm",
            Locale.forLanguageTag("nb"));
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.ENGLISH);

    private PageDates() {
    }

    static String format(Instant instant, Language language) {
        return (language == Language.NB ? NB : EN).format(instant.atZone(OSLO));
    }
}
