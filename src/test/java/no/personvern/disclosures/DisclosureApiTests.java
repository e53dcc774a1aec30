package no.personvern.disclosures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.MutableClock;
import no.personvern.testing.People;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Processors with their DPA state, and disclosures only under a valid DPA or to an authority (S12, S13). */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DisclosureApiTests {

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    no.personvern.subjects.Vault vault;

    Api api;
    String officer;
    UUID subject;

    @BeforeEach
    void setUp() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        api = new Api(port);
        officer = new Tokens(api).issue("dpo", "disclosures:write", "subjects:read", "catalog:read");
        subject = UUID.fromString(People.in("go", "service-delivery").email("kari-" + UUID.randomUUID() + "@example.no")
                .data("user.name", "Kari Nordmann").create(api, Api.ADMIN_TOKEN));
    }

    @Test
    void processorsShowTheirDpaStateCountriesAndCoveredCategories() {
        JsonNode processors = api.get("/api/v1/processors", officer).json().get("processors");
        JsonNode hosting = find(processors, "hosting-provider");
        assertThat(hosting.get("name").asString()).isEqualTo("Eksempel Drift AS");
        assertThat(hosting.get("dpa").get("state").asString()).isEqualTo("valid");
        assertThat(hosting.get("dpa").get("reference").asString()).isEqualTo("EX-DPA-2024-001");
        assertThat(hosting.get("countries").toString()).isEqualTo("[\"NO\"]");
        assertThat(hosting.get("thirdCountries").size()).isZero();
        assertThat(hosting.get("transferMechanism").asString()).isEqualTo("none");
        assertThat(hosting.get("dataCategories").toString()).contains("user.content.image");

        clock.set(Instant.parse("2026-12-01T10:00:00Z"));
        JsonNode expiring = find(api.get("/api/v1/processors", officer).json().get("processors"), "hosting-provider");
        assertThat(expiring.get("dpa").get("state").asString()).isEqualTo("expiring");
        assertThat(expiring.get("dpa").get("daysLeft").asLong()).isEqualTo(45);

        clock.set(Instant.parse("2027-01-15T10:00:00Z"));
        JsonNode expired = find(api.get("/api/v1/processors", officer).json().get("processors"), "hosting-provider");
        assertThat(expired.get("dpa").get("state").asString()).isEqualTo("expired");
    }

    @Test
    void aDisclosureToAProcessorWithAValidDpaCoveringEveryCategoryIsRecordedAndAudited() {
        Api.Response created = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.contact.email","user.name"],
                 "basis":"dpa","reference":"EX-DPA-2024-002","note":"Newsletter dispatch"}""".formatted(subject));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("recipientName").asString()).isEqualTo("Example Mail Delivery AB");

        JsonNode log = api.get("/api/v1/disclosures?subjectId=" + subject, officer).json().get("disclosures");
        assertThat(log.size()).isEqualTo(1);
        assertThat(log.get(0).get("recipient").asString()).isEqualTo("mail-delivery");
        assertThat(log.get(0).get("basis").asString()).isEqualTo("dpa");
        assertThat(log.get(0).get("reference").asString()).isEqualTo("EX-DPA-2024-002");
        assertThat(log.get(0).get("dataCategories").toString()).isEqualTo("[\"user.contact.email\",\"user.name\"]");
        assertThat(log.get(0).get("disclosedAt").asString()).isEqualTo("2026-06-01T10:00:00Z");

        JsonNode audit = api.get("/api/v1/audit?subjectId=" + subject, Api.ADMIN_TOKEN).json();
        assertThat(audit.toString()).contains("disclosure.recorded").contains("mail-delivery")
                .doesNotContain("Kari").doesNotContain("Newsletter dispatch");
    }

    @Test
    void aProcessorWhoseDpaDoesNotCoverACategoryIsRefusedAndNothingIsRecorded() {
        Api.Response refused = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.contact.email",
                 "user.financial.bank_account"],"basis":"dpa","reference":"EX-DPA-2024-002"}""".formatted(subject));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("detail").asString()).contains("does not cover user.financial.bank_account");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("dataCategories");
        assertThat(count()).isZero();
    }

    @Test
    void aProcessorWhoseDpaHasExpiredIsRefused() {
        clock.set(Instant.parse("2027-02-01T10:00:00Z"));
        Api.Response refused = api.post("/api/v1/disclosures", officer, """
                {"recipient":"hosting-provider","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(subject));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("detail").asString()).contains("expired on 2027-01-15");
        assertThat(count()).isZero();
    }

    @Test
    void anAuthorityNeedsAReferenceAndIsRecordedWithIt() {
        Api.Response missing = api.post("/api/v1/disclosures", officer, """
                {"recipient":"skatteetaten","subjectId":"%s","dataCategories":["user.name"],"basis":"law"}"""
                .formatted(subject));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("reference");

        Api.Response created = api.post("/api/v1/disclosures", officer, """
                {"recipient":"domstolene","subjectId":"%s","dataCategories":["user.name"],"basis":"court-order",
                 "reference":"TOSLO-2026-12345"}""".formatted(subject));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("recipientName").asString()).isEqualTo("Domstolene");
        assertThat(created.json().get("reference").asString()).isEqualTo("TOSLO-2026-12345");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aRestrictedPersonsDataGoesToNoProcessorAndToAnAuthorityOnlyUnderACourtOrderOrALaw() {
        vault.restrict(subject, new no.personvern.subjects.Hold.Reason.Restriction(UUID.randomUUID()));

        Api.Response processor = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa",
                 "reference":"EX-DPA-2024-002"}""".formatted(subject));

        assertThat(processor.status()).as(processor.body()).isEqualTo(409);
        assertThat(processor.body()).contains("Art. 18(2)");
        assertThat(count()).as("nothing recorded").isZero();
        Api.Response court = api.post("/api/v1/disclosures", officer, """
                {"recipient":"domstolene","subjectId":"%s","dataCategories":["user.name"],"basis":"court-order",
                 "reference":"TOSLO-2026-54321"}""".formatted(subject));
        assertThat(court.status()).as("legal claims (Art. 18(2))").isEqualTo(201);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aSaleCanNeverBeRecordedWhateverTheBasisSays() {
        for (String body : new String[] {
                "{\"recipient\":\"Data Broker Inc\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"sale\",\"reference\":\"INV-1\"}",
                "{\"recipient\":\"Data Broker Inc\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"consent\",\"reference\":\"INV-1\"}",
                "{\"recipient\":\"mail-delivery\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"dpa\",\"purpose\":\"sale of the customer list\"}",
                "{\"recipient\":\"skatteetaten\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"law\",\"reference\":\"x\",\"note\":\"salg av kundeliste\"}",
                "{\"recipient\":\"Data Broker Inc\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"law\",\"reference\":\"lov om handel\"}",
                "{\"recipient\":\"mail-delivery\",\"subjectId\":\"%s\",\"dataCategories\":[\"user.name\"],\"basis\":\"regulation\",\"reference\":\"forskrift\"}"}) {
            Api.Response refused = api.post("/api/v1/disclosures", officer, body.formatted(subject));
            assertThat(refused.status()).as(body).isEqualTo(422);
        }
        assertThat(api.post("/api/v1/disclosures", officer, """
                {"recipient":"x","subjectId":"%s","dataCategories":["user.name"],"basis":"sale","reference":"1"}"""
                .formatted(subject)).json().get("detail").asString()).contains("never sold");
        assertThat(count()).isZero();
    }

    @Test
    void unknownPeopleCategoriesAndProcessorsAreClearProblems() {
        Api.Response unknownPerson = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(UUID.randomUUID()));
        assertThat(unknownPerson.status()).isEqualTo(404);
        Api.Response unknownCategory = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.shoe_size"],"basis":"dpa"}"""
                .formatted(subject));
        assertThat(unknownCategory.status()).isEqualTo(422);
        assertThat(unknownCategory.json().get("errors").get(0).get("field").asString()).isEqualTo("dataCategories[0]");
        Api.Response unknownProcessor = api.post("/api/v1/disclosures", officer, """
                {"recipient":"cheap-cloud","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(subject));
        assertThat(unknownProcessor.status()).isEqualTo(422);
        assertThat(unknownProcessor.json().get("detail").asString()).contains("not a processor");
        assertThat(api.post("/api/v1/disclosures", officer, "{not json").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/disclosures", officer).status()).isEqualTo(400);
        assertThat(count()).isZero();
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        Api.Response all = api.post("/api/v1/disclosures", officer, """
                {"recipient":" ","dataCategories":["user.shoe_size","user.name",null],"basis":"barter",
                 "note":"%s"}""".formatted("x".repeat(1001)));
        assertThat(all.status()).isEqualTo(422);
        assertThat(all.errorFields()).containsExactly("basis", "subjectId", "dataCategories[0]", "dataCategories[2]",
                "recipient", "note");
        Api.Response underDpa = api.post("/api/v1/disclosures", officer, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.financial.bank_account"],
                 "basis":"dpa","reference":"EX-WRONG"}""".formatted(subject));
        assertThat(underDpa.errorFields()).containsExactly("dataCategories", "reference");
        assertThat(count()).isZero();
    }

    @Test
    void recordingADisclosureNeedsTheDisclosureScope() {
        String reader = new Tokens(api).issue("r", "subjects:read");
        assertThat(api.post("/api/v1/disclosures", reader, """
                {"recipient":"mail-delivery","subjectId":"%s","dataCategories":["user.name"],"basis":"dpa"}"""
                .formatted(subject)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/processors", null).status()).isEqualTo(401);
    }

    private long count() {
        return jdbc.sql("SELECT COUNT(*) FROM disclosure WHERE subject_id = :s").param("s", subject)
                .query(Long.class).single();
    }

    private static JsonNode find(JsonNode processors, String key) {
        for (JsonNode processor : processors) {
            if (processor.get("key").asString().equals(key)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + key + " in " + processors);
    }
}
