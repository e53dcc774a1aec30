package no.personvern.security.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks e-mail addresses, IP addresses and phone numbers in text, because the SPEC demands that
 * e-mail, phone and IP never reach a log line, even in exception messages.
 *
 * <p>The patterns lean towards masking: a false positive costs a less readable log line, a false
 * negative leaks personal data. What must stay readable in a log (UUIDs, ISO timestamps, ports,
 * versions with fewer than four parts, stack-frame line numbers, hex hashes) is kept apart by
 * requiring exact shapes and by refusing matches glued to letters, digits or dots.
 */
public final class Masking {

    static final String EMAIL = "***@***";
    static final String IP = "[ip]";
    static final String PHONE = "[phone]";

    /** One IPv4 octet, 0-255, leading zeros allowed. */
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|[01]?\\d?\\d)";
    private static final String IPV4 = OCTET + "(?:\\." + OCTET + "){3}";
    /** One IPv6 group. */
    private static final String H = "[0-9A-Fa-f]{1,4}";

    /**
     * A local part (the whole run, never a tail of it), {@code @} or its URL encoding
     * {@code %40}, then a host with a top-level domain or an address literal in brackets.
     */
    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.+-])[\\p{L}\\p{N}_.+-]++(?:@|%40)"
                    + "(?:(?:[\\p{L}\\p{N}-]+\\.)+\\p{L}{2,}"
                    + "|\\[[^\\]\\s]{1,64}\\])");

    /**
     * Full (eight groups), compressed ({@code ::}) and IPv4-embedded forms, optional zone id.
     * A time such as {@code 07:12:33} or {@code Foo.java:42} has neither eight groups nor a
     * {@code ::}; a match without any digit (a bare {@code ::}, {@code Cafe::add}) is skipped in
     * code.
     */
    private static final Pattern IPV6_PATTERN = Pattern.compile(
            "(?<![\\w.])(?:"
                    + "(?:" + H + ":){6}" + IPV4
                    + "|(?:" + H + "(?::" + H + "){0,5})?::(?:" + H + ":){0,5}" + IPV4
                    + "|(?:" + H + ":){7}" + H
                    + "|(?:" + H + "(?::" + H + "){0,6})?::(?:" + H + "(?::" + H + "){0,6})?"
                    + ")(?:%[0-9A-Za-z_]+)?(?![\\w:]|\\.\\d)");

    /** Exactly four octets: {@code 4.0.7} and {@code 1.2.3.4.5} are not addresses. */
    private static final Pattern IPV4_PATTERN = Pattern.compile(
            "(?<![\\w.])" + IPV4 + "(?!\\w|\\.\\d)");

    /** International form: {@code +} and 7 to 15 digits, up to two of {@code " .()-"} between. */
    private static final Pattern INTERNATIONAL_PHONE_PATTERN = Pattern.compile(
            "(?<![\\w+])\\+\\d(?:[ .()-]{0,2}\\d){6,14}(?!\\d)");

    /**
     * Norwegian numbers: eight digits starting 2-9, plain or grouped 3-2-3, 2-2-2-2 or 4-4,
     * optionally after {@code 0047}. Not glued to letters, digits, dots, {@code @} or {@code $}
     * (hash codes, lambda names), not followed by {@code -} (the first group of a UUID), nor by
     * a dot and more text ({@code backup-20261126.tar}) or a decimal comma.
     */
    private static final Pattern NORWEGIAN_PHONE_PATTERN = Pattern.compile(
            "(?<![\\w.@$])(?:0047 ?)?"
                    + "(?:[2-9]\\d{7}|[2-9]\\d{2} \\d{2} \\d{3}|[2-9]\\d \\d{2} \\d{2} \\d{2}|[2-9]\\d{3} \\d{4})"
                    + "(?![\\w-]|\\.\\w|,\\d)");

    private Masking() {
    }

    /**
     * The text with every e-mail address, IP address and phone number replaced; the same
     * instance when there is nothing to mask.
     */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // One pass finds which patterns could match at all; a pattern runs only when the text
        // holds what every match of it needs. Stack traces, full of "Foo.java:42" and "7.0.1",
        // thus skip the IP and phone patterns.
        boolean email = false;
        boolean ipv6 = false;
        boolean ipv4 = false;
        boolean plus = false;
        boolean norwegian = false;
        int digits = 0;
        int colonsInHexRun = 0;
        int dotsInDigitRun = 0; // dots followed by a digit: "7.0.1.jar" has two
        int digitsInPhoneRun = 0;
        char previous = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (digit) {
                digits++;
                norwegian |= ++digitsInPhoneRun >= 8;
            } else if (c != ' ') {
                digitsInPhoneRun = 0;
            }
            if (c == ':') {
                ipv6 |= previous == ':' || ++colonsInHexRun >= 6;
            } else if (!hex) {
                colonsInHexRun = 0;
            }
            if (digit && previous == '.') {
                ipv4 |= ++dotsInDigitRun >= 3;
            } else if (!digit && c != '.') {
                dotsInDigitRun = 0;
            }
            if (c == '@') {
                email = true;
            } else if (c == '+') {
                plus = true;
            } else if (c == '%' && !email) {
                email = text.startsWith("%40", i);
            }
            previous = c;
        }
        String out = text;
        if (email) {
            out = EMAIL_PATTERN.matcher(out).replaceAll(EMAIL);
        }
        if (ipv6) {
            out = maskIpv6(out);
        }
        if (ipv4) {
            out = IPV4_PATTERN.matcher(out).replaceAll(IP);
        }
        if (plus && digits >= 7) {
            out = INTERNATIONAL_PHONE_PATTERN.matcher(out).replaceAll(PHONE);
        }
        if (norwegian) {
            out = NORWEGIAN_PHONE_PATTERN.matcher(out).replaceAll(PHONE);
        }
        return out;
    }

    private static String maskIpv6(String text) {
        Matcher m = IPV6_PATTERN.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (!hasDigit(text, m.start(), m.end())) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start()).append(IP);
            last = m.end();
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }

    private static boolean hasDigit(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
