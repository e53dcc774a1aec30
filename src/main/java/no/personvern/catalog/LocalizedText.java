package no.personvern.catalog;

/** A text in Norwegian bokmål and English; the catalog may give one string for both. */
public record LocalizedText(String nb, String en) {

    public static LocalizedText of(String both) {
        return new LocalizedText(both, both);
    }

    public String in(Language language) {
        return language == Language.NB ? nb : en;
    }
}
