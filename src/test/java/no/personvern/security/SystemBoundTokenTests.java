package no.personvern.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Multipart;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * SPEC 3, Tokens: a token created with {@code system} acts only as that system. It writes subjects
 * and documents only for it, sees only what it collected, answers callbacks only for it, and can
 * never file, read, complete or reject a request, whatever its scopes.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SystemBoundTokenTests {

    private static final String DONE = Json.object("status", "done");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String go;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        go = new Tokens(api).issueForSystem("go", "subjects:write", "subjects:read", "consent:write",
                "requests:callback", "catalog:read");
    }

    @Test
    void aSystemTokenWritesSubjectsOnlyForItsOwnSystem() {
        String email = unique("annen");
        long before = count("subject");

        Api.Response other = api.post("/api/v1/subjects", go, write("win", "service-delivery", email));

        assertForbidden(other, "win");
        assertThat(count("subject")).isEqualTo(before);
        assertThat(find("email=" + email)).isEmpty();

        Api.Response own = api.post("/api/v1/subjects", go, write("go", "service-delivery", email));
        assertThat(own.status()).as(own.body()).isEqualTo(201);
    }

    @Test
    void aSystemTokenGivesOnlyItsOwnExternalIdAndAWriteVouchesOnlyForItsOwnSystemsId() {
        String victim = unique("ekstern");
        String victimId = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"win","activity":"service-delivery","identities":{"email":"%s","externalIds":{"win":"w-%s"}},
                 "data":{"user.name":"Wenche Win"}}""".formatted(victim, victim)).json().get("id").asString();
        String attacker = unique("kaprer");
        long before = count("subject_identity");

        Api.Response foreign = api.post("/api/v1/subjects", go, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","externalIds":{"win":"w-%s"},
                 "verified":["email","externalIds"]},"data":{}}""".formatted(attacker, victim));
        assertForbidden(foreign, "win");
        assertThat(foreign.json().get("errors").get(0).get("field").asString()).isEqualTo("identities.externalIds.win");
        assertThat(count("subject_identity")).as("nothing stored").isEqualTo(before);
        Api.Response imported = api.post("/api/v1/subjects/import", go, """
                {"items":[{"system":"go","activity":"service-delivery","identities":{"externalIds":{"win":"w-%s"}},
                 "data":{}}]}""".formatted(victim));
        assertForbidden(imported, "win");

        // Staff's token may name another system's id, but go vouches only for go's own.
        api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","externalIds":{"win":"w-%s"},
                 "verified":["email","externalIds"]},"data":{}}""".formatted(attacker, victim));
        assertThat(String.valueOf(api.get("/api/v1/subjects/" + victimId, Api.ADMIN_TOKEN).json().get("identities")
                .get("unverified"))).as("found through win's id, which go cannot vouch for").contains(attacker);
    }

    @Test
    void aSystemTokenImportsOnlyItsOwnSystemsPeopleAndOneForeignItemStoresNothing() {
        String first = unique("import-a");
        String second = unique("import-b");
        long before = count("subject");

        Api.Response mixed = api.post("/api/v1/subjects/import", go, "{\"items\":[" + write("go", "service-delivery", first)
                + "," + write("win", "service-delivery", second) + "]}");

        assertForbidden(mixed, "win");
        assertThat(mixed.json().get("errors").get(0).get("field").asString()).isEqualTo("items[1].system");
        assertThat(count("subject")).isEqualTo(before);

        Api.Response own = api.post("/api/v1/subjects/import", go, "{\"items\":[" + write("go", "service-delivery", first)
                + "]}");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
    }

    @Test
    void aSystemTokenCannotRectifyAcrossSystemsNorEndTheContract() {
        String subject = person("go", unique("retting"));

        Api.Response rectify = api.send("PATCH", "/api/v1/subjects/" + subject, go,
                Map.of("Content-Type", "application/json"), Json.object("data", Json.fields("user.name", "Endret")));
        assertForbidden(rectify, "go");
        assertThat(api.post("/api/v1/subjects/" + subject + "/contract-end", go, Json.object()).status())
                .isEqualTo(403);
        assertThat(count("retention_trigger")).isZero();

        JsonNode values = api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json().get("data");
        assertThat(values.get(0).get("value").asString()).isEqualTo("Kari Nordmann");
    }

    @Test
    void aSystemTokenUploadsDocumentsOnlyForItsOwnSystemAndReadsOnlyItsOwn() {
        String mobile = new Tokens(api).issueForSystem("go-mobile", "subjects:write", "subjects:read");
        String subject = person("go-mobile", unique("dokument"));
        long before = count("subject_document");

        Api.Response foreign = api.postMultipart("/api/v1/subjects/" + subject + "/documents", go, voucher());
        assertForbidden(foreign, "go-mobile");
        assertThat(count("subject_document")).isEqualTo(before);

        Api.Response own = api.postMultipart("/api/v1/subjects/" + subject + "/documents", mobile, voucher());
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        String document = own.json().get("id").asString();

        assertThat(api.get("/api/v1/subjects/" + subject + "/documents/" + document, mobile).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/subjects/" + subject + "/documents/" + document, go).status()).isEqualTo(404);
    }

    @Test
    void aSystemTokenSeesOnlyWhatItsSystemCollected() {
        String email = unique("delt");
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"win","activity":"service-delivery","identities":{"email":"%s","externalIds":{"win":"w-1"}},
                 "data":{"user.name":"Fra WIN","user.contact.address":"Storgata 1"}}""".formatted(email))
                .json().get("id").asString();

        assertThat(api.get("/api/v1/subjects/" + subject, go).status()).as("go holds nothing of the person")
                .isEqualTo(404);
        assertThat(find("email=" + email, go)).as("a look-up does not tell go whom other systems know").isEmpty();
        assertThat(api.get("/api/v1/subjects/" + subject + "/consents", go).status()).isEqualTo(404);

        Api.Response written = api.post("/api/v1/subjects", go, """
                {"system":"go","activity":"service-delivery","identities":{"email":"%s","externalIds":{"go":"g-1"},
                 "verified":["email"]},"data":{"user.name":"Fra Go"}}""".formatted(email));
        assertThat(written.status()).as(written.body()).isEqualTo(200);

        assertThat(find("email=" + email, go)).containsExactly(subject);
        JsonNode seen = api.get("/api/v1/subjects/" + subject, go).json();
        assertThat(seen.get("data")).hasSize(1);
        assertThat(seen.get("data").get(0).get("value").asString()).isEqualTo("Fra Go");
        assertThat(seen.get("data").get(0).get("system").asString()).isEqualTo("go");
        assertThat(seen.get("identities").get("externalIds").properties()).hasSize(1);
        assertThat(seen.get("identities").get("externalIds").get("go").asString()).isEqualTo("g-1");
        assertThat(seen.toString()).doesNotContain("Fra WIN", "Storgata", "w-1", email);

        JsonNode staff = api.get("/api/v1/subjects/" + subject, Api.ADMIN_TOKEN).json();
        assertThat(staff.get("data")).hasSize(3);
    }

    @Test
    void aSystemTokenRecordsConsentsAsItsSystemForItsOwnActivitiesAndOnlyForPeopleItHolds() {
        String held = person("go", unique("samtykke"));
        String other = person("win", unique("samtykke-win"));
        String consent = "{\"purpose\":\"marketing.communications.email\",\"granted\":true,\"method\":\"web-form\","
                + "\"source\":\"innstillinger\"}";

        assertThat(api.post("/api/v1/subjects/" + other + "/consents", go, consent).status()).isEqualTo(404);
        assertThat(count("consent_record")).isZero();

        Api.Response notItsOwn = api.post("/api/v1/subjects/" + held + "/consents", go, consent);
        assertThat(notItsOwn.status()).as("go runs no activity on this purpose: " + notItsOwn.body()).isEqualTo(422);
        assertThat(notItsOwn.json().get("errors").get(0).get("field").asString()).isEqualTo("purpose");
        assertThat(count("consent_record")).isZero();

        String newsletter = new Tokens(api).issueForSystem("newsletter", "subjects:read", "consent:write");
        String subscriber = person("newsletter", unique("samtykke-nyhetsbrev"));
        Api.Response othersActivity = api.post("/api/v1/subjects/" + subscriber + "/consents", newsletter,
                consent.replace("}", ",\"activity\":\"course-invitations\"}"));
        assertThat(othersActivity.status()).as(othersActivity.body()).isEqualTo(422);
        assertThat(othersActivity.json().get("errors").get(0).get("field").asString()).isEqualTo("activity");
        assertThat(count("consent_record")).isZero();

        Api.Response recorded = api.post("/api/v1/subjects/" + subscriber + "/consents", newsletter, consent);
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        JsonNode state = api.get("/api/v1/subjects/" + subscriber + "/consents", newsletter).json();
        assertThat(state.get("history").get(0).get("source").asString()).isEqualTo("system:newsletter innstillinger");
        assertThat(state.get("byActivity").properties()).as("only the system's own activities")
                .extracting(java.util.Map.Entry::getKey).containsExactly("newsletter");
    }

    @Test
    void aSystemTokenIsRefusedOnEveryRequestsEndpointWhateverItsScopes() {
        String request = openRequest(unique("krav"));
        String legacy = storedLegacyToken("go", "requests:manage subjects:read");
        long before = count("data_request");

        for (String token : List.of(go, legacy)) {
            assertForbidden(api.post("/api/v1/requests", token, """
                    {"type":"erasure","email":"offer@example.no","channel":"api","verifiedBy":"go"}"""), "go");
            assertForbidden(api.get("/api/v1/requests", token), "go");
            assertForbidden(api.get("/api/v1/requests/" + request, token), "go");
            String path = "/api/v1/requests/" + request;
            assertForbidden(api.post(path + "/extend", token, Json.object("reason", "x")), "go");
            assertForbidden(api.post(path + "/complete", token, Json.object("outcome", "x")), "go");
            assertForbidden(api.post(path + "/reject", token, Json.object("reason", "x")), "go");
        }
        assertThat(count("data_request")).isEqualTo(before);
        JsonNode unchanged = api.get("/api/v1/requests/" + request, Api.ADMIN_TOKEN).json();
        assertThat(unchanged.get("status").asString()).isNotIn("completed", "rejected");
        assertThat(unchanged.has("extendedUntil")).isFalse();
    }

    @Test
    void aSystemTokenAnswersCallbacksOnlyForItsSystemAndStaffNeedTheCallbackScope() {
        String request = openRequest(unique("svar"));

        assertForbidden(api.post("/api/v1/requests/" + request + "/systems/win/callback", go, DONE),
                "go");
        assertThat(api.post("/api/v1/requests/" + request + "/systems/go/callback", go, DONE).status())
                .as("its own system passes security; the example catalog sent it nothing").isEqualTo(404);

        String staff = new Tokens(api).issue("staff", "requests:manage");
        assertThat(api.post("/api/v1/requests/" + request + "/systems/go/callback", staff, DONE)
                .status()).as("requests:manage alone no longer answers for a system").isEqualTo(403);
    }

    @Test
    void aSystemTokenIsRefusedOutsideWhatAConnectedSystemDoes() {
        String wide = storedLegacyToken("go", "admin");
        String subject = person("go", unique("utenfor"));

        for (String token : List.of(go, wide)) {
            assertForbidden(api.post("/api/v1/disclosures", token, "{\"recipient\":\"x\",\"subjectId\":\"" + subject
                    + "\",\"dataCategories\":[\"user.name\"],\"basis\":\"law\",\"reference\":\"r\"}"), "go");
            assertForbidden(api.get("/api/v1/disclosures?subjectId=" + subject, token), "go");
            assertForbidden(api.post("/api/v1/retention/runs", token, Json.object("dryRun", true)), "go");
            assertForbidden(api.post("/api/v1/legal-holds", token, "{\"subjectId\":\"" + subject + "\",\"reason\":\"x\"}"),
                    "go");
            assertForbidden(api.get("/api/v1/audit?subjectId=" + subject, token), "go");
            assertForbidden(api.get("/api/v1/audit/verify", token), "go");
            assertForbidden(api.get("/api/v1/stats/pageviews", token), "go");
            assertForbidden(api.post("/api/v1/tokens", token, Tokens.body("x", null, "admin")), "go");
            assertForbidden(api.post("/api/v1/keys/rotation", token, Json.object()), "go");
            assertForbidden(api.get("/api/v1/subscriptions/newsletter/recipients", token), "go");
        }
        assertThat(count("legal_hold")).isZero();
        assertThat(count("disclosure")).isZero();
        assertThat(api.get("/api/v1/catalog", go).status()).as("the catalog is no secret").isEqualTo(200);
    }

    @Test
    void theNewsletterToolReadsOnlyItsOwnList() {
        String newsletter = new Tokens(api).issueForSystem("newsletter", "subjects:read");

        assertThat(api.get("/api/v1/subscriptions/newsletter/recipients", newsletter).status()).isEqualTo(200);
        assertForbidden(api.get("/api/v1/subscriptions/courses/recipients", newsletter), "newsletter");
    }

    @Test
    void aTokenForASystemCannotCarryStaffScopes() {
        long before = count("api_token");
        for (String scope : List.of("admin", "requests:manage", "disclosures:write", "audit:read", "stats:read")) {
            Api.Response refused = api.post("/api/v1/tokens", Api.ADMIN_TOKEN,
                    "{\"name\":\"x\",\"system\":\"go\",\"scopes\":[\"subjects:read\",\"" + scope + "\"]}");
            assertThat(refused.status()).as(scope).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("scopes[1]");
        }
        assertThat(count("api_token")).isEqualTo(before);
    }

    /** A rectification stays open until staff close it: something a system must not be able to touch. */
    private String openRequest(String email) {
        person("go", email);
        Api.Response filed = api.post("/api/v1/requests", Api.ADMIN_TOKEN, """
                {"type":"rectification","email":"%s","channel":"phone","verifiedBy":"agent 7"}""".formatted(email));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        return filed.json().get("id").asString();
    }

    private void assertForbidden(Api.Response response, String system) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("'" + system + "'");
    }

    /** A token as an earlier version could store it: bound to a system, with staff scopes. */
    private String storedLegacyToken(String system, String scopes) {
        String secret = "pvt_legacy_" + UUID.randomUUID();
        String hash = sha256(secret);
        jdbc.sql("""
                INSERT INTO api_token (id, name, lookup, token_hash, scopes, system_key, bootstrap, created_at)
                VALUES (:id, 'legacy', :lookup, :hash, :scopes, :system, FALSE, CURRENT_TIMESTAMP)""")
                .param("id", UUID.randomUUID()).param("lookup", hash.substring(0, 16)).param("hash", hash)
                .param("scopes", scopes).param("system", system).update();
        return secret;
    }

    static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String person(String system, String email) {
        Api.Response written = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, write(system, "service-delivery", email)
                .replace("service-delivery", activityOf(system)));
        assertThat(written.status()).as(written.body()).isIn(200, 201);
        return written.json().get("id").asString();
    }

    private static String activityOf(String system) {
        return switch (system) {
            case "newsletter" -> "newsletter";
            default -> "service-delivery";
        };
    }

    private static String write(String system, String activity, String email) {
        return """
                {"system":"%s","activity":"%s","identities":{%s},"data":{"user.name":"Kari Nordmann"}}"""
                .formatted(system, activity, email == null ? "" : "\"email\":\"" + email + "\"");
    }

    private List<String> find(String query) {
        return find(query, Api.ADMIN_TOKEN);
    }

    private List<String> find(String query, String token) {
        Api.Response found = api.get("/api/v1/subjects?" + query, token);
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        found.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static Multipart voucher() {
        return new Multipart().field("kind", "voucher").field("system", "go-mobile")
                .file("file", "bilag.pdf", "application/pdf", "%PDF-1.4 bilag".getBytes());
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@example.no";
    }
}
