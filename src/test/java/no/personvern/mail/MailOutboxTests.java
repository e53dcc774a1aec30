package no.personvern.mail;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.Personvern;
import no.personvern.testing.Api;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.SlowProxy;
import no.personvern.testing.Smtp;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mail goes through the outbox table: queued in the transaction of the change, sent by a worker
 * with retries while the mail server is down, once across instances, never for a rolled-back change.
 */
@DatabaseTest
class MailOutboxTests {

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    GreenMail smtp;

    @AfterEach
    void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aRequestIsAcceptedWhileTheMailServerIsDownAndTheCodeArrivesWhenItIsBack() throws Exception {
        try (ConfigurableApplicationContext app = start(TestDatabases.freshDatabase("mail-smtp-down"),
                Map.of("personvern.mail.max-attempts", "1000"))) {
            Api api = new Api(port(app));
            JdbcClient jdbc = app.getBean(JdbcClient.class);

            Api.Response accepted = api.post("/api/v1/public/requests", null,
                    "{\"type\":\"access\",\"email\":\"nede@example.no\"}");

            assertThat(accepted.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT MAX(attempts) FROM mail_outbox")
                    .query(Integer.class).single() >= 2);
            assertThat(jdbc.sql("SELECT status FROM mail_outbox").query(String.class).single()).isEqualTo("pending");

            startSmtp();

            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 1);
            MimeMessage code = smtp.getReceivedMessages()[0];
            assertThat(code.getAllRecipients()[0].toString()).isEqualTo("nede@example.no");
            Matcher matcher = CODE.matcher(code.getContent().toString());
            assertThat(matcher.find()).isTrue();
            String id = accepted.json().get("id").asString();
            assertThat(api.post("/api/v1/public/requests/" + id + "/verify", null, "{\"code\":\"" + matcher.group(1)
                    + "\"}").status()).isEqualTo(200);
            Smtp.awaitOutboxSent(jdbc);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND sealed IS NULL")
                    .query(Long.class).single()).as("code, receipt and package link, their content gone").isEqualTo(3);
            assertThat(smtp.getReceivedMessages()).hasSize(3);
        }
    }

    @Test
    void aChangeThatRollsBackSendsNothing() throws Exception {
        startSmtp();
        try (ConfigurableApplicationContext app = start(TestDatabases.freshDatabase("mail-rollback"), Map.of())) {
            Mailer mailer = app.getBean(Mailer.class);
            TransactionTemplate transactions = app.getBean(TransactionTemplate.class);
            JdbcClient jdbc = app.getBean(JdbcClient.class);

            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                mailer.send(new Mail("angret@example.no", "Koden din: 123456", "Koden: 123456", Map.of()));
                throw new IllegalStateException("the change fails after the mail was queued");
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> mailer.send(new Mail("utenfor@example.no", "x", "y", Map.of())))
                    .as("mail is queued only as part of a change").isNotNull();
            transactions.executeWithoutResult(status -> mailer.send(new Mail("etterpa@example.no", "Etterpå",
                    "Denne kom.", Map.of())));

            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
            Smtp.awaitOutboxSent(jdbc);
            assertThat(Arrays.stream(smtp.getReceivedMessages()).map(MailOutboxTests::recipient).toList())
                    .containsExactly("etterpa@example.no");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox").query(Long.class).single()).isEqualTo(1);
        }
    }

    @Test
    void twoInstancesOnOneDatabaseSendEachMessageOnceWithAStableMessageId() throws Exception {
        startSmtp();
        Map<String, Object> database = TestDatabases.freshDatabase("mail-two-instances");
        int mails = 40;
        try (ConfigurableApplicationContext first = start(database, Map.of());
                ConfigurableApplicationContext second = start(database, Map.of())) {
            for (int i = 0; i < mails; i++) {
                int n = i;
                ConfigurableApplicationContext app = n % 2 == 0 ? first : second;
                app.getBean(TransactionTemplate.class).executeWithoutResult(status -> app.getBean(Mailer.class)
                        .send(new Mail("mottaker-" + n + "@example.no", "Melding " + n, "Tekst " + n, Map.of())));
            }
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Smtp.awaitOutboxSent(jdbc);
            List<UUID> ids = jdbc.sql("SELECT id FROM mail_outbox WHERE status = 'sent'").query(UUID.class).list();
            assertThat(ids).hasSize(mails);
            MimeMessage[] received = smtp.getReceivedMessages();
            assertThat(received).as("each message once").hasSize(mails);
            assertThat(Arrays.stream(received).map(MailOutboxTests::recipient).distinct()).hasSize(mails);
            assertThat(Arrays.stream(received).map(MailOutboxTests::messageId).toList())
                    .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "<" + id + "@example.no>").toList());
        }
    }

    /**
     * A batch through a slow mail server (each connection answered after 300 ms) with a lease of
     * 1 s: longer than one message takes, shorter than the batch. Each message is claimed for
     * itself when its turn comes, so the other instance never takes a message one is sending.
     */
    @Test
    void twoInstancesSendingABatchThroughASlowServerSendEachMessageOnce() throws Exception {
        startSmtp();
        Map<String, Object> database = TestDatabases.freshDatabase("mail-two-instances-slow");
        int mails = 12;
        try (SlowProxy slow = new SlowProxy(Smtp.PORT, Duration.ofMillis(300))) {
            Map<String, String> slowServer = Map.of("spring.mail.port", String.valueOf(slow.port()),
                    "personvern.mail.lease", "PT1S", "personvern.mail.poll-interval", "PT0.05S");
            try (ConfigurableApplicationContext first = start(database, slowServer);
                    ConfigurableApplicationContext second = start(database, slowServer)) {
                first.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
                    for (int i = 0; i < mails; i++) {
                        first.getBean(Mailer.class).send(new Mail("mottaker-" + i + "@example.no", "Melding " + i,
                                "Tekst " + i, Map.of()));
                    }
                });
                JdbcClient jdbc = first.getBean(JdbcClient.class);
                Smtp.awaitOutboxSent(jdbc);
                // A message sent twice would arrive after the outbox marked it sent: no more may come for a while.
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                        .until(() -> smtp.getReceivedMessages().length == mails);
                Map<String, Long> perMessageId = Arrays.stream(smtp.getReceivedMessages())
                        .collect(java.util.stream.Collectors.groupingBy(MailOutboxTests::messageId,
                                java.util.stream.Collectors.counting()));
                assertThat(perMessageId).as("every message arrived").hasSize(mails);
                assertThat(perMessageId.values().stream().filter(n -> n > 1).count())
                        .as("messages that arrived more than once, of " + mails).isZero();
                assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND attempts = 1")
                        .query(Long.class).single()).as("each sent in one attempt").isEqualTo(mails);
            }
        }
    }

    @Test
    void aMailGivenUpAfterItsRetriesIsCountedAndFlagsTheRequestForTheDpo() throws Exception {
        Map<String, String> failing = Map.of("personvern.mail.max-attempts", "3");
        try (ConfigurableApplicationContext app = start(TestDatabases.freshDatabase("mail-given-up"), failing)) {
            Api api = new Api(port(app));
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            String id = api.post("/api/v1/requests", Api.ADMIN_TOKEN, "{\"type\":\"rectification\",\"email\":"
                    + "\"borte@example.no\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 3\"}")
                    .json().get("id").asString();

            Api.Response completed = api.post("/api/v1/requests/" + id + "/complete", Api.ADMIN_TOKEN,
                    "{\"outcome\":\"Adressen er rettet.\"}");

            assertThat(completed.status()).as("the outcome is recorded though the mail cannot go yet").isEqualTo(200);
            assertThat(completed.json().has("attention")).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN)
                    .json().has("attention"));
            assertThat(api.get("/api/v1/requests/" + id, Api.ADMIN_TOKEN).json().get("attention").asString())
                    .contains("outcome could not be sent");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed' AND sealed IS NULL")
                    .query(Long.class).single()).as("the receipt and the outcome, both given up, their content gone")
                    .isEqualTo(2);
            assertThat(api.get("/actuator/prometheus", Api.ADMIN_TOKEN).body())
                    .containsPattern("personvern_mail_undeliverable_total\\S* 2\\.0");
        }
    }

    private void startSmtp() {
        smtp = new GreenMail(new ServerSetup(Smtp.PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", String.valueOf(Smtp.PORT));
        properties.put("personvern.mail.from", "personvern@example.no");
        properties.put("personvern.mail.poll-interval", "PT0.1S");
        properties.put("personvern.mail.retry.initial-delay", "PT0.2S");
        properties.put("personvern.mail.retry.max-delay", "PT0.5S");
        properties.putAll(extra);
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
