package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import no.personvern.Refusal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SPEC 4: request bodies are bounded — by default 16 KiB on the public endpoints (64 KiB for the
 * privacy centre's form posts, see {@link #PAGE_LIMIT}), 4 MiB elsewhere — and larger is a 413 problem
 * (for a page's post, a page in the person's language). A declared {@code Content-Length} over the limit is refused before
 * anything is read; a body without one (chunked) is counted while it is read and refused at the
 * first byte past the limit, so no more than the limit is ever held. Multipart uploads to the
 * staff API (documents) are streamed under their own limit and pass.
 */
class BodyLimit extends OncePerRequestFilter {

    private final RequestMatcher publicPaths;
    private final long publicLimit;
    private final long limit;
    private final ProblemWriter problems;

    BodyLimit(RequestMatcher publicPaths, DataSize publicLimit, DataSize limit, ProblemWriter problems) {
        this.publicPaths = publicPaths;
        this.publicLimit = publicLimit.toBytes();
        this.limit = limit.toBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean isPublic = publicPaths.matches(request);
        if (!isPublic && isMultipart(request)) {
            chain.doFilter(request, response);
            return;
        }
        long max = isPublic ? isPagePost(request) ? Math.max(publicLimit, PAGE_LIMIT) : publicLimit : limit;
        long declared = request.getContentLengthLong();
        if (declared > max) {
            problems.writeOrPage(request, response, HttpStatus.CONTENT_TOO_LARGE, detail(max));
            return;
        }
        if (declared >= 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            // Tomcat never reads past a declared length, and without one or a transfer coding there is no body.
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(new Limited(request, max), response);
        } catch (TooLarge tooLarge) {
            // read outside Spring MVC (whose error handling answers it otherwise)
            if (!response.isCommitted()) {
                response.reset();
                problems.writeOrPage(request, response, HttpStatus.CONTENT_TOO_LARGE, detail(max));
            }
        }
    }

    /**
     * The privacy centre's forms: a message of 4000 characters in another script takes up to 48 KB
     * form-encoded, so their own limits (a field error in the person's language) apply first.
     */
    static final long PAGE_LIMIT = 64 * 1024;

    private static boolean isPagePost(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().startsWith("/privacy-center/");
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase().startsWith(MediaType.MULTIPART_FORM_DATA_VALUE);
    }

    static String detail(long max) {
        String size = max % (1 << 20) == 0 ? (max >> 20) + " MiB"
                : max % (1 << 10) == 0 ? (max >> 10) + " KiB" : max + " bytes";
        return "The request body is larger than the " + size + " this endpoint accepts.";
    }

    /** Raised by a read past the limit; the problem advice answers it as a 413. */
    static final class TooLarge extends Refusal {

        TooLarge(long max) {
            super(Kind.TOO_LARGE, "Request body too large", BodyLimit.detail(max), (String) null);
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {

        private final ServletInputStream in;

        Limited(HttpServletRequest request, long max) throws IOException {
            super(request);
            this.in = new LimitedInputStream(request.getInputStream(), max);
        }

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(in, charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long max;
        private long read;

        LimitedInputStream(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never more than one byte past the limit: enough to know it was passed
            int n = in.read(buffer, offset, (int) Math.min(length, max - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
