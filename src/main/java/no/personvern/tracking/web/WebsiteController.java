package no.personvern.tracking.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.tracking.CookieChoices;
import no.personvern.tracking.internal.ChoiceCookies;
import no.personvern.tracking.internal.Tracking;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The company's web pages talk to these: the banner's choice, the pixel, and the statistics. */
@RestController
class WebsiteController {

    static final String CONSENT_COOKIE = CookieChoices.COOKIE;
    static final String VISIT_COOKIE = ChoiceCookies.VISIT_COOKIE;
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /** The banner's two optional categories; any other name is collected to be refused, never ignored. */
    static final class Choices {
        private Boolean statistics;
        private Boolean marketing;
        private final Map<String, Object> others = new LinkedHashMap<>();

        public Boolean getStatistics() {
            return statistics;
        }

        public void setStatistics(Boolean statistics) {
            this.statistics = statistics;
        }

        public Boolean getMarketing() {
            return marketing;
        }

        public void setMarketing(Boolean marketing) {
            this.marketing = marketing;
        }

        @JsonAnySetter
        void other(String name, Object value) {
            others.put(name, value);
        }

        Boolean statistics() {
            return statistics;
        }

        Boolean marketing() {
            return marketing;
        }
    }

    record ChoiceRequest(Choices choices) {
    }

    record ChoiceResponse(boolean statistics, boolean marketing, List<UUID> receiptIds, String noticeVersion) {
    }

    record PageViews(long total, List<Tracking.DayViews> byDay) {
    }

    record Campaigns(List<Tracking.CampaignHits> campaigns) {
    }

    private final Tracking tracking;
    private final ChoiceCookies cookies;

    WebsiteController(Tracking tracking, ChoiceCookies cookies) {
        this.tracking = tracking;
        this.cookies = cookies;
    }

    @PostMapping("/api/v1/public/cookie-consent")
    ResponseEntity<ChoiceResponse> choose(@RequestBody ChoiceRequest request,
            @CookieValue(name = CONSENT_COOKIE, required = false) String existing,
            @RequestHeader(name = "Sec-GPC", required = false) String gpc, HttpServletRequest http) {
        Problems.Violations invalid = Problems.violations();
        invalid.require(request.choices() == null || request.choices().statistics() != null, "choices.statistics",
                "true or false is required");
        invalid.require(request.choices() == null || request.choices().marketing() != null, "choices.marketing",
                "true or false is required");
        invalid.require(request.choices() != null, "choices",
                "choices.statistics and choices.marketing (true or false) are required");
        if (request.choices() != null) {
            // The banner's categories are necessary, statistics and marketing: nothing else can be granted.
            request.choices().others.keySet().forEach(name -> invalid.reject("choices." + Problems.shown(name),
                    "not a category of the banner: only statistics and marketing can be chosen"));
        }
        invalid.throwIfAny();
        Tracking.Chosen chosen = tracking.choose(existing, request.choices().statistics(),
                request.choices().marketing(), "1".equals(gpc));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.SET_COOKIE, cookies.setCookies(chosen, http.isSecure()).toArray(String[]::new))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        return response.body(new ChoiceResponse(chosen.statistics(), chosen.marketing(), chosen.receiptIds(),
                chosen.noticeVersion()));
    }

    @GetMapping(path = "/t.gif", produces = MediaType.IMAGE_GIF_VALUE)
    ResponseEntity<byte[]> pixel(@RequestParam(name = "e", required = false) String event,
            @RequestParam(name = "p", required = false) String path,
            @RequestParam(name = "c", required = false) String campaign,
            @CookieValue(name = CONSENT_COOKIE, required = false) String consent,
            @CookieValue(name = VISIT_COOKIE, required = false) String visit,
            @RequestHeader(name = "Sec-GPC", required = false) String gpc,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent,
            HttpServletRequest http) {
        Tracking.PixelResult result = tracking.pixel(event, path, campaign, consent, visit, "1".equals(gpc),
                http.getRemoteAddr(), userAgent);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.IMAGE_GIF)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (result.visitCookie() != null) {
            response.header(HttpHeaders.SET_COOKIE, cookies.visitCookie(result.visitCookie(), http.isSecure()));
        }
        return response.body(GIF);
    }

    @GetMapping("/api/v1/stats/pageviews")
    @PreAuthorize("hasAuthority('stats:read')")
    PageViews pageViews(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        LocalDate end = to == null ? LocalDate.now() : to;
        List<Tracking.DayViews> days = tracking.pageViews(from == null ? end.minusDays(30) : from, end);
        return new PageViews(days.stream().mapToLong(Tracking.DayViews::views).sum(), days);
    }

    @GetMapping("/api/v1/stats/campaigns")
    @PreAuthorize("hasAuthority('stats:read')")
    Campaigns campaigns(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        LocalDate end = to == null ? LocalDate.now() : to;
        return new Campaigns(tracking.campaigns(from == null ? end.minusDays(30) : from, end));
    }
}
