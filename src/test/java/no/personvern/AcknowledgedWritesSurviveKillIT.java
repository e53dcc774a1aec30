package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import no.personvern.testing.Api;
import no.personvern.testing.AppProcess;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * SPEC 4, durability: a consent, a request or a subject write that was acknowledged survives a crash
 * ({@code kill -9}) — on the embedded H2 default as on PostgreSQL. The packaged application runs as a
 * process; clients write from many threads; the process is killed with SIGKILL in the middle of the
 * load, started again on the same data, and every write that was answered 201, 200 or 202 with its
 * id must be found again through the API.
 */
@DatabaseTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcknowledgedWritesSurviveKillIT {

    private static final int CONSENT_CLIENTS = 10;
    private static final int SUBJECT_CLIENTS = 3;
    private static final int STAFF_REQUEST_CLIENTS = 2;
    private static final int PUBLIC_REQUEST_CLIENTS = 1;
    private static final int PEOPLE = 50;
    private static final String PURPOSE = "marketing.communications.email";

    /** A write that was acknowledged, and how to find it again: a GET that answers 200 with {@code expected} in the body. */
    record Acknowledged(String path, String expected) {
    }

    final Queue<Acknowledged> consents = new ConcurrentLinkedQueue<>();
    final Queue<Acknowledged> subjectWrites = new ConcurrentLinkedQueue<>();
    final Queue<Acknowledged> requests = new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlightWhenKilled = new AtomicInteger();
    final AtomicBoolean killing = new AtomicBoolean();

    private static final String DPO_PASSWORD = "first dpo's password";

    AppProcess app;
    String staff;
    no.personvern.testing.ConsoleSession staffSession;

    @BeforeAll
    void writeFromManyClientsAndKillTheProcessMidway() throws Exception {
        app = AppProcess.onFreshDatabase(getClass().getSimpleName())
                .property("personvern.public.rate-limit-per-minute", 1_000_000)
                .property("personvern.requests.per-client-per-hour", 1_000_000)
                .property("personvern.admin-user", "first.dpo")
                .property("personvern.admin-password", DPO_PASSWORD)
                .start();
        // A member of staff signed in before the crash.
        staffSession = no.personvern.testing.ConsoleSession.signedIn(app.port(), "first.dpo", DPO_PASSWORD);
        Api api = app.api();
        staff = api.post("/api/v1/tokens", Api.ADMIN_TOKEN, """
                {"name":"durability","scopes":["subjects:write","subjects:read","consent:write","requests:manage"]}""")
                .json().get("token").asString();
        List<String> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(api.post("/api/v1/subjects", staff, subject("person-" + i + "-" + UUID.randomUUID(), "Person " + i))
                    .json().get("id").asString());
        }

        ExecutorService clients = Executors.newFixedThreadPool(
                CONSENT_CLIENTS + SUBJECT_CLIENTS + STAFF_REQUEST_CLIENTS + PUBLIC_REQUEST_CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CONSENT_CLIENTS; i++) {
            running.add(clients.submit(() -> untilKilled(n -> recordConsent(api, people.get(n % PEOPLE), n))));
        }
        for (int i = 0; i < SUBJECT_CLIENTS; i++) {
            running.add(clients.submit(() -> untilKilled(n -> writeSubjects(api, n))));
        }
        for (int i = 0; i < STAFF_REQUEST_CLIENTS; i++) {
            running.add(clients.submit(() -> untilKilled(n -> fileStaffRequest(api))));
        }
        for (int i = 0; i < PUBLIC_REQUEST_CLIENTS; i++) {
            running.add(clients.submit(() -> untilKilled(n -> filePublicRequest(api))));
        }

        // A few seconds of load, then the crash while every client is still writing.
        await("load").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .failFast("a client failed", () -> running.stream().anyMatch(Future::isDone))
                .until(() -> consents.size() >= 400 && subjectWrites.size() >= 60 && requests.size() >= 40);
        killing.set(true);
        app.kill();
        for (Future<?> client : running) {
            client.get(1, TimeUnit.MINUTES);
        }
        clients.shutdown();

        // A changed variable does not reset the first DPO's password on a later start.
        app.property("personvern.admin-password", "a different password for the restart");
        app.start();
    }

    @Test
    void aStaffSessionSurvivesKill9AndTheFirstDposPasswordIsNeitherResetNorLogged() throws Exception {
        var again = staffSession.onPort(app.port());
        assertThat(again.get("/admin").status()).as("the session of before the crash, after the restart").isEqualTo(200);
        assertThat(no.personvern.testing.ConsoleSession.signedIn(app.port(), "first.dpo", DPO_PASSWORD)).isNotNull();
        String log = java.nio.file.Files.readString(app.log());
        assertThat(log).doesNotContain(DPO_PASSWORD).doesNotContain("a different password for the restart");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void everyAcknowledgedConsentIsFoundAfterKill9() {
        assertAllFound("consents (201 with receiptId)", consents);
    }

    @Test
    void everyAcknowledgedSubjectWriteIsFoundAfterKill9() {
        assertAllFound("subject writes (201/200 with id)", subjectWrites);
    }

    @Test
    void everyAcknowledgedRequestIsFoundAfterKill9() {
        assertAllFound("requests (staff 201, public 202 with id)", requests);
    }

    private void assertAllFound(String what, Queue<Acknowledged> acknowledged) {
        Api api = app.api();
        List<String> lost = acknowledged.parallelStream().filter(ack -> {
            Api.Response found = api.get(ack.path(), staff);
            return found.status() != 200 || !found.body().contains(ack.expected());
        }).map(Acknowledged::path).toList();
        assertThat(acknowledged).as("acknowledged " + what + " before the kill").isNotEmpty();
        String summary = "%d of %d acknowledged %s lost after kill -9 (%d writes were in flight when killed; log %s)"
                .formatted(lost.size(), acknowledged.size(), what, inFlightWhenKilled.get(), app.log());
        System.out.println(summary);
        assertThat(lost.size()).as(summary + "; e.g. " + lost.stream().limit(3).toList()).isZero();
    }

    /** One client: writes until the process is gone; a write whose answer never came is not acknowledged. */
    private void untilKilled(Write write) {
        for (int n = 0; !killing.get(); n++) {
            try {
                write.next(n);
            } catch (IllegalStateException e) {
                if (!killing.get()) {
                    throw e;
                }
                inFlightWhenKilled.incrementAndGet();
                return;
            }
        }
    }

    @FunctionalInterface
    interface Write {
        void next(int n);
    }

    private void recordConsent(Api api, String person, int n) {
        Api.Response answer = api.post("/api/v1/subjects/" + person + "/consents", staff,
                "{\"purpose\":\"" + PURPOSE + "\",\"granted\":" + (n % 2 == 0) + ",\"method\":\"web-form\"}");
        expect(answer, 201);
        String receipt = answer.json().get("receiptId").asString();
        consents.add(new Acknowledged("/api/v1/consents/" + receipt, receipt));
    }

    /** A new person (201), then new data merged into them (200), then three people imported at once. */
    private void writeSubjects(Api api, int n) {
        String email = "durable-" + UUID.randomUUID() + "@example.no";
        String name = "Name " + UUID.randomUUID();
        switch (n % 3) {
            case 0 -> {
                Api.Response created = api.post("/api/v1/subjects", staff, subject(email, name));
                expect(created, 201);
                subjectWrites.add(new Acknowledged("/api/v1/subjects/" + created.json().get("id").asString(), name));
            }
            case 1 -> {
                api.post("/api/v1/subjects", staff, subject(email, "First " + name));
                Api.Response merged = api.post("/api/v1/subjects", staff, subject(email, name));
                expect(merged, 200);
                subjectWrites.add(new Acknowledged("/api/v1/subjects/" + merged.json().get("id").asString(), name));
            }
            default -> {
                List<String> names = List.of(name + " a", name + " b", name + " c");
                Api.Response imported = api.post("/api/v1/subjects/import", staff, "{\"items\":["
                        + String.join(",", names.stream().map(each -> subject("import-" + UUID.randomUUID() + "@example.no",
                                each)).toList()) + "]}");
                expect(imported, 200);
                JsonNode items = imported.json().get("items");
                for (int i = 0; i < names.size(); i++) {
                    subjectWrites.add(new Acknowledged("/api/v1/subjects/" + items.get(i).get("id").asString(), names.get(i)));
                }
            }
        }
    }

    private void fileStaffRequest(Api api) {
        Api.Response filed = api.post("/api/v1/requests", staff, "{\"type\":\"rectification\",\"email\":\"staff-"
                + UUID.randomUUID() + "@example.no\",\"channel\":\"customer-center\",\"verifiedBy\":\"agent 7: BankID\"}");
        expect(filed, 201);
        String id = filed.json().get("id").asString();
        requests.add(new Acknowledged("/api/v1/requests/" + id, id));
    }

    private void filePublicRequest(Api api) {
        Api.Response accepted = api.post("/api/v1/public/requests", null,
                "{\"type\":\"access\",\"email\":\"public-" + UUID.randomUUID() + "@example.no\"}");
        expect(accepted, 202);
        String id = accepted.json().get("id").asString();
        requests.add(new Acknowledged("/api/v1/requests/" + id, id));
    }

    private static String subject(String email, String name) {
        return """
                {"system":"newsletter","activity":"newsletter","identities":{"email":"%s"},"data":{"user.name":"%s"}}"""
                .formatted(email.contains("@") ? email : email + "@example.no", name);
    }

    private void expect(Api.Response answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + " but got " + answer.status() + ": " + answer.body());
        }
    }
}
