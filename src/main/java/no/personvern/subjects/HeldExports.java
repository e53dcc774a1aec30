package no.personvern.subjects;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The exports (access packages) another module still holds, by id: the vault's orphan check keeps
 * their files, which have no document row. Implemented by the module that keeps the exports' ids.
 */
public interface HeldExports {

    /** Of these ids, the exports still held. */
    Set<UUID> held(Collection<UUID> exportIds);
}
