package no.personvern.mail;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import no.personvern.Personvern;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** With no mail host, every message is written as an RFC 5322 .eml file to the outbox. */
@DatabaseTest
class OutboxTests {

    @Test
    void withoutAMailHostMessagesAreWrittenToTheOutbox() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("mail-outbox"));
        properties.put("server.port", "0");
        properties.put("spring.mail.host", "");
        Path outbox = Path.of((String) properties.get("personvern.data-dir"), "outbox");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            context.getBean(Mailer.class).send(new Mail("kari@example.no", "Bekreft påmeldingen", "Hei!\nLenke: x",
                    Map.of("List-Unsubscribe", "<http://localhost/u/abc>")));
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(outbox)) {
            files = listed.toList();
        }
        assertThat(files).singleElement().satisfies(file -> assertThat(file.toString()).endsWith(".eml"));
        try (InputStream in = Files.newInputStream(files.get(0))) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            assertThat(message.getAllRecipients()[0].toString()).isEqualTo("kari@example.no");
            assertThat(message.getSubject()).isEqualTo("Bekreft påmeldingen");
            assertThat(message.getHeader("List-Unsubscribe")[0]).isEqualTo("<http://localhost/u/abc>");
            assertThat(message.getContent().toString()).contains("Hei!");
        }
    }
}
