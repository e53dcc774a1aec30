package no.personvern.requests.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import no.personvern.subjects.HeldExports;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Access packages waiting to be downloaded: their files in the vault are no orphans. */
@Component
class PackagesHeld implements HeldExports {

    private final JdbcClient jdbc;

    PackagesHeld(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<UUID> held(Collection<UUID> exportIds) {
        if (exportIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT package_id FROM data_request WHERE package_id = ANY(:ids)")
                .param("ids", exportIds.toArray(UUID[]::new)).query(UUID.class).list());
    }
}
