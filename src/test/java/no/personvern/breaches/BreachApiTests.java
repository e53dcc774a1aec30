package no.personvern.breaches;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Multipart;
import no.personvern.testing.People;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The breach register refuses what it cannot record with a problem naming the field, refuses steps
 * out of order with 409, and is closed to tokens without {@code breaches:manage}; a refused call
 * stores nothing. (The flow from recording to closing runs on two catalogs in {@code CatalogFlows}.)
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"personvern.retention.cron=-",
        "personvern.breaches.deadline-check-cron=-"})
class BreachApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String team;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        team = new Tokens(api).issue("breach-team-" + System.nanoTime(), "breaches:manage");
    }

    private static Map<String, Object> valid() {
        return new java.util.LinkedHashMap<>(Map.of("discoveredAt", Instant.now().minusSeconds(3600).toString(),
                "summary", "A laptop with an export was stolen.", "dataCategories", List.of("user.name"),
                "systems", List.of("go"), "measures", "The export's accounts are locked.",
                "likelyConsequences", "Names may be used for phishing."));
    }

    private Api.Response record(Map<String, Object> body, String token) {
        return api.post("/api/v1/breaches", token, Json.write(body));
    }

    private long breaches() {
        return jdbc.sql("SELECT COUNT(*) FROM breach").query(Long.class).single();
    }

    private void refused(String field, Object value, String expectedField) {
        long before = breaches();
        Map<String, Object> body = valid();
        body.put(field, value);
        Api.Response answer = record(body, team);
        assertThat(answer.status()).as(field + " = " + value + ": " + answer.body()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.errorFields()).as(answer.body()).contains(expectedField);
        assertThat(breaches()).as("nothing stored").isEqualTo(before);
    }

    @Test
    void documentsOfTheBreachedCategoryCountTheirPeopleOnceAndTheirRecordsEach() {
        Instant from = Instant.now().minusSeconds(1);
        String person = People.in("go", "service-delivery").email("bilag-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Bilag Bruker").create(api, Api.ADMIN_TOKEN);
        for (int i = 0; i < 2; i++) {
            Api.Response stored = api.postMultipart("/api/v1/subjects/" + person + "/documents", Api.ADMIN_TOKEN,
                    new Multipart().field("kind", "image").field("system", "go-mobile")
                            .file("file", "kvittering.jpg", "image/jpeg", new byte[] {1, 2, 3}));
            assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        }
        Map<String, Object> body = valid();
        body.put("discoveredAt", Instant.now().toString());
        body.put("dataCategories", List.of("user.content"));
        body.put("systems", List.of("go-mobile"));
        body.put("from", from.toString());
        Api.Response recorded = record(body, team);
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        assertThat(recorded.json().get("affected").get("people").asLong()).isEqualTo(1);
        assertThat(recorded.json().get("affected").get("records").asLong()).isEqualTo(2);
        assertThat(recorded.json().get("affected").get("bySystem").get("go-mobile").asLong()).isEqualTo(1);
    }

    @Test
    void unknownCategoriesSystemsAndActivitiesAreRefusedNamingTheField() {
        refused("dataCategories", List.of("user.no_such_thing"), "dataCategories");
        refused("dataCategories", List.of(), "dataCategories");
        refused("systems", List.of("no-such-system"), "systems");
        refused("systems", List.of(), "systems");
        refused("activities", List.of("no-such-activity"), "activities");
        refused("activities", List.of("website-statistics"), "activities");
    }

    @Test
    void malformedFutureAndReversedTimesAreRefusedNamingTheField() {
        refused("discoveredAt", "yesterday", "discoveredAt");
        refused("discoveredAt", null, "discoveredAt");
        refused("discoveredAt", Instant.now().plusSeconds(7200).toString(), "discoveredAt");
        refused("from", "2026-13-45T00:00:00Z", "from");
        refused("to", "not a time", "to");
        refused("from", "-999999999-01-01T00:00:00Z", "from");
        refused("discoveredAt", "1969-12-31T23:59:59Z", "discoveredAt");
        refused("to", "+10000-01-01T00:00:00Z", "to");
        Map<String, Object> reversed = valid();
        reversed.put("from", "2026-02-01T00:00:00Z");
        reversed.put("to", "2026-01-01T00:00:00Z");
        Api.Response answer = record(reversed, team);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorFields()).containsExactly("from");
    }

    @Test
    void missingAndTooLongTextsAreRefusedNamingTheField() {
        refused("summary", "x".repeat(2001), "summary");
        refused("summary", "  ", "summary");
        refused("measures", null, "measures");
        refused("likelyConsequences", "y".repeat(4001), "likelyConsequences");
        Api.Response malformed = api.post("/api/v1/breaches", team, "{\"summary\": ");
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void aTokenWithoutTheBreachScopeIsRefused() {
        String reader = new Tokens(api).issue("reader-" + System.nanoTime(), "subjects:read", "audit:read");
        long before = breaches();
        assertThat(record(valid(), reader).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/breaches", reader).status()).isEqualTo(403);
        assertThat(record(valid(), null).status()).isEqualTo(401);
        assertThat(breaches()).isEqualTo(before);
        assertThat(record(valid(), Api.ADMIN_TOKEN).status()).as("admin implies every scope").isEqualTo(201);
    }

    @Test
    void aBreachIsClosedOnlyOnceAssessedAndUnlessUnlikelyToHarmOnceTheAuthorityIsNotified() {
        String unassessed = record(valid(), team).json().get("id").asString();
        Api.Response open = api.post("/api/v1/breaches/" + unassessed + "/close", team, Json.object("outcome", "x"));
        assertThat(open.status()).isEqualTo(409);
        assertThat(open.json().get("detail").asString()).contains("Assess the risk first");
        assertThat(api.get("/api/v1/breaches/" + unassessed, team).json().get("status").asString()).isEqualTo("open");

        String high = record(valid(), team).json().get("id").asString();
        assertThat(api.post("/api/v1/breaches/" + high + "/assessment", team,
                Json.object("risk", "high", "reasons", "Everything.")).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/breaches/" + high + "/close", team, Json.object("outcome", "x")).status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/breaches/" + high, team).json().get("status").asString()).isEqualTo("assessed");

        String unlikely = record(valid(), team).json().get("id").asString();
        assertThat(api.post("/api/v1/breaches/" + unlikely + "/assessment", team,
                Json.object("risk", "unlikely", "reasons", "Encrypted at rest.")).status()).isEqualTo(200);
        Api.Response closed = api.post("/api/v1/breaches/" + unlikely + "/close", team,
                Json.object("outcome", "Not notifiable: unlikely to result in a risk."));
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().get("status").asString()).isEqualTo("closed");
    }

    @Test
    void stepsOutOfOrderAreConflictsAndBadValuesAreRefused() {
        String id = record(valid(), team).json().get("id").asString();
        String base = "/api/v1/breaches/" + id;
        Api.Response early = api.post(base + "/authority-notification", team,
                Json.object("notifiedAt", Instant.now().toString(), "reference", "DT-1"));
        assertThat(early.status()).as("assess first").isEqualTo(409);
        Api.Response badRisk = api.post(base + "/assessment", team, Json.object("risk", "catastrophic", "reasons", "x"));
        assertThat(badRisk.status()).isEqualTo(422);
        assertThat(badRisk.errorFields()).containsExactly("risk");
        assertThat(api.post(base + "/assessment", team, Json.object("risk", "risk", "reasons", "Names only."))
                .status()).isEqualTo(200);
        Api.Response notHigh = api.post(base + "/people-notification", team, Json.object("lang", "nb"));
        assertThat(notHigh.status()).isEqualTo(409);
        assertThat(notHigh.json().get("detail").asString()).contains("Art. 34(1)", "'risk'");
        Api.Response future = api.post(base + "/authority-notification", team,
                Json.object("notifiedAt", Instant.now().plusSeconds(3600).toString(), "reference", "DT-1"));
        assertThat(future.errorFields()).containsExactly("notifiedAt");
        assertThat(api.post(base + "/authority-notification", team, Json.object("notifiedAt", Instant.now().toString()))
                .errorFields()).containsExactly("reference");
        assertThat(api.get(base + "/report?lang=xx", team).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/breaches/" + java.util.UUID.randomUUID(), team).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/breaches/not-an-id", team).status()).isEqualTo(400);
        Api.Response unnotified = api.post(base + "/close", team, Json.object("outcome", "Nothing more to do."));
        assertThat(unnotified.status()).as("a risk is notified before the breach is closed").isEqualTo(409);
        assertThat(unnotified.json().get("detail").asString()).contains("Art. 33(1)", "'risk'");
        assertThat(api.post(base + "/authority-notification", team,
                Json.object("notifiedAt", Instant.now().toString(), "reference", "DT-1")).status()).isEqualTo(200);
        assertThat(api.post(base + "/close", team, Json.object("outcome", "Notified; nothing more to do.")).status())
                .isEqualTo(200);
        assertThat(api.post(base + "/assessment", team, Json.object("risk", "high", "reasons", "x")).status())
                .isEqualTo(409);
        assertThat(jdbc.sql("SELECT risk FROM breach WHERE id = :id").param("id", java.util.UUID.fromString(id))
                .query(String.class).single()).as("unchanged by the refused step").isEqualTo("risk");
    }
}
