package no.personvern.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.People;
import no.personvern.testing.Requests;
import no.personvern.testing.Smtp;
import no.personvern.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Art. 21(3) is absolute, also for marketing without consent: on a catalog (the second one) with
 * an activity that e-mails existing customers under a soft opt-in (markedsføringsloven § 15(3),
 * legitimate interests), an objection stops that activity for the person the moment it is opened,
 * and the DPO cannot reject it.
 */
@DatabaseTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"personvern.mail.poll-interval=PT0.1S", "personvern.mail.retry.initial-delay=PT0S"})
class SoftOptInObjectionTests {

    static final String OFFERS = "customer-offers";

    @RegisterExtension
    static final GreenMailExtension MAIL = Smtp.server();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Smtp.properties(registry);
        String second;
        try (InputStream in = SoftOptInObjectionTests.class.getResourceAsStream("/catalogs/second.yaml")) {
            second = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String anchor = "  - key: site-analytics\n";
        assertThat(second).contains(anchor);
        String variant = second.replace(anchor, """
                  - key: %s
                    name: {nb: Tilbud til kunder, en: Offers to customers}
                    systems: [digest]
                    purposes: [marketing.communications.email]
                    legalBasis: legitimate_interests
                    legitimateInterest: {nb: å tilby kundene lignende tjenester, en: offering customers similar services}
                    softOptIn: true
                    dataSubjects: [customer]
                    dataCategories: [user.name, user.contact.email]
                    retention: {after: P2Y}
                    recipients: [mail-relay]

                """.formatted(OFFERS) + anchor);
        Path file = Files.createTempFile("soft-opt-in", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, variant);
        registry.add("personvern.catalog", () -> file.toUri().toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    Vault vault;

    @Test
    void anObjectionStopsMarketingOnASoftOptInAtOnceAndTheDpoCannotRejectIt() {
        Api api = new Api(port);
        String agent = new Tokens(api).issue("kundesenter", "requests:manage");
        String email = "tilbud-" + UUID.randomUUID().toString().substring(0, 8) + "@example.no";
        String subject = People.in("ledger", "accounts").email(email).data("user.name", "Siri Salg")
                .create(api, Api.ADMIN_TOKEN);
        assertThat(People.in("digest", OFFERS).email(email).data("user.name", "Siri Salg").write(api,
                Api.ADMIN_TOKEN).status()).isEqualTo(200);

        Api.Response filed = new Requests(api).fileForStaff(agent, "objection", email);
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        String id = filed.json().get("id").asString();

        assertThat(restrictionsBy(subject, OFFERS)).as("stopped on opening, without the DPO's weighing")
                .containsOnly("objection:" + id);
        assertThat(restrictionsBy(subject, "accounts")).as("the service goes on").containsOnlyNulls();
        assertThat(People.in("digest", OFFERS).email(email).data("user.name", "Siri S.").write(api, Api.ADMIN_TOKEN)
                .status()).as("no more marketing writes for the person").isEqualTo(409);

        Api.Response rejected = api.post("/api/v1/requests/" + id + "/objection-decisions", Api.ADMIN_TOKEN,
                Json.object("activity", OFFERS, "decision", "rejected", "reasons", "Vi vil fortsatt sende tilbud."));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        assertThat(rejected.contentType()).startsWith("application/problem+json");
        assertThat(rejected.json().get("errors").findValuesAsString("field")).containsExactly("decision");
        assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("objections")).isEmpty();
        assertThat(restrictionsBy(subject, OFFERS)).containsOnly("objection:" + id);
    }

    private List<String> restrictionsBy(String subject, String activity) {
        List<SubjectView.StoredValue> values = vault.readForAccess(UUID.fromString(subject)).data().stream()
                .filter(value -> value.activity().equals(activity)).toList();
        assertThat(values).as("values under " + activity).isNotEmpty();
        return values.stream().map(SubjectView.StoredValue::restriction).toList();
    }
}
