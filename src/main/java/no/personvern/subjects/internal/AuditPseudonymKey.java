package no.personvern.subjects.internal;

import no.personvern.audit.PseudonymKey;
import no.personvern.subjects.SecretKeys;
import org.springframework.stereotype.Component;

/** The audit trail's pseudonym key, from the key store (the audit module owns the interface). */
@Component
class AuditPseudonymKey implements PseudonymKey {

    static final String PURPOSE = "audit subject-pseudonyms v1";

    private final SecretKeys secrets;

    AuditPseudonymKey(SecretKeys secrets) {
        this.secrets = secrets;
    }

    @Override
    public byte[] current() {
        return secrets.derive(PURPOSE);
    }

    @Override
    public void adopt(byte[] legacy) {
        secrets.adopt(PURPOSE, legacy);
    }
}
