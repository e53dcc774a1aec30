package no.personvern.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for requests that {@code java.net.http} refuses to send (a raw
 * {@code ..} segment, an illegal character, a header of any size) and for bodies sent piece by
 * piece. Each call opens its own connection and asks the server to close it.
 */
public final class RawHttp {

    private final int port;
    private final InetAddress local;

    public RawHttp(int port) {
        this(port, null);
    }

    /** Connections from {@code local} (an address of this machine, e.g. 127.0.0.2), not the default one. */
    public RawHttp(int port, InetAddress local) {
        this.port = port;
        this.local = local;
    }

    /** Sends the head (request line and headers, CRLF-separated, without the blank line) and a body. */
    public Response send(String head, byte[] body) {
        return exchange(head, out -> {
            if (body != null) {
                out.write(body);
            }
        });
    }

    /**
     * Sends the head with {@code Transfer-Encoding: chunked} and then {@code chunks} chunks of
     * {@code chunkSize} bytes, never the terminating chunk, and reads whatever the server answers.
     * A server that stops reading is not waited for: a failed write ends the sending.
     */
    public Response sendChunkedWithoutEnd(String head, int chunkSize, int chunks, byte fill) {
        return sendChunkedWithoutEnd(head, "", chunkSize, chunks, fill);
    }

    /** As above, with {@code opening} as the first chunk: e.g. a JSON document opened up to a string value. */
    public Response sendChunkedWithoutEnd(String head, String opening, int chunkSize, int chunks, byte fill) {
        return exchange(head + "\r\nTransfer-Encoding: chunked", out -> {
            byte[] data = new byte[chunkSize];
            Arrays.fill(data, fill);
            byte[] size = (Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                byte[] first = opening.getBytes(StandardCharsets.UTF_8);
                if (first.length > 0) {
                    out.write((Integer.toHexString(first.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(first);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                for (int i = 0; i < chunks; i++) {
                    out.write(size);
                    out.write(data);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closedByServer) {
                // the server answered and closed early: read what it said
            }
        });
    }

    private Response exchange(String head, BodyWriter body) {
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            // A head that names its own Host (a test of what a forged one does) keeps it.
            boolean hostGiven = head.toLowerCase(java.util.Locale.ROOT).contains("\r\nhost:");
            String fullHead = head + (hostGiven ? "" : "\r\nHost: localhost:" + port) + "\r\nConnection: close\r\n\r\n";
            out.write(fullHead.getBytes(StandardCharsets.ISO_8859_1));
            body.write(out);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; !complete(all.toByteArray()) && (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | SocketException endOfWhatCameBack) {
            // a server that keeps the connection open, or resets it after answering
        }
        byte[] bytes = all.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** A whole response has come: the server may go on draining the request body before it closes. */
    private static boolean complete(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        Matcher length = Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            return received.length - end - 4 >= Long.parseLong(length.group(1));
        }
        return head.contains("\r\ntransfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = text.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }

    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
