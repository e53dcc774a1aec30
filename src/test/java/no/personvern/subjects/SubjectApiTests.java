package no.personvern.subjects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The vault through HTTP, as a product and a support agent use it. */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SubjectApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String writer;
    String reader;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        writer = new Tokens(api).issue("writer", "subjects:write");
        reader = new Tokens(api).issue("reader", "subjects:read");
    }

    @Test
    void aNewPersonIsCreatedAndALaterWriteWithAnyMatchingIdentityMergesIntoThem() {
        Api.Response created = write("go", "service-delivery",
                "{\"email\":\" Ingrid.Hansen@Example.NO \",\"phone\":\"912 34 001\"}",
                "{\"user.name\":\"Ingrid Hansen\",\"user.contact.address\":\"Kirkegata 5, 8006 Bodø\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();

        Api.Response merged = write("newsletter", "newsletter", "{\"email\":\"ingrid.hansen@example.no\"}",
                "{\"user.name\":\"Ingrid H.\"}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().get("id").asString()).isEqualTo(id);

        Api.Response byPhone = write("customer-center", "support", "{\"phone\":\"+47 912 34 001\"}",
                "{\"user.content.support_message\":\"Hvordan fører jeg bilag?\"}");
        assertThat(byPhone.json().get("id").asString()).isEqualTo(id);

        JsonNode person = api.get("/api/v1/subjects/" + id, reader).json();
        assertThat(person.get("identities").get("email").asString()).isEqualTo("ingrid.hansen@example.no");
        assertThat(person.get("identities").get("phone").asString()).isEqualTo("+4791234001");
        JsonNode data = person.get("data");
        assertThat(data).hasSize(4);
        assertThat(value(data, "user.name", "go")).isEqualTo("Ingrid Hansen");
        assertThat(value(data, "user.name", "newsletter")).isEqualTo("Ingrid H.");
        JsonNode support = find(data, "user.content.support_message", "customer-center");
        assertThat(support.get("activity").asString()).isEqualTo("support");
        assertThat(support.get("purposes").get(0).asString()).isEqualTo("essential.service.operations.support");
        assertThat(support.get("collectedAt").asString()).isNotBlank();
    }

    @Test
    void firstWritesOfOnePersonAtOnceMakeOnePersonWithOneKey() throws Exception {
        String email = "samtidig-" + java.util.UUID.randomUUID() + "@example.no";
        java.util.concurrent.ExecutorService products = java.util.concurrent.Executors.newFixedThreadPool(6);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Api.Response>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            answers.add(products.submit(() -> {
                start.await();
                return write("go", "service-delivery", "{\"email\":\"" + email + "\"}",
                        "{\"user.name\":\"Samtidig " + n + "\"}");
            }));
        }
        start.countDown();
        List<Api.Response> responses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Api.Response> answer : answers) {
            responses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        products.shutdown();
        assertThat(responses).extracting(Api.Response::status).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.status() == 201).as("one write creates, the others merge").hasSize(1);
        String id = responses.get(0).json().get("id").asString();
        assertThat(responses).allSatisfy(r -> assertThat(r.json().get("id").asString()).isEqualTo(id));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM data_key WHERE owner_id = :id").param("id", java.util.UUID.fromString(id))
                .query(Long.class).single()).as("the losers' keys rolled back with their rows").isEqualTo(1);
        JsonNode person = api.get("/api/v1/subjects/" + id, reader).json();
        assertThat(person.get("identities").get("email").asString()).isEqualTo(email);
        assertThat(value(person.get("data"), "user.name", "go")).startsWith("Samtidig ");
    }

    @Test
    void anIdentityAddedThroughAnotherIsUnverifiedUntilTheWritingSystemVouchesForIt() {
        String id = write("go", "service-delivery", "{\"email\":\"vera@example.no\",\"phone\":\"912 34 101\"}",
                "{\"user.name\":\"Vera\"}").json().get("id").asString();
        JsonNode created = api.get("/api/v1/subjects/" + id, reader).json().get("identities");
        assertThat(created.has("unverified")).as("identities a person is created with are verified").isFalse();

        write("customer-center", "support", "{\"email\":\"someone.else@example.no\",\"phone\":\"91234101\"}",
                "{}");
        write("go", "service-delivery", "{\"phone\":\"91234101\",\"externalIds\":{\"go\":\"go-7\",\"win\":\"win-7\"},"
                + "\"verified\":[\"phone\"]}", "{}");
        JsonNode merged = api.get("/api/v1/subjects/" + id, reader).json().get("identities");
        assertThat(merged.get("email").asString()).isEqualTo("vera@example.no");
        assertThat(merged.get("unverified").toString()).contains("someone.else@example.no", "win-7")
                .doesNotContain("go-7");
        assertThat(merged.get("externalIds").get("go").asString()).as("a system vouches for its own id")
                .isEqualTo("go-7");

        write("customer-center", "support",
                "{\"email\":\"someone.else@example.no\",\"phone\":\"91234101\",\"verified\":[\"email\",\"phone\"]}",
                "{}");
        JsonNode vouched = api.get("/api/v1/subjects/" + id, reader).json().get("identities");
        assertThat(vouched.get("unverified").toString()).doesNotContain("someone.else@example.no");
        assertThat(vouched.toString()).contains("someone.else@example.no");
    }

    @Test
    void aWriteVouchesOnlyForThePersonItFoundThroughAnIdentityItVouchesFor() {
        String id = write("go", "service-delivery", "{\"email\":\"offer.v@example.no\",\"phone\":\"912 34 777\"}",
                "{\"user.name\":\"Olga\"}").json().get("id").asString();
        // A product forwards a form where someone typed their own (confirmed) address next to the victim's phone.
        write("customer-center", "support",
                "{\"email\":\"angriper.v@example.no\",\"phone\":\"91234777\",\"verified\":[\"email\"]}", "{}");
        JsonNode merged = api.get("/api/v1/subjects/" + id, reader).json().get("identities");
        assertThat(String.valueOf(merged.get("unverified"))).as("found through the phone, which the write did not vouch for")
                .contains("angriper.v@example.no");
        // The stranger confirms the address to the product again: found through that very (unverified) address.
        write("customer-center", "support", "{\"email\":\"angriper.v@example.no\",\"verified\":[\"email\"]}", "{}");
        assertThat(String.valueOf(api.get("/api/v1/subjects/" + id, reader).json().get("identities").get("unverified")))
                .contains("angriper.v@example.no");
        // A system's own id is vouched for only on a person found through what it vouches for, too.
        write("go", "service-delivery", "{\"phone\":\"91234777\",\"externalIds\":{\"go\":\"go-fremmed\"}}", "{}");
        assertThat(String.valueOf(api.get("/api/v1/subjects/" + id, reader).json().get("identities").get("unverified")))
                .contains("go-fremmed");
    }

    @Test
    void vouchingForAnIdentityThatIsNotGivenIsRefused() {
        long before = rows();
        assertInvalid(write("go", "service-delivery", "{\"email\":\"x@example.no\",\"verified\":[\"phone\"]}", "{}"),
                422, "identities.verified");
        assertInvalid(write("go", "service-delivery", "{\"email\":\"x@example.no\",\"verified\":[\"fax\"]}", "{}"),
                422, "identities.verified");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aNullExternalIdOrANullVouchedKindIsNamedNotAServerError() {
        long before = rows();
        assertInvalid(write("go", "service-delivery", "{\"email\":\"n@example.no\",\"externalIds\":{\"go\":null}}",
                "{}"), 422, "identities.externalIds.go");
        assertInvalid(write("go", "service-delivery", "{\"email\":\"n@example.no\",\"verified\":[null]}", "{}"),
                422, "identities.verified");
        Api.Response imported = api.post("/api/v1/subjects/import", writer, """
                {"items":[{"system":"go","activity":"service-delivery","identities":{"externalIds":{"go":null},
                 "verified":[null]},"data":{}}]}""");
        assertThat(imported.status()).as(imported.body()).isEqualTo(422);
        assertThat(imported.body()).contains("items[0].identities.externalIds.go", "items[0].identities.verified");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void identitiesOfTwoDifferentPeopleAreAConflictAndNothingIsWritten() {
        write("go", "service-delivery", "{\"email\":\"per@example.no\"}", "{\"user.name\":\"Per\"}");
        write("go", "service-delivery", "{\"phone\":\"91234002\"}", "{\"user.name\":\"Pål\"}");
        long before = rows();

        Api.Response conflict = write("go", "service-delivery", "{\"email\":\"per@example.no\",\"phone\":\"91234002\"}",
                "{\"user.contact.address\":\"Torget 1\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aCategoryTheActivityDoesNotDeclareIsRefusedAndNothingIsStored() {
        long before = rows();

        Api.Response refused = write("newsletter", "newsletter", "{\"email\":\"ola@example.no\"}",
                "{\"user.name\":\"Ola\",\"user.financial.bank_account\":\"1234.56.78903\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString())
                .isEqualTo("data.user.financial.bank_account");
        assertThat(refused.json().get("detail").asString()).contains("user.financial.bank_account", "newsletter");
        assertThat(rows()).isEqualTo(before);
        assertThat(api.get("/api/v1/subjects?email=ola@example.no", reader).json().get("items")).isEmpty();
    }

    @Test
    void badInputIsAClearProblemAndChangesNothing() {
        long before = rows();
        assertInvalid(write("mainframe", "service-delivery", "{\"email\":\"a@example.no\"}", "{}"), 422, "system");
        assertInvalid(write("go", "selling", "{\"email\":\"a@example.no\"}", "{}"), 422, "activity");
        assertInvalid(write("go", "newsletter", "{\"email\":\"a@example.no\"}", "{}"), 422, "activity");
        assertInvalid(write("go", "service-delivery", "{}", "{\"user.name\":\"A\"}"), 422, "identities");
        assertInvalid(write("go", "service-delivery", "{\"email\":\"not-an-email\"}", "{}"), 422, "identities.email");
        assertInvalid(write("go", "service-delivery", "{\"phone\":\"12\"}", "{}"), 422, "identities.phone");
        assertInvalid(write("go", "service-delivery", "{\"externalIds\":{\"nowhere\":\"1\"}}", "{}"), 422,
                "identities.externalIds.nowhere");
        assertInvalid(write("go", "service-delivery", "{\"email\":\"a@example.no\"}", "{\"user.nonexistent\":\"x\"}"),
                422, "data.user.nonexistent");
        assertInvalid(write("go", "service-delivery", "{\"email\":\"a@example.no\"}", "{\"user.name\":\"\"}"), 422,
                "data.user.name");
        assertThat(api.post("/api/v1/subjects", writer, "{\"system\": \"go\", ").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/subjects/8d3a4a3e-0000-4000-8000-000000000000", reader).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/subjects/not-a-uuid", reader).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/subjects", reader).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/subjects?email=nope", reader).status()).isEqualTo(422);
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void peopleAreFoundByNormalisedEmailPhoneOrExternalId() {
        String id = write("go", "service-delivery",
                "{\"email\":\"Siri@Example.no\",\"phone\":\"+4791234003\",\"externalIds\":{\"go\":\"go-user-77\"}}",
                "{\"user.name\":\"Siri\"}").json().get("id").asString();

        assertThat(ids("/api/v1/subjects?email=%20SIRI@example.NO")).containsExactly(id);
        assertThat(ids("/api/v1/subjects?phone=912%2034%20003")).containsExactly(id);
        assertThat(ids("/api/v1/subjects?externalId=go:go-user-77")).containsExactly(id);
        assertThat(ids("/api/v1/subjects?externalId=win:go-user-77")).isEmpty();
        assertThat(ids("/api/v1/subjects?email=someone.else@example.no")).isEmpty();
    }

    @Test
    void rectificationCorrectsTheValueInEverySystemThatHoldsIt() {
        String id = write("go", "service-delivery", "{\"email\":\"nils@example.no\"}", "{\"user.name\":\"Nils Nilsen\"}")
                .json().get("id").asString();
        write("newsletter", "newsletter", "{\"email\":\"nils@example.no\"}", "{\"user.name\":\"Nils Nilsen\"}");

        Api.Response patched = api.send("PATCH", "/api/v1/subjects/" + id, writer,
                Map.of("Content-Type", "application/json"), "{\"data\":{\"user.name\":\"Nils Nilssen\"}}");
        assertThat(patched.status()).isEqualTo(204);

        JsonNode data = api.get("/api/v1/subjects/" + id, reader).json().get("data");
        assertThat(value(data, "user.name", "go")).isEqualTo("Nils Nilssen");
        assertThat(value(data, "user.name", "newsletter")).isEqualTo("Nils Nilssen");

        Api.Response notHeld = api.send("PATCH", "/api/v1/subjects/" + id, writer,
                Map.of("Content-Type", "application/json"), "{\"data\":{\"user.contact.address\":\"Ny vei 1\"}}");
        assertThat(notHeld.status()).isEqualTo(422);
        assertThat(notHeld.json().get("errors").get(0).get("field").asString()).isEqualTo("data.user.contact.address");
    }

    @Test
    void everyReadAndChangeIsAuditedWithoutPersonalData() {
        String id = write("go", "service-delivery", "{\"email\":\"audit.me@example.no\",\"phone\":\"91234004\"}",
                "{\"user.name\":\"Astrid Auditsen\"}").json().get("id").asString();
        api.get("/api/v1/subjects/" + id, reader);
        api.get("/api/v1/subjects?email=audit.me@example.no", reader);
        api.send("PATCH", "/api/v1/subjects/" + id, writer, Map.of("Content-Type", "application/json"),
                "{\"data\":{\"user.name\":\"Astrid Revisorsen\"}}");

        String auditor = new Tokens(api).issue("auditor", "audit:read");
        JsonNode entries = api.get("/api/v1/audit?subjectId=" + id, auditor).json().get("items");
        assertThat(entries).extracting(entry -> entry.get("action").asString())
                .containsExactly("subject.created", "subject.read", "subject.lookup", "subject.rectified");
        assertThat(entries.get(1).get("actor").asString()).startsWith("token:");
        assertThat(entries.get(0).get("subjectRef").asString()).startsWith("s_").doesNotContain(id);

        String trail = jdbc.sql("SELECT * FROM audit_entry").query().listOfRows().toString();
        assertThat(trail).doesNotContain("audit.me", "Astrid", "Auditsen", "Revisorsen", "91234004", id);
        assertThat(api.get("/api/v1/audit/verify", auditor).json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void anImportWritesManyPeopleAtOnceMergingThoseAlreadyKnown() {
        String known = write("go", "service-delivery", "{\"email\":\"known@example.no\"}", "{\"user.name\":\"Kjent\"}")
                .json().get("id").asString();

        Api.Response imported = api.post("/api/v1/subjects/import", writer, """
                {"items":[
                  {"system":"go","activity":"service-delivery","identities":{"email":"new1@example.no"},"data":{"user.name":"Ny En"}},
                  {"system":"go","activity":"service-delivery","identities":{"email":"known@example.no"},"data":{"user.contact.address":"Vei 1"}},
                  {"system":"go","activity":"service-delivery","identities":{"email":"new2@example.no","phone":"91234020"},"data":{}},
                  {"system":"newsletter","activity":"newsletter","identities":{"email":"NEW2@example.no"},"data":{"user.name":"Ny To"}}
                ]}""");

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode items = imported.json().get("items");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).get("created").asBoolean()).isTrue();
        assertThat(items.get(1).get("id").asString()).isEqualTo(known);
        assertThat(items.get(1).get("created").asBoolean()).isFalse();
        assertThat(items.get(3).get("id").asString()).isEqualTo(items.get(2).get("id").asString());
        assertThat(ids("/api/v1/subjects?phone=91234020")).containsExactly(items.get(2).get("id").asString());
        JsonNode person = api.get("/api/v1/subjects/" + items.get(0).get("id").asString(), reader).json();
        assertThat(value(person.get("data"), "user.name", "go")).isEqualTo("Ny En");
        assertThat(value(api.get("/api/v1/subjects/" + known, reader).json().get("data"), "user.contact.address", "go"))
                .isEqualTo("Vei 1");
    }

    @Test
    void anImportWithOneInvalidItemWritesNothingAndNamesTheItem() {
        long before = rows();

        Api.Response refused = api.post("/api/v1/subjects/import", writer, """
                {"items":[
                  {"system":"go","activity":"service-delivery","identities":{"email":"fine@example.no"},"data":{}},
                  {"system":"go","activity":"service-delivery","identities":{"email":"broken"},"data":{}}
                ]}""");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("items[1].identities.email");
        assertThat(rows()).isEqualTo(before);
        assertThat(api.post("/api/v1/subjects/import", writer, "{\"items\":[]}").status()).isEqualTo(422);
    }

    @Test
    void everyInvalidFieldOfAWriteIsNamedAtOnceAndNothingIsStored() {
        long before = rows();
        Api.Response refused = write("mainframe", "service-delivery",
                "{\"email\":\"not an address\",\"phone\":\"12\",\"verified\":[\"fax\"]}",
                "{\"user.name\":\" \",\"user.financial.bank_account\":\"1234.56.78903\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorFields()).containsExactlyInAnyOrder("system", "identities.email", "identities.phone",
                "identities.verified", "data.user.name", "data.user.financial.bank_account");

        Api.Response importRefused = api.post("/api/v1/subjects/import", writer, """
                {"items":[
                  {"system":"go","activity":"nothing-like-it","identities":{"email":"a@example.no"},"data":{}},
                  {"system":"go","activity":"service-delivery","identities":{"email":"fine@example.no"},"data":{}},
                  {"system":"go","activity":"service-delivery","identities":{},"data":{"user.name":"X"}}
                ]}""");
        assertThat(importRefused.errorFields()).containsExactly("items[0].activity", "items[2].identities");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void readingNeedsSubjectsReadAndWritingNeedsSubjectsWrite() {
        assertThat(api.post("/api/v1/subjects", reader, "{}").status()).isEqualTo(403);
        assertThat(api.get("/api/v1/subjects?email=x@example.no", writer).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/subjects?email=x@example.no", null).status()).isEqualTo(401);
    }

    private Api.Response write(String system, String activity, String identities, String data) {
        return api.post("/api/v1/subjects", writer, "{\"system\":\"" + system + "\",\"activity\":\"" + activity
                + "\",\"identities\":" + identities + ",\"data\":" + data + "}");
    }

    private void assertInvalid(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    private List<String> ids(String path) {
        return api.get(path, reader).json().get("items").valueStream().map(item -> item.get("id").asString()).toList();
    }

    private long rows() {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM subject) + (SELECT COUNT(*) FROM subject_identity)"
                + " + (SELECT COUNT(*) FROM subject_value) + (SELECT COUNT(*) FROM data_key)").query(Long.class).single();
    }

    private static String value(JsonNode data, String category, String system) {
        return find(data, category, system).get("value").asString();
    }

    private static JsonNode find(JsonNode data, String category, String system) {
        for (JsonNode value : data) {
            if (value.get("category").asString().equals(category) && value.get("system").asString().equals(system)) {
                return value;
            }
        }
        throw new AssertionError("no " + category + " from " + system + " in " + data);
    }
}
