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
 * Serves the consent banner script {@code /consent.js} and its stylesheet {@code /consent.css}, each
 * versioned by the hash of its content. The script offers only the categories the catalog declares
 * an activity for (see {@link Tracking#offered()}), and links the stylesheet by its version, so a
 * page with a strict Content-Security-Policy needs to allow only Personvern's origin.
 */
@RestController
class ConsentScriptController {

    private static final String SCRIPT = "tracking/consent.js";
    private static final String STYLESHEET = "tracking/consent.css";
    private static final String PLACEHOLDER = "__PV_VERSION__";
    private static final String CSS_PLACEHOLDER = "__PV_CSS_VERSION__";
    private static final String OFFERED = "__PV_OFFERED__";
    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);
    private static final MediaType CSS = new MediaType("text", "css", StandardCharsets.UTF_8);
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String HOURLY = "public, max-age=3600";

    /** One served file: its bytes, its version (the start of their hash) and its entity tag. */
    private record Asset(byte[] body, String version, String etag, MediaType type) {

        static Asset of(String content, String placeholder, MediaType type) {
            String version = HexFormat.of().formatHex(sha256(content.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
            byte[] body = (placeholder == null ? content : content.replace(placeholder, version))
                    .getBytes(StandardCharsets.UTF_8);
            return new Asset(body, version, "\"" + version + "\"", type);
        }
    }

    private final Asset script;
    private final Asset stylesheet;

    ConsentScriptController(Tracking tracking) {
        Tracking.Offered offered = tracking.offered();
        this.stylesheet = Asset.of(read(STYLESHEET), null, CSS);
        this.script = Asset.of(read(SCRIPT).replace(OFFERED, "{\"statistics\":" + offered.statistics()
                + ",\"marketing\":" + offered.marketing() + "}").replace(CSS_PLACEHOLDER, stylesheet.version()),
                PLACEHOLDER, JAVASCRIPT);
    }

    @Operation(summary = "The consent banner script (public); with ?v=<version> it may be cached for a year")
    @GetMapping("/consent.js")
    ResponseEntity<byte[]> script(@RequestParam(name = "v", required = false) String requested,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return serve(script, requested, ifNoneMatch);
    }

    @Operation(summary = "The consent banner's stylesheet (public), linked by the script with ?v=<version>")
    @GetMapping("/consent.css")
    ResponseEntity<byte[]> stylesheet(@RequestParam(name = "v", required = false) String requested,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return serve(stylesheet, requested, ifNoneMatch);
    }

    private static ResponseEntity<byte[]> serve(Asset asset, String requested, String ifNoneMatch) {
        // A URL naming the current version always gets these exact bytes, so it may be cached for good.
        String cache = asset.version().equals(requested) ? IMMUTABLE : HOURLY;
        if (matches(asset, ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(asset.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cache).header("X-Personvern-Version", asset.version()).build();
        }
        return ResponseEntity.ok().contentType(asset.type()).eTag(asset.etag())
                .header(HttpHeaders.CACHE_CONTROL, cache).header("X-Personvern-Version", asset.version())
                .body(asset.body());
    }

    private static boolean matches(Asset asset, String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(asset.etag())) {
                return true;
            }
        }
        return false;
    }

    private static String read(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The consent banner's " + resource + " is missing", e);
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
