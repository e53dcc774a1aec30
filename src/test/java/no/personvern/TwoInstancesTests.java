package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.testing.Api;
import no.personvern.testing.Instances;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.Json;
import no.personvern.testing.Smtp;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SPEC 4, several instances: two instances on one database run the same scheduled work (the mail
 * outbox, the resubmission of durable events, retention runs) and none of it is done twice.
 */
@DatabaseTest
class TwoInstancesTests {

    @Test
    void mailQueuedOnBothInstancesIsSentOnceEach() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(Smtp.PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, Object> database = TestDatabases.freshDatabase("two-instances-mail");
        int mails = 30;
        try (ConfigurableApplicationContext a = Instances.start(database, mail());
                ConfigurableApplicationContext b = Instances.start(database, mail())) {
            for (int i = 0; i < mails; i++) {
                ConfigurableApplicationContext app = i % 2 == 0 ? a : b;
                int n = i;
                app.getBean(TransactionTemplate.class).executeWithoutResult(status -> app.getBean(Mailer.class)
                        .send(new Mail("to-" + n + "@example.no", "Melding " + n, "Tekst " + n, Map.of())));
            }
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            Smtp.awaitOutboxSent(jdbc);
            // A message sent twice would arrive after the outbox marked it sent: no more may come for a while.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                    .until(() -> smtp.getReceivedMessages().length == mails);
            Map<String, Long> perMessageId = Arrays.stream(smtp.getReceivedMessages())
                    .collect(Collectors.groupingBy(TwoInstancesTests::messageId, Collectors.counting()));
            assertThat(perMessageId).hasSize(mails);
            assertThat(perMessageId.values()).as("each message once").containsOnly(1L);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND attempts = 1")
                    .query(Long.class).single()).isEqualTo(mails);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void reactionsLeftIncompleteAreResubmittedOnceByTwoInstancesPassingEveryTenthOfASecond() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("two-instances-events");
        int people = 12;
        try (ConfigurableApplicationContext crashed = Instances.start(database, Map.of())) {
            Api api = Instances.api(crashed);
            List<String> subjects = new ArrayList<>();
            for (int i = 0; i < people; i++) {
                subjects.add(api.post("/api/v1/subjects", Api.ADMIN_TOKEN, "{\"system\":\"newsletter\",\"activity\":"
                        + "\"newsletter\",\"identities\":{\"email\":\"to-" + i + "-" + UUID.randomUUID()
                        + "@example.no\"},\"data\":{}}").json().get("id").asString());
            }
            Instances.occupyListeners(crashed);
            for (String subject : subjects) {
                assertThat(api.post("/api/v1/subjects/" + subject + "/consents", Api.ADMIN_TOKEN,
                        "{\"purpose\":\"marketing.communications.email\",\"granted\":false,\"method\":\"web-form\",\"activity\":\"newsletter\"}")
                        .status()).isEqualTo(201);
            }
            Instances.crash(crashed);
        }
        Map<String, String> passing = Map.of("personvern.events.resubmit-interval", "PT0.1S",
                "personvern.events.stale-after", "PT3S");
        try (ConfigurableApplicationContext a = Instances.start(database, passing);
                ConfigurableApplicationContext b = Instances.start(database, passing)) {
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM event_publication"
                    + " WHERE completion_date IS NULL").query(Long.class).single() == 0);
            // Ten more passes on each instance: none of them may resubmit a completed reaction.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> jdbc
                    .sql("SELECT completion_attempts FROM event_publication").query(Integer.class).list().stream()
                    .allMatch(attempts -> attempts == 2));
            assertThat(jdbc.sql("SELECT completion_attempts FROM event_publication").query(Integer.class).list())
                    .as("the first attempt, lost, and one resubmission by one of the two").hasSize(people)
                    .containsOnly(2);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM retention_trigger GROUP BY subject_id, activity_key"
                    + " HAVING COUNT(*) > 1").query(Long.class).list()).as("no clock started twice").isEmpty();
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT subject_id) FROM retention_trigger WHERE kind = 'withdrawal'")
                    .query(Long.class).single()).isEqualTo(people);
        }
    }

    @Test
    void aRetentionRunGoesOnOneInstanceAtATime() throws Exception {
        Map<String, Object> database = TestDatabases.freshDatabase("two-instances-retention");
        try (ConfigurableApplicationContext a = Instances.start(database, Map.of());
                ConfigurableApplicationContext b = Instances.start(database, Map.of())) {
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            // Instance a holds the cluster-wide sweep lock (its lease far from over).
            jdbc.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES ('retention-sweep',"
                    + " TIMESTAMP '2999-01-01 00:00:00', TIMESTAMP '2000-01-01 00:00:00', 'instance a')").update();
            Api.Response refused = Instances.api(b)
                    .post("/api/v1/retention/runs", Api.ADMIN_TOKEN, Json.object("dryRun", false));
            assertThat(refused.status()).as("the other instance holds the lease").isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    private static Map<String, String> mail() {
        return Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", String.valueOf(Smtp.PORT),
                "personvern.mail.from", "personvern@example.no", "personvern.mail.poll-interval", "PT0.05S");
    }
    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
