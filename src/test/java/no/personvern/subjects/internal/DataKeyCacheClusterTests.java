package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.subjects.Hold;
import no.personvern.subjects.Identities;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultRefusal;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The data-key cache on two instances of one database. A person's restricted values (Art. 18) are
 * kept under their own key and readable, for the reason audited, until an erasure shreds that key;
 * the second instance reads them with the key in its cache (kept ten minutes here, so that only
 * the invalidation can end it), and after the erasure on the first it no longer decrypts them
 * within the bound, 1 s. The waits are correctness bounds a little over it.
 */
@DatabaseTest
class DataKeyCacheClusterTests {

    private static final Duration WITHIN_BOUND = Duration.ofMillis(1300);

    @Test
    void anErasedPersonsKeyIsUnusableOnEveryInstanceWithinTheBound() {
        Map<String, Object> database = TestDatabases.freshDatabase("key-cache-erasure");
        try (ConfigurableApplicationContext first = start(database);
                ConfigurableApplicationContext second = start(database)) {
            Vault a = first.getBean(Vault.class);
            Vault b = second.getBean(Vault.class);
            UUID id = a.write(new SubjectWrite("go", "service-delivery",
                    new Identities("cached.key@example.no", "91234077", Map.of("go", "u-77")),
                    Map.of("user.name", "Kari Cache", "user.contact.address", "Gata 7, 8006 Bodø"))).id();
            a.restrict(id, new Hold.Reason.Restriction(UUID.randomUUID()));
            UUID keyId = second.getBean(SubjectRepository.class).subject(id).orElseThrow().keyId();
            DataKeyCache cache = second.getBean(DataKeyCache.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.restrictedValues(id, "test: the key cached").size() == 2
                    && cache.holds(keyId));

            a.eraseSubject(id, List.of());

            assertThat(a.restrictedValues(id, "test: after erasure")).as("shredded at once where it was erased")
                    .isEmpty();
            assertThatThrownBy(() -> second.getBean(Reads.class).read(id)).as("the person's row says erased at once")
                    .isInstanceOf(VaultRefusal.class);
            await().atMost(WITHIN_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> b.restrictedValues(id, "test: after erasure").isEmpty());
            assertThat(cache.holds(keyId)).isFalse();
            assertThatThrownBy(() -> cache.key(keyId)).isInstanceOf(KeyStore.KeyDestroyedException.class);
        }
    }

    /** What is kept of an erased person is under a hold key: never cached, always from the key store. */
    @Test
    void onlyALivingPersonsOwnKeyIsCached() {
        Map<String, Object> database = TestDatabases.freshDatabase("key-cache-hold-keys");
        try (ConfigurableApplicationContext app = start(database)) {
            Envelopes envelopes = app.getBean(Envelopes.class);
            DataKeyCache cache = app.getBean(DataKeyCache.class);
            UUID id = app.getBean(Vault.class).write(new SubjectWrite("go", "service-delivery",
                    new Identities("held.key@example.no", null, Map.of()), Map.of("user.name", "Hilde Hold"))).id();
            UUID subjectKey = app.getBean(SubjectRepository.class).subject(id).orElseThrow().keyId();
            KeyStore.DataKey holdKey = envelopes.createHoldKey(id, new Hold.Reason.Restriction(UUID.randomUUID()));

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                cache.key(subjectKey);
                return cache.holds(subjectKey);
            });
            assertThat(cache.key(holdKey.id()).getEncoded()).isEqualTo(holdKey.key().getEncoded());
            assertThat(cache.holds(holdKey.id())).isFalse();
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        return VaultContexts.start(database, Map.of("personvern.retention.cron", "-",
                "personvern.master-key", VaultContexts.KEY_1,
                "personvern.key-cache.ttl", "PT10M"));
    }
}
