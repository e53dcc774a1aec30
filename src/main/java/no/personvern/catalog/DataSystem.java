package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/** A product or channel that collects or holds personal data (S3). */
public record DataSystem(String key, LocalizedText name, LocalizedText description, Connector connector) {

    public Optional<Connector> optionalConnector() {
        return Optional.ofNullable(connector);
    }

    /** How data-subject requests reach the system. The secret is never shown. */
    public record Connector(String type, String url, @JsonIgnore String secret) {

        @JsonProperty
        public boolean secretConfigured() {
            return secret != null && !secret.isEmpty();
        }
    }
}
