package no.personvern.tracking.web;

import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import no.personvern.tracking.internal.Tracking;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the consent banner script {@code /consent.js}, versioned by the hash of its content. The
 * script offers only the categories the catalog declares an activity for (see {@link Tracking#offered()}).
 */
@RestController
class ConsentScriptController {

    private static final String RESOURCE = "tracking/consent.js";
    private static final String PLACEHOLDER = "__PV_VERSION__";
    private static final String OFFERED = "__PV_OFFERED__";
    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String HOURLY = "public, max-age=3600";

    private final String version;
    private final String etag;
    private final byte[] body;

    ConsentScriptController(Tracking tracking) {
        Tracking.Offered offered = tracking.offered();
        String script = new String(read(), StandardCharsets.UTF_8).replace(OFFERED, "{\"statistics\":"
                + offered.statistics() + ",\"marketing\":" + offered.marketing() + "}");
        this.version = HexFormat.of().formatHex(sha256(script.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        this.etag = "\"" + version + "\"";
        this.body = script.replace(PLACEHOLDER, version).getBytes(StandardCharsets.UTF_8);
    }

    @Operation(summary = "The consent banner script (public); with ?v=<version> it may be cached for a year")
    @GetMapping("/consent.js")
    ResponseEntity<byte[]> script(@RequestParam(name = "v", required = false) String requested,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        // A URL naming the current version always gets these exact bytes, so it may be cached for good.
        String cache = version.equals(requested) ? IMMUTABLE : HOURLY;
        if (matches(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag)
                    .header(HttpHeaders.CACHE_CONTROL, cache).header("X-Personvern-Version", version).build();
        }
        return ResponseEntity.ok().contentType(JAVASCRIPT).eTag(etag)
                .header(HttpHeaders.CACHE_CONTROL, cache).header("X-Personvern-Version", version).body(body);
    }

    private boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The consent banner script " + RESOURCE + " is missing", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
