package no.personvern.subjects.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.VaultRefusal;
import no.personvern.subjects.WriteResult;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes people: a system's write creates a person or merges into the one its identities match,
 * a look-up by e-mail creates a person holding only the address, and Art. 16 corrects values.
 */
@Component
public class SubjectWriter {

    private final SubjectRepository subjectRepository;
    private final IdentityRepository identityRepository;
    private final ValueRepository valueRepository;
    private final PurposeLimitation purpose;
    private final Envelopes envelopes;
    private final NewPeople newPeople;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SubjectWriter(SubjectRepository subjectRepository, IdentityRepository identityRepository,
            ValueRepository valueRepository, PurposeLimitation purpose, Envelopes envelopes, NewPeople newPeople,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.newPeople = newPeople;
        this.subjectRepository = subjectRepository;
        this.identityRepository = identityRepository;
        this.valueRepository = valueRepository;
        this.purpose = purpose;
        this.envelopes = envelopes;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

        WriteResult write(SubjectWrite write) {
        Problems.Violations invalid = Problems.violations();
        PreparedWrite prepared = purpose.prepare(write, "", invalid);
        invalid.throwIfAny();
        try {
            return transactions.execute(status -> store(prepared));
        } catch (DuplicateKeyException concurrentWriteOfTheSameIdentity) {
            // Another write created the same identity meanwhile: resolve again, now it merges.
            return transactions.execute(status -> store(prepared));
        }
    }

    /**
     * Creates the person, or merges into the one the identities match. Identities a person is
     * created with are verified; one added to a person found through another identity is
     * verified only when the writing system vouches for it and found the person through an
     * identity verified for them that it vouches for as well.
     */
    WriteResult store(PreparedWrite prepared) {
        SubjectWrite write = prepared.write();
        Activity activity = prepared.activity();
        Map<String, Identity> identities = prepared.identities();
        Map<String, String> data = prepared.data();
        Instant now = Timestamps.now(clock);
        List<UUID> matches = identityRepository.subjectsByBlindIndex(identities.keySet());
        if (matches.size() > 1) {
            throw VaultRefusal.conflict("The identities given match " + matches.size()
                    + " different people; nothing was written. Merge them by a data-subject request first.");
        }
        if (matches.isEmpty()) {
            NewPeople.Person person = newPeople.person();
            insertNew(person, prepared, now);
            return new WriteResult(person.id(), true);
        }
        UUID subjectId = matches.get(0);
        SubjectRow subject = subjectRepository.lockLive(subjectId);
        if (subject.restrictedBy() != null) {
            // Art. 18: a restricted person is stored, not processed further, until the restriction is lifted.
            throw VaultRefusal.restrictedSubject();
        }
        KeyStore.DataKey dataKey = new KeyStore.DataKey(subject.keyId(), envelopes.key(subject.keyId()));
        subjectRepository.touch(subjectId, now);
        // A write speaks for the person it found only when it found them through an identity that is
        // verified for them and that the write vouches for too: a product may forward a form where
        // someone confirmed their own address but typed another person's phone number.
        boolean trusted = prepared.vouched().stream()
                .anyMatch(index -> identityRepository.identityOwner(index)
                        .filter(owner -> owner.subjectId().equals(subjectId) && owner.verified()).isPresent());
        for (Map.Entry<String, Identity> identity : identities.entrySet()) {
            boolean vouched = trusted && prepared.vouched().contains(identity.getKey());
            if (!identityRepository.identityExists(identity.getKey())) {
                identityRepository.insertIdentity(subjectId, envelopes.sealIdentity(subjectId, dataKey,
                        identity.getKey(), identity.getValue(), vouched, now),
                        new IdentityRepository.Source(write.system(), activity.key()));
            } else if (vouched) {
                identityRepository.verifyIdentity(subjectId, identity.getKey());
            }
        }
        for (Map.Entry<String, String> value : data.entrySet()) {
            valueRepository.upsertValue(subjectId, envelopes.sealValue(subjectId, dataKey, write.system(), activity,
                    value.getKey(), value.getValue(), now));
        }
        events.publishEvent(new VaultEvents.SubjectWritten(subjectId, false, write.system(), activity.key(),
                List.copyOf(new TreeSet<>(data.keySet()))));
        return new WriteResult(subjectId, false);
    }

    /**
     * A new person holds nothing yet (no identity to find, no value to replace, no hold or objection):
     * they, their identities (all verified) and their values go in together ({@link NewPeople}).
     */
    private void insertNew(NewPeople.Person person, PreparedWrite prepared, Instant now) {
        UUID subjectId = person.id();
        KeyStore.DataKey dataKey = person.key();
        SubjectWrite write = prepared.write();
        Activity activity = prepared.activity();
        List<IdentityRepository.IdentityRow> identities = new ArrayList<>();
        for (Map.Entry<String, Identity> identity : prepared.identities().entrySet()) {
            identities.add(envelopes.sealIdentity(subjectId, dataKey, identity.getKey(), identity.getValue(), true, now));
        }
        List<ValueRow> values = new ArrayList<>();
        for (Map.Entry<String, String> value : prepared.data().entrySet()) {
            values.add(envelopes.sealValue(subjectId, dataKey, write.system(), activity, value.getKey(), value.getValue(),
                    now));
        }
        newPeople.insert(person, identities, new IdentityRepository.Source(write.system(),
                activity.key()), values, now);
        events.publishEvent(new VaultEvents.SubjectWritten(subjectId, true, write.system(), activity.key(),
                List.copyOf(new TreeSet<>(prepared.data().keySet()))));
    }

        EmailIdentity resolveEmail(String system, String activityKey, String email) {
        PreparedWrite prepared = purpose.emailLookup(system, activityKey, email);
        String index = prepared.identities().keySet().iterator().next();
        try {
            return transactions.execute(status -> resolve(index, prepared));
        } catch (DuplicateKeyException concurrentlyBroughtIn) {
            return transactions.execute(status -> resolve(index, prepared));
        }
    }

    /** The known holder of the address, or a new person holding only it (created with it: verified). */
    private EmailIdentity resolve(String index, PreparedWrite prepared) {
        Optional<IdentityRepository.IdentityOwner> owner = identityRepository.identityOwner(index);
        if (owner.isPresent()) {
            UUID subjectId = owner.get().subjectId();
            UUID id = owner.get().id() != null ? owner.get().id() : identityRepository.ensureIdentityId(index);
            events.publishEvent(new VaultEvents.SubjectLookedUp(subjectId, IdentityKind.EMAIL.shown));
            return new EmailIdentity(subjectId, id, owner.get().verified(), false);
        }
        WriteResult created = store(prepared);
        return new EmailIdentity(created.id(), identityRepository.ensureIdentityId(index), true, true);
    }

        /** Art. 16: corrects values the person holds, in every system that holds them. */
    public void rectify(UUID subjectId, Map<String, String> data) {
        if (data == null || data.isEmpty()) {
            throw VaultRefusal.invalid("data", "at least one category to correct is required");
        }
        transactions.executeWithoutResult(status -> {
            SubjectRow subject = subjectRepository.lockLive(subjectId);
            SecretKey key = envelopes.key(subject.keyId());
            List<ValueRow> held = valueRepository.values(subjectId).stream().filter(v -> v.heldBy() == null).toList();
            for (Map.Entry<String, String> change : data.entrySet()) {
                String field = "data." + change.getKey();
                List<ValueRow> rows = held.stream().filter(v -> v.category().equals(change.getKey())).toList();
                if (rows.isEmpty()) {
                    throw VaultRefusal.invalid(field, "no value of category '" + change.getKey()
                            + "' is held for this person; collect it with a write instead");
                }
                if (change.getValue() == null || change.getValue().isBlank()
                        || change.getValue().length() > PurposeLimitation.MAX_VALUE_LENGTH) {
                    throw VaultRefusal.invalid(field, "a value of 1 to " + PurposeLimitation.MAX_VALUE_LENGTH + " characters is required");
                }
                for (ValueRow row : rows) {
                    valueRepository.replaceCiphertext(row.id(), subject.keyId(),
                            envelopes.reseal(subjectId, row, key, change.getValue()));
                }
            }
            subjectRepository.touch(subjectId, Timestamps.now(clock));
            events.publishEvent(new VaultEvents.SubjectRectified(subjectId, List.copyOf(new TreeSet<>(data.keySet()))));
        });
    }
}
