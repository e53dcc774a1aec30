package no.personvern.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of document a product uploads (SPEC: {@code image|travel|voucher}). Which data
 * category each is stored under is the catalog's to say: an activity's {@code documents} map, or
 * else the single {@code user.content.*} category the activity declares.
 */
public enum DocumentKind {
    IMAGE, TRAVEL, VOUCHER;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DocumentKind> fromKey(String key) {
        return Arrays.stream(values()).filter(kind -> kind.key().equals(key)).findFirst();
    }

    /** The keys, for messages: {@code image, travel, voucher}. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(DocumentKind::key).toList();
    }
}
