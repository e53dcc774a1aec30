package no.personvern.subjects.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Identities in one canonical form, so the same person is found however they typed it. */
final class Normalization {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern PHONE_NOISE = Pattern.compile("[\\s().\\-/]");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private Normalization() {
    }

    /** Trimmed and lower-cased; empty if it is not an e-mail address. */
    static Optional<String> email(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        return email.length() <= 254 && EMAIL.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }

    /**
     * E.164 ({@code +4791234567}); a Norwegian number written without a country code (8 digits)
     * gets +47, and {@code 00} is read as {@code +}. Empty if it cannot be a phone number.
     */
    static Optional<String> phone(String raw) {
        String phone = PHONE_NOISE.matcher(raw.strip()).replaceAll("");
        if (phone.startsWith("00")) {
            phone = "+" + phone.substring(2);
        }
        if (phone.startsWith("+")) {
            String digits = phone.substring(1);
            boolean valid = DIGITS.matcher(digits).matches() && digits.length() >= 7 && digits.length() <= 15
                    && digits.charAt(0) != '0';
            return valid ? Optional.of("+" + digits) : Optional.empty();
        }
        return DIGITS.matcher(phone).matches() && phone.length() == 8 ? Optional.of("+47" + phone) : Optional.empty();
    }
}
