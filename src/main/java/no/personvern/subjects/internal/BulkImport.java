package no.personvern.subjects.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.WriteResult;
import no.personvern.subjects.internal.IdentityRepository.IdentityRow;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings many people in at once, e.g. a product's existing users: all writes are checked first,
 * and nothing is written if one is invalid.
 */
@Component
class BulkImport {

    private final SubjectRepository subjectRepository;
    private final IdentityRepository identityRepository;
    private final ValueRepository valueRepository;
    private final PurposeLimitation purpose;
    private final Envelopes envelopes;
    private final SubjectWriter writer;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    BulkImport(SubjectRepository subjectRepository, IdentityRepository identityRepository,
            ValueRepository valueRepository, PurposeLimitation purpose, Envelopes envelopes, SubjectWriter writer,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.subjectRepository = subjectRepository;
        this.identityRepository = identityRepository;
        this.valueRepository = valueRepository;
        this.purpose = purpose;
        this.envelopes = envelopes;
        this.writer = writer;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

        List<WriteResult> writeAll(List<SubjectWrite> writes) {
        List<PreparedWrite> prepared = new ArrayList<>(writes.size());
        Problems.Violations invalid = Problems.violations();
        for (int i = 0; i < writes.size(); i++) {
            prepared.add(purpose.prepare(writes.get(i), "items[" + i + "]", invalid));
        }
        invalid.throwIfAny();
        try {
            return transactions.execute(status -> storeAll(prepared));
        } catch (DuplicateKeyException concurrentWriteOfTheSameIdentity) {
            return transactions.execute(status -> storeAll(prepared));
        }
    }

    /** New people whose identities are unknown and unshared go in as batches; the rest one by one. */
    private List<WriteResult> storeAll(List<PreparedWrite> prepared) {
        Set<String> all = new LinkedHashSet<>();
        prepared.forEach(p -> all.addAll(p.identities().keySet()));
        Set<String> known = identityRepository.knownBlindIndexes(all);
        Set<String> claimed = new HashSet<>();
        List<Integer> fresh = new ArrayList<>();
        List<Integer> merging = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Set<String> indexes = prepared.get(i).identities().keySet();
            boolean isNew = indexes.stream().noneMatch(index -> known.contains(index) || claimed.contains(index));
            (isNew ? fresh : merging).add(i);
            claimed.addAll(indexes);
        }
        WriteResult[] results = new WriteResult[prepared.size()];
        Instant now = Timestamps.now(clock);
        List<UUID> ids = fresh.stream().map(i -> UUID.randomUUID()).toList();
        List<KeyStore.DataKey> dataKeys = envelopes.createSubjectKeys(ids);
        List<SubjectRow> subjects = new ArrayList<>();
        List<UUID> identityOwners = new ArrayList<>();
        List<IdentityRow> identityRows = new ArrayList<>();
        List<IdentityRepository.Source> identitySources = new ArrayList<>();
        List<UUID> valueOwners = new ArrayList<>();
        List<ValueRow> valueRows = new ArrayList<>();
        for (int n = 0; n < fresh.size(); n++) {
            PreparedWrite p = prepared.get(fresh.get(n));
            UUID id = ids.get(n);
            KeyStore.DataKey key = dataKeys.get(n);
            subjects.add(new SubjectRow(id, key.id(), null, null));
            for (Map.Entry<String, Identity> identity : p.identities().entrySet()) {
                identityOwners.add(id);
                identityRows.add(envelopes.sealIdentity(id, key, identity.getKey(), identity.getValue(), true, now));
                identitySources.add(new IdentityRepository.Source(p.write().system(), p.activity().key()));
            }
            for (Map.Entry<String, String> value : p.data().entrySet()) {
                valueOwners.add(id);
                valueRows.add(envelopes.sealValue(id, key, p.write().system(), p.activity(), value.getKey(),
                        value.getValue(), now));
            }
            results[fresh.get(n)] = new WriteResult(id, true);
        }
        subjectRepository.insertAll(subjects, now);
        identityRepository.insertAll(identityOwners, identityRows, identitySources, now);
        valueRepository.insertAll(valueOwners, valueRows, now);
        for (int n = 0; n < fresh.size(); n++) {
            PreparedWrite p = prepared.get(fresh.get(n));
            events.publishEvent(new VaultEvents.SubjectWritten(ids.get(n), true, p.write().system(), p.activity().key(),
                    List.copyOf(new TreeSet<>(p.data().keySet()))));
        }
        for (int i : merging) {
            PreparedWrite p = prepared.get(i);
            results[i] = writer.store(p);
        }
        return List.of(results);
    }
}
