package no.personvern.web.console;

/**
 * How an agent sees an identity before it reveals it: enough to tell two apart on the phone, not
 * enough to learn one. {@code kari@example.no} → {@code k***@example.no}; {@code +4791234567} →
 * {@code +47 *** ** 567}; anything else its first character and a length-blind {@code ***}.
 */
public final class Masks {

    private Masks() {
    }

    public static String email(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return other(address);
        }
        return address.substring(0, address.offsetByCodePoints(0, 1)) + "***" + address.substring(at);
    }

    public static String phone(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("[^0-9+]", "");
        if (digits.length() < 6) {
            return "***";
        }
        String prefix = digits.startsWith("+") ? digits.substring(0, Math.min(3, digits.length())) + " " : "";
        return prefix + "*** ** " + digits.substring(digits.length() - 3);
    }

    public static String other(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, 1)) + "***";
    }
}
