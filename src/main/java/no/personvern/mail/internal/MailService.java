package no.personvern.mail.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

@Service
class MailService implements Mailer {

    private final JavaMailSender sender;
    private final Path outbox;
    private final String from;

    MailService(ObjectProvider<JavaMailSender> sender, @Value("${personvern.data-dir}") Path dataDir,
            @Value("${personvern.mail.from:}") String from, @Value("${spring.mail.host:}") String host) {
        this.sender = host.isBlank() ? null : sender.getIfAvailable();
        this.outbox = dataDir.resolve("outbox");
        this.from = from;
    }

    @Override
    public void send(Mail mail) {
        try {
            MimeMessage message = sender != null ? sender.createMimeMessage()
                    : new MimeMessage(Session.getInstance(new Properties()));
            message.setFrom(new InternetAddress(from));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
            for (var header : mail.headers().entrySet()) {
                message.setHeader(header.getKey(), header.getValue());
            }
            message.saveChanges();
            if (sender != null) {
                sender.send(message);
            } else {
                Files.createDirectories(outbox);
                try (OutputStream out = Files.newOutputStream(outbox.resolve(UUID.randomUUID() + ".eml"))) {
                    message.writeTo(out);
                }
            }
        } catch (MessagingException | MailException e) {
            throw new IllegalStateException("the mail could not be sent", e);
        } catch (IOException e) {
            throw new UncheckedIOException("the mail could not be written to the outbox", e);
        }
    }
}
