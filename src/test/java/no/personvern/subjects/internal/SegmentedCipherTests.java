package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Documents streamed through AES-256-GCM in 64 KiB segments bound to document, position and end. */
class SegmentedCipherTests {

    private static final int MAGIC_BYTES = 4;
    private static final int FULL_SEGMENT = Crypto.NONCE_BYTES + SegmentedCipher.SEGMENT + Crypto.TAG_BITS / 8;
    private static final int OVERHEAD = Crypto.NONCE_BYTES + Crypto.TAG_BITS / 8;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private final SecretKey key = Crypto.newKey();
    private final UUID documentId = UUID.randomUUID();

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = { 1, 100, 65_536, 65_537, 3 * 65_536, 200_000 })
    void aDocumentRoundTripsAndItsPlaintextSizeIsReturned(int size) throws IOException {
        byte[] plaintext = random(size);
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();

        long returned = SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(plaintext), ciphertext,
                NO_LIMIT);

        assertThat(returned).isEqualTo(size);
        int segments = Math.max(1, (size + SegmentedCipher.SEGMENT - 1) / SegmentedCipher.SEGMENT);
        assertThat(ciphertext.size()).isEqualTo(MAGIC_BYTES + size + segments * OVERHEAD);
        assertThat(decrypt(documentId, ciphertext.toByteArray())).isEqualTo(plaintext);
    }

    @Test
    void anEmptyDocumentIsOneAuthenticatedEmptySegmentAndDecryptsToNothing() throws IOException {
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();

        long returned = SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(new byte[0]), ciphertext,
                NO_LIMIT);

        assertThat(returned).isZero();
        assertThat(ciphertext.size()).isEqualTo(MAGIC_BYTES + OVERHEAD);
        assertThat(decrypt(documentId, ciphertext.toByteArray())).isEmpty();
    }

    @Test
    void anEmptyDocumentCannotBeForgedByDroppingItsSegment() {
        byte[] ciphertext = encrypt(new byte[0]);
        byte[] magicOnly = Arrays.copyOf(ciphertext, MAGIC_BYTES);

        assertThatThrownBy(() -> decrypt(documentId, magicOnly)).isInstanceOf(IOException.class);
    }

    @Test
    void theCiphertextStartsWithTheMagicHeader() {
        byte[] ciphertext = encrypt(random(10));

        assertThat(Arrays.copyOf(ciphertext, MAGIC_BYTES)).isEqualTo("PVD1".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void theCiphertextNeverContainsThePlaintext() {
        byte[] plaintext = recognisableText(150 * 1024);
        byte[] ciphertext = encrypt(plaintext);

        for (int start = 0; start + 32 <= 1024; start += 8) {
            byte[] window = Arrays.copyOfRange(plaintext, start, start + 32);
            assertThat(indexOf(ciphertext, window)).as("32-byte plaintext window at %d", start).isEqualTo(-1);
        }
    }

    @Test
    void encryptingTheSamePlaintextTwiceGivesDifferentCiphertexts() {
        byte[] plaintext = recognisableText(1000);

        assertThat(encrypt(plaintext)).isNotEqualTo(encrypt(plaintext));
    }

    @Test
    void moreThanTheLimitIsRefused() {
        int limit = 100_000;
        byte[] plaintext = random(limit + 1);

        assertThatThrownBy(() -> SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(plaintext),
                new ByteArrayOutputStream(), limit)).isInstanceOf(SegmentedCipher.TooLargeException.class);
    }

    @Test
    void moreThanTheLimitIsRefusedWithinTheFirstSegment() {
        byte[] plaintext = random(101);

        assertThatThrownBy(() -> SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(plaintext),
                new ByteArrayOutputStream(), 100)).isInstanceOf(SegmentedCipher.TooLargeException.class);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = { 100, 65_536, 100_000 })
    void exactlyTheLimitIsAccepted(int limit) throws IOException {
        byte[] plaintext = random(limit);
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();

        long returned = SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(plaintext), ciphertext,
                limit);

        assertThat(returned).isEqualTo(limit);
        assertThat(decrypt(documentId, ciphertext.toByteArray())).isEqualTo(plaintext);
    }

    @Test
    void aTamperedSegmentFailsAuthentication() {
        byte[] ciphertext = encrypt(random(200_000));
        int middleOfSecondSegment = MAGIC_BYTES + FULL_SEGMENT + FULL_SEGMENT / 2;
        ciphertext[middleOfSecondSegment] ^= 0x01;

        assertThatThrownBy(() -> decrypt(documentId, ciphertext)).isInstanceOf(IOException.class);
    }

    @Test
    void aTamperedNonceOrTagFailsAuthentication() throws IOException {
        byte[] ciphertext = encrypt(random(200_000));
        int[] positions = { MAGIC_BYTES, MAGIC_BYTES + FULL_SEGMENT - 1, ciphertext.length - 1 };
        for (int position : positions) {
            byte[] tampered = ciphertext.clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> decrypt(documentId, tampered)).as("byte %d", position)
                    .isInstanceOf(IOException.class);
        }
        assertThat(decrypt(documentId, ciphertext)).hasSize(200_000);
    }

    @Test
    void aDocumentCutAfterAFullSegmentFailsBecauseItsNewLastSegmentIsNotMarkedLast() {
        byte[] ciphertext = encrypt(random(200_000));
        // 200 000 bytes = 3 full segments + 3 392 bytes; drop the short fourth segment
        int withoutLastSegment = MAGIC_BYTES + 3 * FULL_SEGMENT;
        assertThat(ciphertext.length).isEqualTo(withoutLastSegment + 200_000 - 3 * 65_536 + OVERHEAD);
        byte[] truncated = Arrays.copyOf(ciphertext, withoutLastSegment);

        assertThatThrownBy(() -> decrypt(documentId, truncated)).isInstanceOf(IOException.class);
    }

    @Test
    void aDocumentOfFullSegmentsCutByItsLastSegmentFails() {
        byte[] ciphertext = encrypt(random(3 * 65_536));
        assertThat(ciphertext).hasSize(MAGIC_BYTES + 3 * FULL_SEGMENT);
        byte[] truncated = Arrays.copyOf(ciphertext, MAGIC_BYTES + 2 * FULL_SEGMENT);

        assertThatThrownBy(() -> decrypt(documentId, truncated)).isInstanceOf(IOException.class);
    }

    @Test
    void aDocumentCutInsideASegmentFails() {
        byte[] ciphertext = encrypt(random(200_000));
        byte[] truncated = Arrays.copyOf(ciphertext, ciphertext.length - 100);

        assertThatThrownBy(() -> decrypt(documentId, truncated)).isInstanceOf(IOException.class);
    }

    @Test
    void swappedSegmentsFail() {
        byte[] ciphertext = encrypt(random(200_000));
        byte[] swapped = ciphertext.clone();
        System.arraycopy(ciphertext, MAGIC_BYTES, swapped, MAGIC_BYTES + FULL_SEGMENT, FULL_SEGMENT);
        System.arraycopy(ciphertext, MAGIC_BYTES + FULL_SEGMENT, swapped, MAGIC_BYTES, FULL_SEGMENT);
        assertThat(swapped).isNotEqualTo(ciphertext);

        assertThatThrownBy(() -> decrypt(documentId, swapped)).isInstanceOf(IOException.class);
    }

    @Test
    void aSegmentFromAnotherDocumentFails() throws IOException {
        byte[] plaintext = random(200_000);
        byte[] ours = encrypt(plaintext);
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        SegmentedCipher.encrypt(key, UUID.randomUUID(), new ByteArrayInputStream(plaintext), other, NO_LIMIT);
        byte[] spliced = ours.clone();
        System.arraycopy(other.toByteArray(), MAGIC_BYTES + FULL_SEGMENT, spliced, MAGIC_BYTES + FULL_SEGMENT,
                FULL_SEGMENT);

        assertThatThrownBy(() -> decrypt(documentId, spliced)).isInstanceOf(IOException.class);
        assertThat(decrypt(documentId, ours)).isEqualTo(plaintext);
    }

    @Test
    void decryptingUnderAnotherDocumentIdFails() {
        byte[] ciphertext = encrypt(random(1000));

        assertThatThrownBy(() -> decrypt(UUID.randomUUID(), ciphertext)).isInstanceOf(IOException.class);
    }

    @Test
    void decryptingWithAnotherKeyFails() {
        byte[] ciphertext = encrypt(random(1000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> SegmentedCipher.decrypt(Crypto.newKey(), documentId,
                new ByteArrayInputStream(ciphertext), out)).isInstanceOf(IOException.class);
    }

    @Test
    void aWrongMagicHeaderFails() {
        byte[] ciphertext = encrypt(random(1000));
        ciphertext[3] = '2';

        assertThatThrownBy(() -> decrypt(documentId, ciphertext)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an encrypted document");
    }

    @Test
    void anEmptyInputIsNotADocument() {
        assertThatThrownBy(() -> decrypt(documentId, new byte[0])).isInstanceOf(IOException.class);
    }

    private byte[] encrypt(byte[] plaintext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SegmentedCipher.encrypt(key, documentId, new ByteArrayInputStream(plaintext), out, NO_LIMIT);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private byte[] decrypt(UUID id, byte[] ciphertext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentedCipher.decrypt(key, id, new ByteArrayInputStream(ciphertext), out);
        return out.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** A 1 KB text that is easy to spot, repeated to {@code size} bytes. */
    private static byte[] recognisableText(int size) {
        StringBuilder block = new StringBuilder();
        for (int line = 0; block.length() < 1024; line++) {
            block.append("Kari Nordmann, Storgata ").append(line).append(", 0155 Oslo, kari.nordmann@example.no\n");
        }
        byte[] unit = block.substring(0, 1024).getBytes(StandardCharsets.US_ASCII);
        byte[] text = new byte[size];
        for (int i = 0; i < size; i++) {
            text[i] = unit[i % unit.length];
        }
        return text;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
