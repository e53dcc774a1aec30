package no.personvern.subjects.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.SystemViews;
import no.personvern.subjects.VaultRefusal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class SystemViewService implements SystemViews {

    private final JdbcClient jdbc;
    private final Reads reads;

    SystemViewService(JdbcClient jdbc, Reads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
    }

    @Override
    public boolean holds(String system, UUID subjectId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM subject s WHERE s.id = :subject AND s.erased_at IS NULL AND (
                    EXISTS (SELECT 1 FROM subject_value v WHERE v.subject_id = s.id AND v.system_key = :system
                            AND v.held_by IS NULL)
                    OR EXISTS (SELECT 1 FROM subject_document d WHERE d.subject_id = s.id AND d.system_key = :system)
                    OR EXISTS (SELECT 1 FROM subject_identity i WHERE i.subject_id = s.id AND i.system_key = :system))""")
                .param("subject", subjectId).param("system", system).query(Long.class).single() > 0;
    }

    @Override
    public SubjectView read(String system, UUID subjectId) {
        if (!holds(system, subjectId)) {
            throw VaultRefusal.notFound(subjectId);
        }
        SubjectView full = reads.read(subjectId);
        SubjectView.IdentityView identities = full.identities();
        String externalId = identities.externalIds() == null ? null : identities.externalIds().get(system);
        return new SubjectView(full.id(),
                new SubjectView.IdentityView(null, null, externalId == null ? Map.of() : Map.of(system, externalId),
                        List.of(), List.of(), List.of()),
                full.data().stream().filter(value -> system.equals(value.system())).toList(),
                full.documents().stream().filter(document -> system.equals(document.system())).toList());
    }
}
