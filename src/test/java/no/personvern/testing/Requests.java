package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Data-subject requests as people and staff file them: a public request verified with the code
 * mailed to the address, a request staff file after checking who the person is, and the access
 * package a mailed link opens.
 */
public final class Requests {

    private final Api api;
    private final Mailbox mailbox;

    public Requests(Api api, Mailbox mailbox) {
        this.api = api;
        this.mailbox = mailbox;
    }

    /** For a test that reads no mail: filing and verifying only. */
    public Requests(Api api) {
        this(api, null);
    }

    /** A public request ({@code POST /api/v1/public/requests}), not yet verified. */
    public Api.Response file(String type, String email) {
        return api.post("/api/v1/public/requests", null, Json.object("type", type, "email", email));
    }

    /** A public request from a given client, as a trusted proxy in front of Personvern would name it. */
    public Api.Response file(String type, String email, String client) {
        return api.send("POST", "/api/v1/public/requests", null,
                Map.of("Content-Type", "application/json", "X-Forwarded-For", client),
                Json.object("type", type, "email", email));
    }

    public Api.Response verify(String id, String code) {
        return api.post("/api/v1/public/requests/" + id + "/verify", null, Json.object("code", code));
    }

    /** The code last mailed to {@code email}. */
    public String mailedCode(String email) {
        return Mailbox.code(mailbox().lastTo(email));
    }

    /** A request staff file at the customer centre after checking the person's identity (BankID). */
    public Api.Response fileForStaff(String token, String type, String email) {
        return api.post("/api/v1/requests", token, staffBody(type, email));
    }

    public static String staffBody(String type, String email) {
        return Json.object("type", type, "email", email, "channel", "customer-center", "verifiedBy", "agent 7: BankID");
    }

    /** The entries (name → text) of the access package behind the link last mailed to {@code email}. */
    public Map<String, String> mailedPackage(String email) {
        HttpResponse<byte[]> zip = api.getBytes(Mailbox.packageLink(mailbox().lastTo(email)), null);
        assertThat(zip.statusCode()).isEqualTo(200);
        return unzip(zip.body());
    }

    public static Map<String, String> unzip(byte[] bytes) {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The entries (name → bytes) of a package, for files that are not text. */
    public static Map<String, byte[]> unzipBytes(byte[] bytes) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private Mailbox mailbox() {
        if (mailbox == null) {
            throw new IllegalStateException("this Requests was made without a mailbox");
        }
        return mailbox;
    }
}
