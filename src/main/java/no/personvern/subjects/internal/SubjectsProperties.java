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

    /**
     * @param maxSize the largest document accepted
     * @param deletionInterval how often each instance works the queue of files of deleted documents,
     *        besides at start and after each commit that queued files
     * @param orphanAge how old a file with no document row (and no export held) must be before the
     *        orphan check deletes it; at least an hour, so that no upload in progress is touched
     * @param orphanCheckInterval how often the orphan check walks the blob store (one instance at a time)
     */
    record Documents(@DefaultValue("20MB") DataSize maxSize, @DefaultValue("PT1M") Duration deletionInterval,
            @DefaultValue("PT24H") Duration orphanAge, @DefaultValue("PT6H") Duration orphanCheckInterval) {

        Documents {
            if (orphanAge.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalStateException("personvern.documents.orphan-age must be at least PT1H:"
                        + " a younger file may belong to an upload in progress");
            }
        }
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
