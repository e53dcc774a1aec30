package no.personvern.subjects;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The keys that sign consent cookies and unsubscribe links and make the audit pseudonyms come from
 * the key store, under the master key: none is readable in the main database, and what an earlier
 * version made with its plain keys (mailed links, cookies, pseudonyms) survives the upgrade and a
 * master-key rotation.
 */
@DatabaseTest
class SecretsUnderMasterKeyTests {

    static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    @Test
    void noValueInTheMainDatabaseSignsTheCookiesTheLinksOrThePseudonyms() {
        Map<String, Object> database = TestDatabases.freshDatabase("secrets-at-rest");
        try (ConfigurableApplicationContext app = start(database, Map.of())) {
            Api api = api(app);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            String cookie = consentCookie(api);
            String subject = subscriber(api, jdbc, "les@example.no");
            String unsubscribe = unsubscribePath(api);
            String pseudonym = api.get("/api/v1/audit?subjectId=" + subject, Api.ADMIN_TOKEN).json().get("items").get(0)
                    .get("subjectRef").asString();

            List<byte[]> candidates = candidateKeys(jdbc);
            assertThat(candidates).as("the scan sees the tables' values").isNotEmpty();
            for (byte[] candidate : candidates) {
                assertThat(cookieSignature(candidate, cookie)).isNotEqualTo(cookie.substring(cookie.lastIndexOf('.') + 1));
                assertThat(linkSignature(candidate, unsubscribe)).isNotEqualTo(unsubscribe.split("\\.")[1]);
                assertThat(pseudonym(candidate, UUID.fromString(subject))).isNotEqualTo(pseudonym);
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM tracking_secret").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_secret").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT ref_key FROM audit_head").query(String.class).list()).containsOnlyNulls();
        }
    }

    @Test
    void linksCookiesAndPseudonymsMadeWithTheOldPlainKeysSurviveTheUpgradeAndARotation() {
        Map<String, Object> database = TestDatabases.freshDatabase("secrets-upgrade");
        byte[] cookieKey = random();
        byte[] linkKey = random();
        byte[] refKey = random();
        UUID earlier = UUID.randomUUID();
        String stored = legacyDatabase(database, cookieKey, linkKey, refKey, earlier);
        String cookie = signedCookie(cookieKey);
        String legacyPseudonym = pseudonym(refKey, earlier);

        String first;
        String second;
        try (ConfigurableApplicationContext upgraded = start(database, Map.of("personvern.master-key", KEY_A))) {
            Api api = api(upgraded);
            JdbcClient jdbc = upgraded.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM tracking_secret").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_secret").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT ref_key FROM audit_head").query(String.class).list()).containsOnlyNulls();
            assertThat(jdbc.sql("SELECT scopes FROM api_token WHERE name = 'old connector'").query(String.class).single())
                    .as("a stored system token keeps its callbacks, not staff's requests:manage")
                    .isEqualTo("requests:callback");
            assertThat(api.get("/api/v1/requests", stored).status()).isEqualTo(403);

            first = subscriber(api, jdbc, "forste@example.no");
            second = subscriber(api, jdbc, "andre@example.no");
            assertSurvived(api, cookie, linkKey, earlier, legacyPseudonym, first);
        }
        try (ConfigurableApplicationContext rotating = start(database,
                Map.of("personvern.master-key", KEY_B, "personvern.master-key-previous", KEY_A))) {
            Api api = api(rotating);
            assertThat(api.post("/api/v1/keys/rotation", Api.ADMIN_TOKEN, "").status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext rotated = start(database, Map.of("personvern.master-key", KEY_B))) {
            assertSurvived(api(rotated), cookie, linkKey, earlier, legacyPseudonym, second);
        }
    }

    /** The old cookie still grants, a link made with the old key still unsubscribes, old entries are found. */
    private void assertSurvived(Api api, String cookie, byte[] linkKey, UUID earlier, String legacyPseudonym,
            String subscriberSubject) {
        long before = pageViews(api);
        api.get("/t.gif?e=pageview&p=/etter", null, Map.of("Cookie", "pv_consent=" + cookie));
        api.get("/t.gif?e=pageview&p=/etter", null, Map.of("Cookie", "pv_consent=" + cookie.replace(".1.0.", ".1.1.")));
        assertThat(pageViews(api)).as("the genuine cookie counts, the altered one does not").isEqualTo(before + 1);

        String link = "/u/" + linkToken(linkKey, subscriptionOf(api, subscriberSubject));
        assertThat(api.send("POST", link, null, Map.of(), null).status()).isEqualTo(200);

        JsonNode entries = api.get("/api/v1/audit?subjectId=" + earlier, Api.ADMIN_TOKEN).json().get("items");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("subjectRef").asString()).isEqualTo(legacyPseudonym);
        assertThat(entries.get(0).get("action").asString()).isEqualTo("subject.read");
    }

    private static long pageViews(Api api) {
        return api.get("/api/v1/stats/pageviews", Api.ADMIN_TOKEN).json().get("total").asLong();
    }

    /** The schema and plain keys of the version before, with an entry and a token it made. */
    private static String legacyDatabase(Map<String, Object> database, byte[] cookieKey, byte[] linkKey, byte[] refKey,
            UUID earlier) {
        Flyway.configure().dataSource((String) database.get("spring.datasource.url"),
                (String) database.get("spring.datasource.username"), (String) database.get("spring.datasource.password"))
                .schemas(database.containsKey("spring.flyway.default-schema")
                        ? new String[] {(String) database.get("spring.flyway.default-schema")} : new String[0])
                .locations("classpath:db/migration").target("10").load().migrate();
        String token = "pvt_old_" + UUID.randomUUID();
        try (var connection = java.sql.DriverManager.getConnection((String) database.get("spring.datasource.url"),
                (String) database.get("spring.datasource.username"), (String) database.get("spring.datasource.password"));
                var statement = connection.createStatement()) {
            HexFormat hex = HexFormat.of();
            statement.execute("INSERT INTO tracking_secret (id, secret) VALUES (1, '" + hex.formatHex(cookieKey) + "')");
            statement.execute("INSERT INTO consent_secret (id, secret) VALUES (1, '" + hex.formatHex(linkKey) + "')");
            statement.execute("UPDATE audit_head SET ref_key = '" + hex.formatHex(refKey) + "' WHERE id = 1");
            statement.execute("INSERT INTO audit_pending (at, actor, action, subject_ref, details) VALUES"
                    + " (CURRENT_TIMESTAMP, 'token:old', 'subject.read', '" + pseudonym(refKey, earlier) + "', '{}')");
            String hash = hex.formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
            statement.execute("INSERT INTO api_token (id, name, lookup, token_hash, scopes, system_key, bootstrap,"
                    + " created_at) VALUES ('" + UUID.randomUUID() + "', 'old connector', '" + hash.substring(0, 16) + "', '"
                    + hash + "', 'requests:manage', 'go', FALSE, CURRENT_TIMESTAMP)");
        } catch (java.sql.SQLException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return token;
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.putAll(extra);
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    private static String consentCookie(Api api) {
        String header = api.send("POST", "/api/v1/public/cookie-consent", null, Map.of("Content-Type", "application/json"),
                "{\"choices\":{\"statistics\":true,\"marketing\":false}}").raw().headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("pv_consent=")).findFirst().orElseThrow();
        return header.substring("pv_consent=".length(), header.indexOf(';'));
    }

    /** A confirmed newsletter subscriber (the confirmation itself is tested with real mail elsewhere). */
    private static String subscriber(Api api, JdbcClient jdbc, String email) {
        String subject = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                {"system":"newsletter","activity":"newsletter","identities":{"email":"%s"},"data":{}}""".formatted(email))
                .json().get("id").asString();
        jdbc.sql("""
                INSERT INTO subscription (id, subject_id, list_key, status, created_at, confirmed_at)
                VALUES (:id, :subject, 'newsletter', 'confirmed', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""")
                .param("id", UUID.randomUUID()).param("subject", UUID.fromString(subject)).update();
        return subject;
    }

    private static String unsubscribePath(Api api) {
        String url = api.get("/api/v1/subscriptions/newsletter/recipients", Api.ADMIN_TOKEN).json().get("items").get(0)
                .get("unsubscribeUrl").asString();
        return url.substring(url.indexOf("/u/") + 3);
    }

    private static UUID subscriptionOf(Api api, String subject) {
        for (JsonNode item : api.get("/api/v1/subscriptions/newsletter/recipients", Api.ADMIN_TOKEN).json().get("items")) {
            if (item.get("subjectId").asString().equals(subject)) {
                return UUID.fromString(item.get("subscriptionId").asString());
            }
        }
        throw new AssertionError("no subscription of " + subject);
    }

    /** Every value of every table that could be a 32-byte key: hex text or raw bytes. */
    private static List<byte[]> candidateKeys(JdbcClient jdbc) {
        List<byte[]> candidates = new ArrayList<>();
        List<String> tables = jdbc.sql("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = CURRENT_SCHEMA AND table_type IN ('BASE TABLE', 'TABLE')""")
                .query(String.class).list();
        assertThat(tables).contains("audit_head", "subscription", "tracking_secret");
        for (String table : tables) {
            for (Map<String, Object> row : jdbc.sql("SELECT * FROM " + table).query().listOfRows()) {
                for (Object value : row.values()) {
                    if (value instanceof String text && text.matches("[0-9a-fA-F]{64}")) {
                        candidates.add(HexFormat.of().parseHex(text));
                    } else if (value instanceof byte[] bytes && bytes.length >= 32) {
                        for (int i = 0; i + 32 <= bytes.length; i++) {
                            candidates.add(java.util.Arrays.copyOfRange(bytes, i, i + 32));
                        }
                    }
                }
            }
        }
        return candidates;
    }

    private static String signedCookie(byte[] key) {
        String payload = "v1.1.0." + (System.currentTimeMillis() / 1000) + ".abcdefghijklmnopqrstuv";
        return payload + "." + cookieSignature(key, payload + ".x");
    }

    private static String cookieSignature(byte[] key, String cookie) {
        String payload = cookie.substring(0, cookie.lastIndexOf('.'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, payload));
    }

    private static String linkToken(byte[] key, UUID subscription) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(subscription.getMostSignificantBits())
                .putLong(subscription.getLeastSignificantBits());
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        return id + "." + linkSignature(key, id + ".x");
    }

    private static String linkSignature(byte[] key, String token) {
        String id = token.split("\\.")[0];
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, "unsubscribe." + id)).substring(0, 22);
    }

    private static String pseudonym(byte[] key, UUID subject) {
        return "s_" + HexFormat.of().formatHex(hmac(key, subject.toString()), 0, 16);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
