package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import no.personvern.testing.Api;
import no.personvern.testing.AppProcess;
import no.personvern.testing.DatabaseTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SPEC 4, every read of personal data is audited, durably: reads' entries are committed in groups
 * (one commit for concurrent reads), and each read answers only after its entry is committed. The
 * packaged application is killed with SIGKILL while many clients read; after the restart, every read
 * that was answered 200 has its entry in the trail (reads in flight may have one too: at least as
 * many entries as answers), on the embedded H2 default as on PostgreSQL.
 */
@DatabaseTest
class AnsweredReadsAuditedAfterKillIT {

    private static final int READERS = 12;
    private static final int PEOPLE = 10;

    @Test
    void everyAnsweredReadHasItsEntryAfterKill9() throws Exception {
        try (AppProcess app = AppProcess.onFreshDatabase(getClass().getSimpleName())
                .property("personvern.public.rate-limit-per-minute", 1_000_000).start()) {
            Api api = app.api();
            List<String> people = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                people.add(api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                        {"system":"newsletter","activity":"newsletter","identities":{"email":"read-%d-%s@example.no"},\
                        "data":{"user.name":"Person %d"}}""".formatted(i, UUID.randomUUID(), i)).json().get("id").asString());
            }
            Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
            people.forEach(person -> answered.put(person, new AtomicInteger()));
            AtomicInteger total = new AtomicInteger();
            AtomicBoolean killing = new AtomicBoolean();
            ExecutorService readers = Executors.newFixedThreadPool(READERS);
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                running.add(readers.submit(() -> {
                    for (int n = 0; !killing.get(); n++) {
                        String person = people.get((reader + n) % PEOPLE);
                        Api.Response read;
                        try {
                            read = api.get("/api/v1/subjects/" + person, Api.ADMIN_TOKEN);
                        } catch (IllegalStateException gone) {
                            if (killing.get()) {
                                return;
                            }
                            throw gone;
                        }
                        if (read.status() != 200) {
                            throw new AssertionError("read answered " + read.status() + ": " + read.body());
                        }
                        answered.get(person).incrementAndGet();
                        total.incrementAndGet();
                    }
                }));
            }
            await("reads").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .failFast("a reader failed", () -> running.stream().anyMatch(Future::isDone))
                    .until(() -> total.get() >= 600);
            killing.set(true);
            app.kill();
            for (Future<?> reader : running) {
                reader.get(1, TimeUnit.MINUTES);
            }
            readers.shutdown();

            app.start();
            Api again = app.api();
            for (String person : people) {
                assertThat(reads(again, person)).as("entries of the answered reads of " + person)
                        .isGreaterThanOrEqualTo(answered.get(person).get());
            }
            JsonNode verified = again.get("/api/v1/audit/verify", Api.ADMIN_TOKEN).json();
            assertThat(verified.get("valid").asBoolean()).isTrue();
        }
    }

    private static int reads(Api api, String person) {
        int reads = 0;
        long after = 0;
        while (true) {
            JsonNode page = api.get("/api/v1/audit?subjectId=" + person + "&limit=1000&after=" + after, Api.ADMIN_TOKEN)
                    .json();
            for (JsonNode entry : page.get("items")) {
                if (entry.get("action").asString().equals("subject.read")) {
                    reads++;
                }
            }
            if (!page.has("next") || page.get("next").isNull()) {
                return reads;
            }
            after = page.get("next").asLong();
        }
    }
}
