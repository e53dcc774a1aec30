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
import no.personvern.testing.AppProcess;
import no.personvern.testing.Api;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4, durability, with the key store in an H2 database of its own (PERSONVERN_KEYSTORE_URL):
 * its writes are not in the main database's transactions, yet a person acknowledged as written
 * must still be readable after a kill -9 — their data key must have reached its file too. Embedded
 * H2 only (a separate key store on PostgreSQL is durable by itself).
 */
class KeyStoreOfItsOwnSurvivesKillIT {

    @Test
    void everyAcknowledgedPersonIsReadableAfterKill9() throws Exception {
        AppProcess app = AppProcess.onFreshDatabase(getClass().getSimpleName());
        app.property("personvern.keystore.url", "jdbc:h2:file:" + app.dataDir().resolve("keystore").resolve("keys")
                .toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;RETENTION_TIME=0")
                .property("personvern.keystore.username", "sa");
        try {
            app.start();
            Api api = app.api();
            Queue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
            AtomicBoolean killing = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                running.add(clients.submit(() -> {
                    while (!killing.get()) {
                        String name = "Keyed " + UUID.randomUUID();
                        try {
                            Api.Response created = api.post("/api/v1/subjects", Api.ADMIN_TOKEN, """
                                    {"system":"newsletter","activity":"newsletter",
                                     "identities":{"email":"key-%s@example.no"},"data":{"user.name":"%s"}}"""
                                    .formatted(UUID.randomUUID(), name));
                            if (created.status() == 201) {
                                acknowledged.add(new String[] {created.json().get("id").asString(), name});
                            }
                        } catch (IllegalStateException connectionLost) {
                            if (!killing.get()) {
                                throw connectionLost;
                            }
                            return;
                        }
                    }
                }));
            }
            await().atMost(Duration.ofMinutes(2)).failFast(() -> running.stream().anyMatch(Future::isDone))
                    .until(() -> acknowledged.size() >= 150);
            killing.set(true);
            app.kill();
            for (Future<?> client : running) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();
            app.start();

            Api restarted = app.api();
            List<String> lost = acknowledged.stream().filter(person -> {
                Api.Response read = restarted.get("/api/v1/subjects/" + person[0], Api.ADMIN_TOKEN);
                return read.status() != 200 || !read.body().contains(person[1]);
            }).map(person -> person[0]).toList();
            assertThat(lost).as("%d of %d acknowledged people unreadable after kill -9 (log %s)", lost.size(),
                    acknowledged.size(), app.log()).isEmpty();
        } finally {
            app.stop();
        }
    }
}
