package no.personvern.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reused hasher computes exactly the canonical form every existing chain was hashed with. */
class ChainHashTests {

    @Test
    void theReusedHasherAgreesWithTheCanonicalFormOnEveryKindOfField() throws Exception {
        Random random = new Random(17);
        ChainHash hasher = new ChainHash();
        String previous = "0".repeat(64);
        String[] texts = {"", "system", "token:00000000-0000-0000-0000-000000000001", "{\"n\":1}",
            "{\"reason\":\"Æble på øya — ünïcode\"}", "{\"emoji\":\"\uD83D\uDD12\"}", "x".repeat(3000)};
        for (int i = 0; i < 2_000; i++) {
            long seq = i < 10 ? new long[] {1, 9, 10, 99, 100, 999_999, 1_000_000, Long.MAX_VALUE, 0, 42}[i]
                    : 1 + random.nextLong(10_000_000_000L);
            Instant at = Instant.ofEpochSecond(random.nextLong(4_000_000_000L), random.nextInt(1_000_000_000))
                    .truncatedTo(i % 3 == 0 ? ChronoUnit.SECONDS : i % 3 == 1 ? ChronoUnit.MILLIS : ChronoUnit.MICROS);
            String actor = texts[random.nextInt(texts.length)];
            String action = texts[random.nextInt(texts.length)];
            String subjectRef = i % 4 == 0 ? null : texts[random.nextInt(texts.length)];
            String details = texts[random.nextInt(texts.length)] + i;
            String expected = canonical(seq, at, actor, action, subjectRef, details, previous);

            assertThat(hasher.hex(seq, at, actor, action, subjectRef, details, previous)).isEqualTo(expected);
            assertThat(hasher.matches(expected, seq, at, actor, action, subjectRef, details, previous)).isTrue();
            assertThat(hasher.matches(expected, seq, at, actor, action, subjectRef, details + " ", previous)).isFalse();
            assertThat(hasher.matches(expected.toUpperCase(), seq, at, actor, action, subjectRef, details, previous))
                    .isFalse();
            previous = expected;
        }
    }

    @Test
    void aFieldMovedAcrossABoundaryChangesTheHash() {
        ChainHash hasher = new ChainHash();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        String previous = "0".repeat(64);
        assertThat(hasher.hex(1, at, "ab", "c", null, "{}", previous))
                .isNotEqualTo(hasher.hex(1, at, "a", "bc", null, "{}", previous))
                .isNotEqualTo(hasher.hex(1, at, "ab", "c", "", "{} ", previous));
        assertThat(hasher.matches("short", 1, at, "ab", "c", null, "{}", previous)).isFalse();
        assertThat(hasher.matches(null, 1, at, "ab", "c", null, "{}", previous)).isFalse();
    }

    /** The form as first written: each field's UTF-8 bytes prefixed by their count and a colon. */
    private static String canonical(long seq, Instant at, String actor, String action, String subjectRef,
            String details, String previous) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String field : new String[] {Long.toString(seq), at.toString(), actor, action,
            subjectRef == null ? "" : subjectRef, details, previous}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
