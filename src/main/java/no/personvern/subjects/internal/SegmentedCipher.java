package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Streams a document through AES-256-GCM in 64 KiB segments, so neither encryption nor decryption
 * holds a whole file in memory (the JDK's GCM would buffer a whole ciphertext before releasing
 * plaintext). Each segment has its own random nonce; its AAD binds the document id, the segment
 * number and whether it is the last, so segments cannot be reordered, swapped or cut off.
 * Layout: {@code "PVD1"} then, per segment, {@code nonce (12) | ciphertext | tag (16)}.
 */
final class SegmentedCipher {

    static final int SEGMENT = 64 * 1024;
    private static final byte[] MAGIC = "PVD1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = Crypto.TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedCipher() {
    }

    /** Thrown when the plaintext exceeds {@code limit} bytes; nothing complete was written. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("upload exceeds the size limit");
        }
    }

    /** Encrypts {@code in} to {@code out}; returns the number of plaintext bytes. */
    static long encrypt(SecretKey key, UUID documentId, InputStream in, OutputStream out, long limit)
            throws IOException {
        out.write(MAGIC);
        byte[] current = new byte[SEGMENT];
        byte[] next = new byte[SEGMENT];
        int currentLength = in.readNBytes(current, 0, SEGMENT);
        long total = currentLength;
        long index = 0;
        while (true) {
            int nextLength = currentLength < SEGMENT ? 0 : in.readNBytes(next, 0, SEGMENT);
            total += nextLength;
            if (total > limit) {
                throw new TooLargeException();
            }
            boolean last = nextLength == 0;
            out.write(sealSegment(key, documentId, index++, last, current, currentLength));
            if (last) {
                return total;
            }
            byte[] swap = current;
            current = next;
            next = swap;
            currentLength = nextLength;
        }
    }

    /**
     * An output stream that encrypts what is written to it into {@code out}, segment by segment; a
     * full segment is sealed only once more data follows, so the last one is always marked last.
     */
    static OutputStream encrypting(SecretKey key, UUID documentId, OutputStream out) throws IOException {
        out.write(MAGIC);
        return new OutputStream() {
            private final byte[] buffer = new byte[SEGMENT];
            private int length;
            private long index;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int count) throws IOException {
                while (count > 0) {
                    if (length == SEGMENT) {
                        out.write(sealSegment(key, documentId, index++, false, buffer, length));
                        length = 0;
                    }
                    int take = Math.min(count, SEGMENT - length);
                    System.arraycopy(bytes, offset, buffer, length, take);
                    length += take;
                    offset += take;
                    count -= take;
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    out.write(sealSegment(key, documentId, index++, true, buffer, length));
                    out.close();
                }
            }
        };
    }

    static void decrypt(SecretKey key, UUID documentId, InputStream in, OutputStream out) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an encrypted document");
        }
        int segmentBytes = Crypto.NONCE_BYTES + SEGMENT + TAG_BYTES;
        byte[] current = new byte[segmentBytes];
        byte[] next = new byte[segmentBytes];
        int currentLength = in.readNBytes(current, 0, segmentBytes);
        long index = 0;
        while (true) {
            int nextLength = currentLength < segmentBytes ? 0 : in.readNBytes(next, 0, segmentBytes);
            boolean last = nextLength == 0;
            out.write(openSegment(key, documentId, index++, last, current, currentLength));
            if (last) {
                return;
            }
            byte[] swap = current;
            current = next;
            next = swap;
            currentLength = nextLength;
        }
    }

    private static byte[] sealSegment(SecretKey key, UUID documentId, long index, boolean last, byte[] plain,
            int length) {
        byte[] nonce = new byte[Crypto.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Crypto.TAG_BITS, nonce));
            cipher.updateAAD(aad(documentId, index, last));
            byte[] sealed = cipher.doFinal(plain, 0, length);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static byte[] openSegment(SecretKey key, UUID documentId, long index, boolean last, byte[] segment,
            int length) throws IOException {
        if (length < Crypto.NONCE_BYTES + TAG_BYTES) {
            throw new IOException("truncated document segment " + index);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Crypto.TAG_BITS, segment, 0, Crypto.NONCE_BYTES));
            cipher.updateAAD(aad(documentId, index, last));
            return cipher.doFinal(segment, Crypto.NONCE_BYTES, length - Crypto.NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IOException("document segment " + index + " fails authentication: altered or wrong key", e);
        }
    }

    private static byte[] aad(UUID documentId, long index, boolean last) {
        return (documentId + "|" + index + "|" + (last ? "last" : "more")).getBytes(StandardCharsets.US_ASCII);
    }
}
