package no.personvern.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With no mail host, messages are written as RFC 5322 .eml files to the outbox directory for
 * trying Personvern out. Those files hold addresses, codes and links in plain text, so they go
 * after 7 days and when their recipient is erased; the outbox table never holds them in plain text.
 */
@DatabaseTest
@SpringBootTest(properties = {"spring.mail.host=", "personvern.mail.poll-interval=PT0.1S",
        "personvern.mail.from=personvern@example.no"})
class EmbeddedOutboxTests {

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        }
    }

    @Autowired
    Mailer mailer;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    Vault vault;

    @Value("${personvern.data-dir}")
    Path dataDir;

    @Test
    void withoutAMailHostMessagesAreWrittenToTheOutboxWithTheirMessageId() throws Exception {
        UUID id = queue(new Mail("kari@example.no", "Bekreft påmeldingen", "Hei!\nLenke: x",
                Map.of("List-Unsubscribe", "<http://localhost/u/abc>")));

        Path file = awaitFile(id);
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            assertThat(message.getAllRecipients()[0].toString()).isEqualTo("kari@example.no");
            assertThat(message.getSubject()).isEqualTo("Bekreft påmeldingen");
            assertThat(message.getHeader("List-Unsubscribe")[0]).isEqualTo("<http://localhost/u/abc>");
            assertThat(message.getMessageID()).isEqualTo("<" + id + "@example.no>");
            assertThat(message.getContent().toString()).contains("Hei!");
        }
    }

    @Test
    void theOutboxTableHoldsNeitherAddressNorCodeInPlainTextAndDropsTheSealedMessageOnceSent() {
        byte[] sealed = transactions.execute(status -> {
            UUID id = queue(new Mail("hemmelig.adresse@example.no", "Koden din: 482913", "Koden er 482913.", Map.of()));
            return jdbc.sql("SELECT sealed FROM mail_outbox WHERE id = :id").param("id", id).query(byte[].class)
                    .single();
        });
        String asText = new String(sealed, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain("hemmelig", "example.no", "482913", "Koden");

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT COUNT(*) FROM mail_outbox"
                + " WHERE status = 'pending' OR sealed IS NOT NULL").query(Long.class).single() == 0);
    }

    @Test
    void outboxFilesAreDeletedAfterSevenDays() throws Exception {
        UUID old = queue(new Mail("gammel@example.no", "Koden din: 111111", "Koden: 111111", Map.of()));
        Path oldFile = awaitFile(old);
        clock.advance(Duration.ofDays(6));
        UUID recent = queue(new Mail("ny@example.no", "Koden din: 222222", "Koden: 222222", Map.of()));
        Path recentFile = awaitFile(recent);

        clock.advance(Duration.ofDays(1).plusMinutes(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(oldFile));
        assertThat(recentFile).as("six days old").exists();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE id = :id").param("id", old).query(Long.class)
                .single()).isZero();
        clock.advance(Duration.ofDays(6));
        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(recentFile));
    }

    @Test
    void anErasedPersonsOutboxFilesAreDeletedWithThem() throws Exception {
        UUID person = vault.write(new SubjectWrite("customer-center", "privacy-requests",
                new Identities("slettes-" + UUID.randomUUID() + "@example.no", null, null), Map.of())).id();
        UUID other = vault.write(new SubjectWrite("customer-center", "privacy-requests",
                new Identities("blir-" + UUID.randomUUID() + "@example.no", null, null), Map.of())).id();
        Path theirs = awaitFile(queue(new Mail("slettes@example.no", "Lenken din", "https://x/package?token=abc",
                Map.of(), person, null)));
        Path kept = awaitFile(queue(new Mail("blir@example.no", "Lenken din", "https://x/package?token=def",
                Map.of(), other, null)));

        vault.eraseSubject(person, List.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(theirs));
        assertThat(kept).exists();
    }

    private UUID queue(Mail mail) {
        return transactions.execute(status -> {
            List<UUID> before = jdbc.sql("SELECT id FROM mail_outbox").query(UUID.class).list();
            mailer.send(mail);
            return jdbc.sql("SELECT id FROM mail_outbox").query(UUID.class).list().stream()
                    .filter(id -> !before.contains(id)).findFirst().orElseThrow();
        });
    }

    private Path awaitFile(UUID id) {
        Path file = dataDir.resolve("outbox").resolve(id + ".eml");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && "sent".equals(jdbc.sql(
                "SELECT status FROM mail_outbox WHERE id = :id").param("id", id).query(String.class).single()));
        return file;
    }
}
