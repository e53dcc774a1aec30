package no.personvern.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an entry: SHA-256 over its length-prefixed fields ({@code <bytes>:<UTF-8>}: seq,
 * time, actor, action, subject pseudonym or empty, details) and the previous entry's hash — an
 * unambiguous canonical form. One instance per run on one thread: the digest and the buffer are
 * reused from entry to entry, so that hashing millions of entries allocates next to nothing.
 */
final class ChainHash {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest digest;
    private final byte[] sum = new byte[32];
    private byte[] buffer = new byte[1024];
    private int length;

    ChainHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The hash as stored: 64 lower-case hex digits. */
    String hex(long seq, Instant at, String actor, String action, String subjectRef, String details,
            String previous) {
        compute(seq, at, actor, action, subjectRef, details, previous);
        return HEX.formatHex(sum);
    }

    /** Whether {@code stored} is the hash of these fields, compared without building its text. */
    boolean matches(String stored, long seq, Instant at, String actor, String action, String subjectRef,
            String details, String previous) {
        if (stored == null || stored.length() != 64) {
            return false;
        }
        compute(seq, at, actor, action, subjectRef, details, previous);
        for (int i = 0; i < 32; i++) {
            if (stored.charAt(2 * i) != HEX.toHighHexDigit(sum[i]) || stored.charAt(2 * i + 1) != HEX.toLowHexDigit(sum[i])) {
                return false;
            }
        }
        return true;
    }

    private void compute(long seq, Instant at, String actor, String action, String subjectRef, String details,
            String previous) {
        length = 0;
        seq(seq);
        field(at.toString());
        field(actor);
        field(action);
        field(subjectRef == null ? "" : subjectRef);
        field(details);
        field(previous);
        digest.update(buffer, 0, length);
        try {
            digest.digest(sum, 0, sum.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    private void seq(long seq) {
        if (seq < 0) {
            field(Long.toString(seq));
            return;
        }
        int digits = digits(seq);
        decimal(digits);
        put((byte) ':');
        decimal(seq);
    }

    /** ASCII text (nearly every field) is copied byte by byte; anything else goes through the encoder. */
    private void field(String text) {
        int chars = text.length();
        boolean ascii = true;
        for (int i = 0; i < chars && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (ascii) {
            decimal(chars);
            put((byte) ':');
            room(chars);
            for (int i = 0; i < chars; i++) {
                buffer[length++] = (byte) text.charAt(i);
            }
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            decimal(bytes.length);
            put((byte) ':');
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }
    }

    /** A non-negative number in decimal digits. */
    private void decimal(long value) {
        int digits = digits(value);
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            buffer[i] = DIGITS[(int) (value % 10)];
            value /= 10;
        }
        length += digits;
    }

    private static int digits(long value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private void put(byte b) {
        room(1);
        buffer[length++] = b;
    }

    private void room(int more) {
        if (length + more > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
