package no.personvern.subjects.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The vault's settings, under {@code personvern.*} and described in the README.
 *
 * @param masterKey {@code PERSONVERN_MASTER_KEY}, base64 of 32 bytes; empty: generated in embedded mode
 * @param masterKeyPrevious earlier master keys, comma-separated, still read while keys are rewrapped
 * @param documents {@code personvern.documents.*}
 * @param keystore {@code personvern.keystore.*}: the key store in a database of its own; empty url: the main one
 * @param keyCache {@code personvern.key-cache.*}: people's data keys kept unwrapped in memory
 */
@ConfigurationProperties("personvern")
record SubjectsProperties(String masterKey, String masterKeyPrevious, @DefaultValue Documents documents,
        @DefaultValue Keystore keystore, @DefaultValue KeyCache keyCache) {

    SubjectsProperties {
        masterKey = masterKey == null ? "" : masterKey;
        masterKeyPrevious = masterKeyPrevious == null ? "" : masterKeyPrevious;
    }

    /** @param maxSize the largest document accepted */
    record Documents(@DefaultValue("20MB") DataSize maxSize) {
    }

    record Keystore(String url, String username, String password) {

        Keystore {
            url = url == null ? "" : url;
            username = username == null ? "" : username;
            password = password == null ? "" : password;
        }
    }

    /**
     * @param ttl how long a person's unwrapped data key is kept; zero: not at all
     * @param maxSize how many are kept at most
     * @param bound an erased person's key is unusable on every instance within this
     */
    record KeyCache(@DefaultValue("PT1M") Duration ttl, @DefaultValue("100000") int maxSize,
            @DefaultValue("PT1S") Duration bound) {
    }
}
