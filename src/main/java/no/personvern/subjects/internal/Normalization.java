package no.personvern.subjects.internal;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Identities in one canonical form, so the same person is found however they typed it. */
final class Normalization {

    /**
     * The one form of address that is indexed and mailed to alike: a dot-atom local part of RFC
     * 5322's atext without {@code !} and {@code %} (routing characters), and a domain of letters,
     * digits and inner hyphens. No comments, quoted local parts, display names, brackets or
     * routes, so that no mail library delivers to an address other than the one looked up
     * ({@code (1)victim@example.no} would be delivered to {@code victim@example.no}).
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[a-z0-9#$&'*+/=?^_`{|}~-]+(\\.[a-z0-9#$&'*+/=?^_`{|}~-]+)*"
            + "@([\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}]");
    private static final Pattern PHONE_NOISE = Pattern.compile("[\\s().\\-/]");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private Normalization() {
    }

    /** Trimmed and lower-cased; empty if it is not an e-mail address. */
    static Optional<String> email(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (email.length() > 254 || at < 1 || at > 64 || !EMAIL.matcher(email).matches()) {
            return Optional.empty();
        }
        try {
            // One form for an internationalised domain (blåbær.no and xn--blbr-roa9b.no are one address).
            String domain = IDN.toASCII(email.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            String ascii = email.substring(0, at + 1) + domain;
            return ascii.length() <= 254 ? Optional.of(ascii) : Optional.empty();
        } catch (IllegalArgumentException notAValidDomain) {
            return Optional.empty();
        }
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
