package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.base.GreenMailOperations;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the test SMTP server ({@link Smtp}) received, and what a person reads in it: a code, a link.
 * Given the outbox's database, every look-up first waits until the outbox has sent what was queued
 * ({@link Smtp#awaitOutboxSent}), so that "the last mail" is the last one Personvern meant to send.
 */
public final class Mailbox {

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Pattern PACKAGE =
            Pattern.compile("(/api/v1/public/requests/[0-9a-f-]+/package\\?token=[A-Za-z0-9_-]+)");
    private static final Pattern CONFIRM = Pattern.compile("(/subscriptions/confirm/[A-Za-z0-9_-]+)");

    private final GreenMailOperations server;
    private final JdbcClient outbox;

    private Mailbox(GreenMailOperations server, JdbcClient outbox) {
        this.server = server;
        this.outbox = outbox;
    }

    /** The server's mail, read once the outbox in this database has nothing pending. */
    public static Mailbox of(GreenMailOperations server, JdbcClient outbox) {
        return new Mailbox(server, outbox);
    }

    /** The server's mail, read as it arrives (for an application whose outbox the test cannot see). */
    public static Mailbox of(GreenMailOperations server) {
        return new Mailbox(server, null);
    }

    /** Every message received. */
    public List<MimeMessage> all() {
        settle();
        return List.of(server.getReceivedMessages());
    }

    /** The last message to {@code address}, waiting up to 20 seconds for one. */
    public MimeMessage lastTo(String address) {
        settle();
        await("a mail to " + address).atMost(Duration.ofSeconds(20)).until(() -> !received(address).isEmpty());
        List<MimeMessage> mails = received(address);
        return mails.get(mails.size() - 1);
    }

    /** The addresses every message received went to, one per recipient. */
    public Stream<String> recipients() {
        return all().stream().flatMap(Mailbox::recipients);
    }

    /** Forgets what was received, once what is queued has been sent (so that it does not arrive later). */
    public void clear() {
        settle();
        server.reset();
    }

    /** The decoded text of a mail (the body is quoted-printable on the wire). */
    public static String text(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The six-digit code in a mail. */
    public static String code(MimeMessage mail) {
        return find(CODE, mail, "a six-digit code");
    }

    /** The path (with its token) of the access package a mail links to. */
    public static String packageLink(MimeMessage mail) {
        return find(PACKAGE, mail, "a package link");
    }

    /** The path of the subscription confirmation a mail links to. */
    public static String confirmLink(MimeMessage mail) {
        return find(CONFIRM, mail, "a confirmation link");
    }

    public static Stream<String> recipients(MimeMessage mail) {
        try {
            return Arrays.stream(mail.getAllRecipients()).map(Object::toString);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Pattern pattern, MimeMessage mail, String what) {
        Matcher matcher = pattern.matcher(text(mail));
        assertThat(matcher.find()).as(what + " in the mail").isTrue();
        return matcher.group(1);
    }

    private List<MimeMessage> received(String address) {
        return Arrays.stream(server.getReceivedMessages())
                .filter(message -> recipients(message).findFirst().orElse("").equals(address)).toList();
    }

    private void settle() {
        if (outbox != null) {
            Smtp.awaitOutboxSent(outbox);
        }
    }
}
