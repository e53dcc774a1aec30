package no.personvern.benchmark;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import no.personvern.Personvern;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.DocumentKind;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestDesk;
import no.personvern.requests.RequestStatus;
import no.personvern.requests.RequestType;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.testing.Api;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 5 on PostgreSQL, among N (default 1,000,000) people: the access package of a person with
 * 10,000 stored values and 100 documents (time, heap growth), and erasure of a person with 10
 * versus 10,000 values. A value is unique per category, system and activity, so the 10,000 come
 * from a generated catalog: the example catalog plus 10 systems × 10 activities × 100 categories.
 * The background people are seeded with SQL; the measured people go through the vault. Not a test:
 * it asserts only that the work was done. Run with {@code bench/requests.sh}.
 */
@Tag("benchmark")
class PackageBenchmark {

    private static final int PEOPLE = Integer.getInteger("benchmark.people", 1_000_000);
    private static final int SYSTEMS = 10;
    private static final int ACTIVITIES = 10;
    private static final int CATEGORIES = 100;
    private static final int DOCUMENTS = 100;
    private static final int ROUNDS = 5;

    private final StringBuilder report = new StringBuilder();

    @Test
    void accessPackageAndErasureAtScale() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestDatabases.freshDatabase("benchmark-package"));
        properties.put("server.port", "0");
        properties.put("personvern.admin-token", Api.ADMIN_TOKEN);
        properties.put("personvern.catalog", catalog().toAbsolutePath().toString());
        properties.put("personvern.retention.cron", "-");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Personvern.class)
                .run(arguments(properties))) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            Vault vault = context.getBean(Vault.class);
            RequestDesk desk = context.getBean(RequestDesk.class);
            line("# Access package and erasure benchmark — %s", Instant.now());
            line("");
            line("- machine: %d cores, JVM max heap %,d MiB, %s", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
            long seeded = System.nanoTime();
            jdbc.sql("""
                    INSERT INTO subject (id, key_id, created_at, updated_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), now(), now() FROM generate_series(1, :people)""")
                    .param("people", PEOPLE).update();
            jdbc.sql("""
                    INSERT INTO subject_value (id, subject_id, category, system_key, activity_key, purposes,
                                               collected_at, key_id, ciphertext)
                    SELECT gen_random_uuid(), id, 'user.name', 'go', 'service-delivery', 'essential.service', now(),
                           key_id, decode(md5(id::text), 'hex')
                    FROM subject""").update();
            jdbc.sql("ANALYZE").update();
            line("- background: %,d people with a value each, seeded by SQL in %.0f s", PEOPLE,
                    (System.nanoTime() - seeded) / 1e9);

            String email = "stor-" + UUID.randomUUID() + "@bench.example.no";
            long written = System.nanoTime();
            UUID person = person(vault, email, CATEGORIES, SYSTEMS * ACTIVITIES);
            byte[] upload = new byte[20_000];
            for (int d = 0; d < DOCUMENTS; d++) {
                vault.storeDocument(person, DocumentKind.IMAGE, "bench-s0", "bench-a0", "image/jpeg",
                        new ByteArrayInputStream(upload));
            }
            long values = jdbc.sql("SELECT COUNT(*) FROM subject_value WHERE subject_id = :id").param("id", person)
                    .query(Long.class).single();
            line("- the measured person: %,d values, %d documents of 20 kB, written through the vault in %.1f s",
                    values, DOCUMENTS, (System.nanoTime() - written) / 1e9);

            List<String> times = new ArrayList<>();
            List<String> growths = new ArrayList<>();
            List<String> allocations = new ArrayList<>();
            List<String> retained = new ArrayList<>();
            long size = 0;
            for (int round = 0; round < ROUNDS; round++) {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                System.gc();
                long before = memory.getHeapMemoryUsage().getUsed();
                AtomicLong peak = new AtomicLong(before);
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                        .getThreadMXBean();
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                long started = System.nanoTime();
                DataRequest request = desk.submitVerified(RequestType.ACCESS, null, person, "customer-center",
                        "benchmark");
                long nanos = System.nanoTime() - started;
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                sampling.set(false);
                sampler.join();
                System.gc();
                retained.add((memory.getHeapMemoryUsage().getUsed() - before >> 20) + " MiB");
                assertThat(request.status()).isEqualTo(RequestStatus.COMPLETED);
                times.add(String.format("%.2f s", nanos / 1e9));
                growths.add((peak.get() - before >> 20) + " MiB");
                allocations.add((allocated >> 20) + " MiB");
                size = jdbc.sql("SELECT SUM(size_bytes) FROM subject_document WHERE subject_id = :id")
                        .param("id", person).query(Long.class).single();
            }
            line("- access package (`RequestDesk.submitVerified`, build + encrypt + store + mail; %d rounds):"
                    + " time %s (target < 2 s); peak heap growth %s (target < 64 MB); allocated by the building"
                    + " thread %s; retained after a GC %s", ROUNDS, times, growths, allocations, retained);
            assertThat(size).isPositive();

            Catalog catalog = context.getBean(Catalog.class);
            Map<Integer, List<Long>> erasures = new LinkedHashMap<>();
            for (int held : new int[] {10, 10_000}) {
                List<Long> nanos = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    String address = "slett-" + UUID.randomUUID() + "@bench.example.no";
                    UUID subject = held == 10 ? person(vault, address, 10, 1)
                            : person(vault, address, CATEGORIES, SYSTEMS * ACTIVITIES);
                    long started = System.nanoTime();
                    vault.eraseSubject(subject, Hold.requiredBy(catalog, Instant.now()));
                    nanos.add(System.nanoTime() - started);
                }
                erasures.put(held, nanos);
            }
            long small = median(erasures.get(10));
            long large = median(erasures.get(10_000));
            line("- erasure (`Vault.eraseSubject` with the catalog's holds, %d rounds each): 10 values (10 categories)"
                    + " median %s %s; 10,000 values (100 categories × 100 system-activity pairs) median %s %s; ratio **%.2f×** (target within 1.5×)", ROUNDS, ms(small),
                    erasures.get(10).stream().map(PackageBenchmark::ms).toList(), ms(large),
                    erasures.get(10_000).stream().map(PackageBenchmark::ms).toList(), (double) large / small);
        }
        Path out = Path.of("target", "benchmark", "package.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** A person written through the vault: {@code perWrite} categories in each of the first {@code pairs} (system, activity) pairs. */
    private static UUID person(Vault vault, String email, int perWrite, int pairs) {
        UUID id = null;
        for (int pair = 0; pair < pairs; pair++) {
            Map<String, String> data = new HashMap<>();
            for (int c = 0; c < perWrite; c++) {
                data.put(category(c), "Verdi " + c + " for par " + pair + " – " + "x".repeat(40));
            }
            String system = "bench-s" + (pair % SYSTEMS);
            String activity = "bench-a" + (pair / SYSTEMS);
            id = vault.write(new SubjectWrite(system, activity, new Identities(email, null, null), data)).id();
        }
        return id;
    }

    private static String category(int c) {
        return String.format("user.content.bench_c%03d", c);
    }

    /** The example catalog with the benchmark's categories, systems and activities added. */
    private static Path catalog() throws Exception {
        String example;
        try (var in = PackageBenchmark.class.getResourceAsStream("/catalog/example-catalog.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder categories = new StringBuilder();
        for (int c = 0; c < CATEGORIES; c++) {
            categories.append("    - key: ").append(category(c)).append("\n      name: {nb: Målt ").append(c)
                    .append(", en: Measured ").append(c).append("}\n");
        }
        StringBuilder systems = new StringBuilder();
        for (int s = 0; s < SYSTEMS; s++) {
            systems.append("  - key: bench-s").append(s).append("\n    name: Benchmark system ").append(s)
                    .append("\n    description: {nb: målesystem, en: measurement system}\n");
        }
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < CATEGORIES; c++) {
            keys.add(category(c));
        }
        StringBuilder activities = new StringBuilder();
        List<String> systemKeys = new ArrayList<>();
        for (int s = 0; s < SYSTEMS; s++) {
            systemKeys.add("bench-s" + s);
        }
        for (int a = 0; a < ACTIVITIES; a++) {
            activities.append("  - key: bench-a").append(a).append("\n    name: {nb: Måling ").append(a)
                    .append(", en: Measurement ").append(a).append("}\n    role: controller\n    systems: [")
                    .append(String.join(", ", systemKeys)).append("]\n    purposes: [essential.service]\n")
                    .append("    legalBasis: contract\n    dataSubjects: [customer]\n    dataCategories: [")
                    .append(String.join(", ", keys)).append(", user.content.image, user.contact.email]\n")
                    .append("    documents: {image: user.content.image, travel: user.content.image,")
                    .append(" voucher: user.content.image}\n")
                    .append("    retention: {until: contract-end}\n    recipients: [hosting-provider]\n\n");
        }
        String generated = example
                .replace("taxonomy:\n  dataCategories:\n", "taxonomy:\n  dataCategories:\n" + categories)
                .replace("\nsystems:\n", "\nsystems:\n" + systems)
                .replace("\nactivities:\n", "\nactivities:\n" + activities);
        Path file = Path.of("target", "benchmark", "package-catalog.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, generated);
        return file;
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
