package no.personvern.catalog.internal;

import java.util.regex.Pattern;

/** The forms of e-mail and web address the catalog accepts. */
final class Addresses {

    /**
     * An address in the one strict form mail is sent to: a dot-atom local part, an ASCII domain of
     * at least two labels (internationalised domains as punycode); no display name, comment, quoted
     * local part or list.
     */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private Addresses() {
    }

    static boolean isEmailAddress(String value) {
        return value.length() <= 254 && EMAIL_ADDRESS.matcher(value).matches();
    }

    static boolean isWebAddress(String value) {
        return value.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?(/\\S*)?");
    }
}
