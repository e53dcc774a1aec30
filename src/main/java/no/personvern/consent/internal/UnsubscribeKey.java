package no.personvern.consent.internal;

import java.util.HexFormat;
import no.personvern.subjects.SecretKeys;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The key that signs unsubscribe links, from the key store (under the master key). An earlier
 * version made it itself and kept it in plain text in {@code consent_secret}: at start-up that key
 * is handed to the key store, so the links already mailed keep working, and the plain copy deleted.
 */
@Component
class UnsubscribeKey implements SmartInitializingSingleton {

    static final String PURPOSE = "consent unsubscribe-links v1";

    private final JdbcClient jdbc;
    private final SecretKeys secrets;
    private volatile byte[] key;

    UnsubscribeKey(JdbcClient jdbc, SecretKeys secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public void afterSingletonsInstantiated() {
        get();
    }

    byte[] get() {
        byte[] current = key;
        if (current == null) {
            synchronized (this) {
                current = key;
                if (current == null) {
                    jdbc.sql("SELECT secret FROM consent_secret WHERE id = 1").query(String.class).optional()
                            .ifPresent(legacy -> {
                                secrets.adopt(PURPOSE, HexFormat.of().parseHex(legacy));
                                jdbc.sql("DELETE FROM consent_secret WHERE id = 1").update();
                            });
                    current = secrets.derive(PURPOSE);
                    key = current;
                }
            }
        }
        return current;
    }
}
