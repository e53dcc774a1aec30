package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-256-GCM seal/open, HMAC-SHA256 and HKDF-SHA256 against the RFC test vectors and tampering. */
class CryptoTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] AAD = "subject|42".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAINTEXT = "Kari Nordmann, +4791234567".getBytes(StandardCharsets.UTF_8);

    private static byte[] repeated(int count, int value) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] ikm = repeated(22, 0x0b);
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        byte[] okm = Crypto.hkdf(ikm, salt, info, 42);

        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void hkdfWithEmptySaltAndInfoMatchesRfc5869TestCase3() {
        byte[] ikm = repeated(22, 0x0b);

        byte[] okm = Crypto.hkdf(ikm, new byte[0], new byte[0], 42);

        assertThat(HEX.formatHex(okm)).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void hkdfTreatsAnEmptySaltAsHashLenZeros() {
        byte[] ikm = repeated(22, 0x0b);
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        assertThat(Crypto.hkdf(ikm, new byte[0], info, 42)).isEqualTo(Crypto.hkdf(ikm, new byte[32], info, 42));
    }

    @Test
    void hkdfOutputDependsOnTheInfo() {
        byte[] ikm = repeated(22, 0x0b);
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");

        assertThat(Crypto.hkdf(ikm, salt, "a".getBytes(StandardCharsets.US_ASCII), 32))
                .isNotEqualTo(Crypto.hkdf(ikm, salt, "b".getBytes(StandardCharsets.US_ASCII), 32));
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase2() {
        byte[] mac = Crypto.hmac("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));

        assertThat(HEX.formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aSealedValueOpensToThePlaintext() {
        SecretKey key = Crypto.newKey();

        byte[] sealed = Crypto.seal(key, PLAINTEXT, AAD);

        assertThat(Crypto.open(key, sealed, AAD)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aSealedValueIsVersionNonceCiphertextAndTag() {
        byte[] sealed = Crypto.seal(Crypto.newKey(), PLAINTEXT, AAD);

        assertThat(sealed).hasSize(1 + Crypto.NONCE_BYTES + PLAINTEXT.length + Crypto.TAG_BITS / 8);
        assertThat(sealed[0]).isEqualTo((byte) 1);
    }

    @Test
    void anEmptyPlaintextRoundTrips() {
        SecretKey key = Crypto.newKey();

        byte[] sealed = Crypto.seal(key, new byte[0], AAD);

        assertThat(sealed).hasSize(1 + Crypto.NONCE_BYTES + Crypto.TAG_BITS / 8);
        assertThat(Crypto.open(key, sealed, AAD)).isEmpty();
    }

    @Test
    void theCiphertextDoesNotContainThePlaintext() {
        byte[] sealed = Crypto.seal(Crypto.newKey(), PLAINTEXT, AAD);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(PLAINTEXT, StandardCharsets.ISO_8859_1));
    }

    @Test
    void sealingTheSamePlaintextTwiceGivesDifferentValuesWithDifferentNonces() {
        SecretKey key = Crypto.newKey();

        byte[] first = Crypto.seal(key, PLAINTEXT, AAD);
        byte[] second = Crypto.seal(key, PLAINTEXT, AAD);

        assertThat(first).isNotEqualTo(second);
        assertThat(nonce(first)).isNotEqualTo(nonce(second));
    }

    @Test
    void everySealUsesAFreshNonce() {
        SecretKey key = Crypto.newKey();
        Set<String> nonces = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            nonces.add(HEX.formatHex(nonce(Crypto.seal(key, PLAINTEXT, AAD))));
        }

        assertThat(nonces).hasSize(1000);
    }

    @Test
    void openingWithAnotherKeyFails() {
        byte[] sealed = Crypto.seal(Crypto.newKey(), PLAINTEXT, AAD);
        SecretKey otherKey = Crypto.newKey();

        assertThatThrownBy(() -> Crypto.open(otherKey, sealed, AAD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openingWithOtherAssociatedDataFails() {
        SecretKey key = Crypto.newKey();
        byte[] sealed = Crypto.seal(key, PLAINTEXT, AAD);
        byte[] otherAad = "subject|43".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Crypto.open(key, sealed, otherAad)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Crypto.open(key, sealed, new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Positions in a sealed value of a 26-byte plaintext: 0 version, 1–12 nonce, 13–38 ciphertext,
     * 39–54 tag. Negative positions count from the end.
     */
    @ParameterizedTest(name = "flipping byte {0}")
    @ValueSource(ints = { 0, 1, 6, 12, 13, 20, 38, 39, 46, -1 })
    void flippingAnySingleByteOfASealedValueFailsToOpen(int position) {
        SecretKey key = Crypto.newKey();
        byte[] sealed = Crypto.seal(key, PLAINTEXT, AAD);
        assertThat(sealed).hasSize(55);
        int index = position < 0 ? sealed.length + position : position;
        byte[] tampered = sealed.clone();
        tampered[index] ^= 0x01;

        assertThatThrownBy(() -> Crypto.open(key, tampered, AAD)).isInstanceOf(IllegalStateException.class);
        assertThat(Crypto.open(key, sealed, AAD)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aValueShorterThanVersionNonceAndTagFailsToOpen() {
        SecretKey key = Crypto.newKey();
        byte[] sealed = Crypto.seal(key, new byte[0], AAD);
        byte[] tooShort = Arrays.copyOf(sealed, sealed.length - 1);

        assertThatThrownBy(() -> Crypto.open(key, tooShort, AAD)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Crypto.open(key, new byte[0], AAD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTruncatedTagFailsToOpen() {
        SecretKey key = Crypto.newKey();
        byte[] sealed = Crypto.seal(key, PLAINTEXT, AAD);
        byte[] truncated = Arrays.copyOf(sealed, sealed.length - 1);

        assertThatThrownBy(() -> Crypto.open(key, truncated, AAD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAesKeyMustHave32Bytes() {
        assertThat(Crypto.aesKey(new byte[32]).getEncoded()).hasSize(32);
        assertThatThrownBy(() -> Crypto.aesKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewKeyIsAnAes256Key() {
        SecretKey key = Crypto.newKey();

        assertThat(key.getAlgorithm()).isEqualTo("AES");
        assertThat(key.getEncoded()).hasSize(32);
    }

    private static byte[] nonce(byte[] sealed) {
        return Arrays.copyOfRange(sealed, 1, 1 + Crypto.NONCE_BYTES);
    }
}
