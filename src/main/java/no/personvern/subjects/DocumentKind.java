package no.personvern.subjects;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of document uploaded in the mobile app (S16) and the data category each is stored
 * under; the catalog must declare the category for the uploading system's activity.
 */
public enum DocumentKind {
    IMAGE("user.content.image"), TRAVEL("user.content.travel_record"), VOUCHER("user.content.receipt");

    private final String category;

    DocumentKind(String category) {
        this.category = category;
    }

    public String category() {
        return category;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DocumentKind> fromKey(String key) {
        for (DocumentKind kind : values()) {
            if (kind.key().equals(key)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
