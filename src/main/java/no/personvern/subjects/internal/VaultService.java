package no.personvern.subjects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.SecretKey;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.DocumentKind;
import no.personvern.catalog.RetentionRule;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.EmailIdentity;
import no.personvern.subjects.Identities;
import no.personvern.subjects.ErasureReport;
import no.personvern.subjects.Hold;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.SubjectView.IdentityView;
import no.personvern.subjects.SubjectView.StoredValue;
import no.personvern.subjects.SubjectWrite;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.VaultProblem;
import no.personvern.subjects.WriteResult;
import no.personvern.subjects.internal.VaultRepository.DocumentRow;
import no.personvern.subjects.internal.VaultRepository.IdentityRow;
import no.personvern.subjects.internal.VaultRepository.SubjectRow;
import no.personvern.subjects.internal.VaultRepository.ValueRow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault. Validates every write against the catalog before touching the database, encrypts
 * under the person's data key, finds people by blind index, and audits each read and change in
 * the same transaction.
 */
@Service
class VaultService implements Vault {

    static final String EMAIL_CATEGORY = "user.contact.email";
    static final String PHONE_CATEGORY = "user.contact.phone_number";
    private static final int MAX_VALUE_LENGTH = 10_000;

    private final VaultRepository repository;
    private final KeyStore keys;
    private final BlobStore blobs;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final long maxDocumentBytes;
    private volatile byte[] blindIndexKey;

    VaultService(VaultRepository repository, KeyStore keys, BlobStore blobs, Catalog catalog,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock,
            @Value("${personvern.documents.max-size:20MB}") org.springframework.util.unit.DataSize maxDocumentSize) {
        this.repository = repository;
        this.keys = keys;
        this.blobs = blobs;
        this.catalog = catalog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.maxDocumentBytes = maxDocumentSize.toBytes();
    }

    long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    // ---- writes --------------------------------------------------------------------------

    @Override
    public WriteResult write(SubjectWrite write) {
        Problems.Violations invalid = Problems.violations();
        Prepared prepared = prepare(write, "", invalid);
        invalid.throwIfAny();
        try {
            return transactions.execute(status -> store(prepared));
        } catch (DuplicateKeyException concurrentWriteOfTheSameIdentity) {
            // Another write created the same identity meanwhile: resolve again, now it merges.
            return transactions.execute(status -> store(prepared));
        }
    }

    @Override
    public List<WriteResult> writeAll(List<SubjectWrite> writes) {
        List<Prepared> prepared = new ArrayList<>(writes.size());
        Problems.Violations invalid = Problems.violations();
        for (int i = 0; i < writes.size(); i++) {
            prepared.add(prepare(writes.get(i), "items[" + i + "]", invalid));
        }
        invalid.throwIfAny();
        try {
            return transactions.execute(status -> storeAll(prepared));
        } catch (DuplicateKeyException concurrentWriteOfTheSameIdentity) {
            return transactions.execute(status -> storeAll(prepared));
        }
    }

    /**
     * A checked write: identities by blind index, the blind indexes the writing system vouches
     * for, and the values.
     */
    private record Prepared(SubjectWrite write, Activity activity, Map<String, Identity> identities, Set<String> vouched,
            Map<String, String> data) {
    }

    /** New people whose identities are unknown and unshared go in as batches; the rest one by one. */
    private List<WriteResult> storeAll(List<Prepared> prepared) {
        Set<String> all = new LinkedHashSet<>();
        prepared.forEach(p -> all.addAll(p.identities().keySet()));
        Set<String> known = repository.knownBlindIndexes(all);
        Set<String> claimed = new java.util.HashSet<>();
        List<Integer> fresh = new ArrayList<>();
        List<Integer> merging = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Set<String> indexes = prepared.get(i).identities().keySet();
            boolean isNew = indexes.stream().noneMatch(index -> known.contains(index) || claimed.contains(index));
            (isNew ? fresh : merging).add(i);
            claimed.addAll(indexes);
        }
        WriteResult[] results = new WriteResult[prepared.size()];
        Instant now = now();
        List<UUID> ids = fresh.stream().map(i -> UUID.randomUUID()).toList();
        List<KeyStore.DataKey> dataKeys = keys.createSubjectKeys(ids);
        List<SubjectRow> subjects = new ArrayList<>();
        List<UUID> identityOwners = new ArrayList<>();
        List<IdentityRow> identityRows = new ArrayList<>();
        List<UUID> valueOwners = new ArrayList<>();
        List<ValueRow> valueRows = new ArrayList<>();
        for (int n = 0; n < fresh.size(); n++) {
            Prepared p = prepared.get(fresh.get(n));
            UUID id = ids.get(n);
            KeyStore.DataKey key = dataKeys.get(n);
            subjects.add(new SubjectRow(id, key.id(), null));
            for (Map.Entry<String, Identity> identity : p.identities().entrySet()) {
                identityOwners.add(id);
                identityRows.add(sealIdentity(id, key, identity, true, now));
            }
            for (Map.Entry<String, String> value : p.data().entrySet()) {
                valueOwners.add(id);
                valueRows.add(sealValue(id, key, p, value, now));
            }
            results[fresh.get(n)] = new WriteResult(id, true);
        }
        repository.insertAll(subjects, now, identityOwners, identityRows, valueOwners, valueRows);
        for (int n = 0; n < fresh.size(); n++) {
            Prepared p = prepared.get(fresh.get(n));
            events.publishEvent(new VaultEvents.SubjectWritten(ids.get(n), true, p.write().system(), p.activity().key(),
                    List.copyOf(new TreeSet<>(p.data().keySet()))));
        }
        for (int i : merging) {
            Prepared p = prepared.get(i);
            results[i] = store(p);
        }
        return List.of(results);
    }

    private IdentityRow sealIdentity(UUID subjectId, KeyStore.DataKey key, Map.Entry<String, Identity> entry,
            boolean verified, Instant now) {
        Identity identity = entry.getValue();
        byte[] sealed = Crypto.seal(key.key(), identity.value().getBytes(StandardCharsets.UTF_8),
                Identity.aad(subjectId, identity.kind(), identity.system()));
        return new IdentityRow(entry.getKey(), UUID.randomUUID(), identity.kind(), identity.system(), key.id(), sealed,
                now, verified);
    }

    private ValueRow sealValue(UUID subjectId, KeyStore.DataKey key, Prepared p, Map.Entry<String, String> value,
            Instant now) {
        byte[] sealed = Crypto.seal(key.key(), value.getValue().getBytes(StandardCharsets.UTF_8),
                valueAad(subjectId, value.getKey(), p.write().system(), p.activity().key()));
        return new ValueRow(UUID.randomUUID(), value.getKey(), p.write().system(), p.activity().key(),
                String.join(" ", p.activity().purposes()), now, key.id(), sealed, null, null);
    }

    /**
     * Creates the person, or merges into the one the identities match. Identities a person is
     * created with are verified; one added to a person found through another identity is
     * verified only when the writing system vouches for it and found the person through an
     * identity verified for them that it vouches for as well.
     */
    private WriteResult store(Prepared prepared) {
        SubjectWrite write = prepared.write();
        Activity activity = prepared.activity();
        Map<String, Identity> identities = prepared.identities();
        Map<String, String> data = prepared.data();
        Instant now = now();
        List<UUID> matches = repository.subjectsByBlindIndex(identities.keySet());
        if (matches.size() > 1) {
            throw VaultProblem.conflict("The identities given match " + matches.size()
                    + " different people; nothing was written. Merge them by a data-subject request first.");
        }
        UUID subjectId;
        SecretKey key;
        UUID keyId;
        boolean created = matches.isEmpty();
        if (created) {
            subjectId = UUID.randomUUID();
            KeyStore.DataKey dataKey = keys.create(subjectId, KeyStore.SUBJECT, null);
            repository.insertSubject(subjectId, dataKey.id(), now);
            key = dataKey.key();
            keyId = dataKey.id();
        } else {
            subjectId = matches.get(0);
            SubjectRow subject = lockLiveSubject(subjectId);
            keyId = subject.keyId();
            key = keys.get(keyId);
            repository.touch(subjectId, now);
        }
        KeyStore.DataKey dataKey = new KeyStore.DataKey(keyId, key);
        // A write speaks for the person it found only when it found them through an identity that is
        // verified for them and that the write vouches for too: a product may forward a form where
        // someone confirmed their own address but typed another person's phone number.
        UUID found = subjectId;
        boolean trusted = created || prepared.vouched().stream().anyMatch(index -> repository.identityOwner(index)
                .filter(owner -> owner.subjectId().equals(found) && owner.verified()).isPresent());
        for (Map.Entry<String, Identity> identity : identities.entrySet()) {
            boolean vouched = trusted && prepared.vouched().contains(identity.getKey());
            if (created || !repository.identityExists(identity.getKey())) {
                repository.insertIdentity(subjectId, sealIdentity(subjectId, dataKey, identity, created || vouched, now));
            } else if (vouched) {
                repository.verifyIdentity(subjectId, identity.getKey());
            }
        }
        for (Map.Entry<String, String> value : data.entrySet()) {
            repository.upsertValue(subjectId, sealValue(subjectId, dataKey, prepared, value, now));
        }
        events.publishEvent(new VaultEvents.SubjectWritten(subjectId, created, write.system(), activity.key(),
                List.copyOf(new TreeSet<>(data.keySet()))));
        return new WriteResult(subjectId, created);
    }

    private Activity checkSource(String system, String activityKey) {
        if (system == null || system.isBlank()) {
            throw VaultProblem.invalid("system", "system is required");
        }
        if (catalog.system(system).isEmpty()) {
            throw VaultProblem.invalid("system", "unknown system '" + system + "'");
        }
        if (activityKey == null || activityKey.isBlank()) {
            throw VaultProblem.invalid("activity", "activity is required");
        }
        Activity activity = catalog.activity(activityKey)
                .orElseThrow(() -> VaultProblem.invalid("activity", "unknown activity '" + activityKey + "'"));
        if (!activity.usesSystem(system)) {
            throw VaultProblem.invalid("activity", "activity '" + activityKey + "' is not carried out by system '"
                    + system + "'");
        }
        return activity;
    }

    /**
     * Checks a write completely, recording every invalid field (named under {@code prefix}, e.g.
     * {@code items[3]}) rather than stopping at the first: the caller learns them all at once.
     * The result is usable only when nothing was recorded.
     */
    private Prepared prepare(SubjectWrite write, String prefix, Problems.Violations invalid) {
        if (write == null) {
            invalid.reject(prefix.isEmpty() ? "body" : prefix, "a write is required");
            return null;
        }
        Activity activity = source(write.system(), write.activity(), prefix, invalid);
        Map<String, Identity> identities = identities(write, activity, prefix, invalid);
        Set<String> vouched = vouched(write, identities, prefix, invalid);
        Map<String, String> data = data(write.data(), activity, prefix, invalid);
        return new Prepared(write, activity, identities, vouched, data);
    }

    /** The activity named, when it exists (checked against the system too); every problem recorded. */
    private Activity source(String system, String activityKey, String prefix, Problems.Violations invalid) {
        boolean knownSystem = false;
        if (system == null || system.isBlank()) {
            invalid.reject(field(prefix, "system"), "system is required");
        } else if (catalog.system(system).isEmpty()) {
            invalid.reject(field(prefix, "system"), "unknown system '" + Problems.shown(system) + "'");
        } else {
            knownSystem = true;
        }
        if (activityKey == null || activityKey.isBlank()) {
            invalid.reject(field(prefix, "activity"), "activity is required");
            return null;
        }
        Activity activity = catalog.activity(activityKey).orElse(null);
        if (activity == null) {
            invalid.reject(field(prefix, "activity"), "unknown activity '" + Problems.shown(activityKey) + "'");
        } else if (knownSystem && !activity.usesSystem(system)) {
            invalid.reject(field(prefix, "activity"), "activity '" + activityKey + "' is not carried out by system '"
                    + system + "'");
        }
        return activity;
    }

    /**
     * Normalises and checks the identities (by blind index); e-mail and phone must be declared by
     * the activity too.
     */
    private Map<String, Identity> identities(SubjectWrite write, Activity activity, String prefix,
            Problems.Violations invalid) {
        Map<String, Identity> byIndex = new LinkedHashMap<>();
        if (write.identities() == null || write.identities().isEmpty()) {
            invalid.reject(field(prefix, "identities"), "at least one identity (email, phone or externalIds) is required");
            return byIndex;
        }
        if (write.identities().email() != null) {
            String field = field(prefix, "identities.email");
            Normalization.email(write.identities().email()).ifPresentOrElse(email -> {
                declared(activity, EMAIL_CATEGORY, field, invalid);
                byIndex.put(blindIndex(Identity.email(email)), Identity.email(email));
            }, () -> invalid.reject(field, "not a valid e-mail address"));
        }
        if (write.identities().phone() != null) {
            String field = field(prefix, "identities.phone");
            Normalization.phone(write.identities().phone()).ifPresentOrElse(phone -> {
                declared(activity, PHONE_CATEGORY, field, invalid);
                byIndex.put(blindIndex(Identity.phone(phone)), Identity.phone(phone));
            }, () -> invalid.reject(field, "not a valid phone number"));
        }
        for (Map.Entry<String, String> external : write.identities().externalIds().entrySet()) {
            String field = field(prefix, "identities.externalIds." + Problems.shown(external.getKey()));
            String id = external.getValue() == null ? "" : external.getValue().strip();
            if (catalog.system(external.getKey()).isEmpty()) {
                invalid.reject(field, "unknown system '" + Problems.shown(external.getKey()) + "'");
            } else if (id.isEmpty() || id.length() > 200) {
                invalid.reject(field, "an external id has 1 to 200 characters");
            } else {
                Identity identity = Identity.external(external.getKey(), id);
                byIndex.put(blindIndex(identity), identity);
            }
        }
        return byIndex;
    }

    /**
     * The blind indexes of the identities the writing system vouches for: those it lists in
     * {@code identities.verified}, and its own external id, which it issued itself.
     */
    private Set<String> vouched(SubjectWrite write, Map<String, Identity> identities, String prefix,
            Problems.Violations invalid) {
        Set<IdentityKind> kinds = java.util.EnumSet.noneOf(IdentityKind.class);
        if (write.identities() == null) {
            return Set.of();
        }
        String field = field(prefix, "identities.verified");
        for (String name : write.identities().verified()) {
            IdentityKind kind = IdentityKind.ofVouched(name == null ? "" : name).orElse(null);
            if (kind == null) {
                invalid.reject(field, "names email, phone or externalIds, not '" + Problems.shown(name) + "'");
                continue;
            }
            boolean given = switch (kind) {
                case EMAIL -> write.identities().email() != null;
                case PHONE -> write.identities().phone() != null;
                case EXTERNAL_ID -> !write.identities().externalIds().isEmpty();
            };
            if (!given) {
                invalid.reject(field, "vouches for " + name + ", which is not given");
            } else {
                kinds.add(kind);
            }
        }
        Set<String> vouched = new java.util.HashSet<>();
        identities.forEach((index, identity) -> {
            boolean external = identity.kind() == IdentityKind.EXTERNAL_ID;
            // A system vouches for its own id only: it cannot confirm whom another system's id names.
            boolean ownId = external && identity.system().equals(write.system());
            boolean listed = !external && kinds.contains(identity.kind());
            if (listed || ownId) {
                vouched.add(index);
            }
        });
        return vouched;
    }

    /** Purpose limitation: every category must be declared by the activity for the system. */
    private Map<String, String> data(Map<String, String> data, Activity activity, String prefix,
            Problems.Violations invalid) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : data.entrySet()) {
            String field = field(prefix, "data." + Problems.shown(value.getKey()));
            if (!declared(activity, value.getKey(), field, invalid)) {
                continue;
            }
            if (value.getValue() == null || value.getValue().isBlank()) {
                invalid.reject(field, "a value is required");
            } else if (value.getValue().length() > MAX_VALUE_LENGTH) {
                invalid.reject(field, "a value has at most " + MAX_VALUE_LENGTH + " characters");
            } else {
                checked.put(value.getKey(), value.getValue());
            }
        }
        return checked;
    }

    /** Records {@code field} unless the activity (when known) declares the category. */
    private static boolean declared(Activity activity, String category, String field, Problems.Violations invalid) {
        if (activity != null && !activity.declaresCategory(category)) {
            invalid.reject(field, "data category '" + Problems.shown(category) + "' is not declared by activity '"
                    + activity.key() + "' (purpose limitation)");
            return false;
        }
        return true;
    }

    private static String field(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private void requireDeclared(Activity activity, String category, String field) {
        if (!activity.declaresCategory(category)) {
            throw VaultProblem.invalid(field, "data category '" + category + "' is not declared by activity '"
                    + activity.key() + "' (purpose limitation)");
        }
    }

    // ---- reads ---------------------------------------------------------------------------

    @Override
    public Map<UUID, String> emails(List<UUID> subjectIds, String purpose) {
        return transactions.execute(status -> {
            Map<UUID, String> emails = new LinkedHashMap<>();
            Map<UUID, SecretKey> keyCache = new HashMap<>();
            for (UUID subjectId : subjectIds) {
                repository.identities(subjectId).stream()
                        .filter(identity -> identity.kind() == IdentityKind.EMAIL && identity.verified()).findFirst()
                        .ifPresent(identity -> {
                            emails.put(subjectId, new String(Crypto.open(key(keyCache, identity.keyId()),
                                    identity.ciphertext(), Identity.aad(subjectId, IdentityKind.EMAIL, null)), StandardCharsets.UTF_8));
                            events.publishEvent(new VaultEvents.EmailRead(subjectId, purpose));
                        });
            }
            return emails;
        });
    }

    @Override
    public EmailIdentity resolveEmail(String system, String activityKey, String email) {
        Activity activity = checkSource(system, activityKey);
        requireDeclared(activity, EMAIL_CATEGORY, "email");
        String normalised = Normalization.email(email == null ? "" : email)
                .orElseThrow(() -> VaultProblem.invalid("email", "not a valid e-mail address"));
        Identity identity = Identity.email(normalised);
        String index = blindIndex(identity);
        Prepared prepared = new Prepared(new SubjectWrite(system, activityKey, new Identities(normalised, null, null),
                Map.of()), activity, Map.of(index, identity), Set.of(), Map.of());
        try {
            return transactions.execute(status -> resolve(index, prepared));
        } catch (DuplicateKeyException concurrentlyBroughtIn) {
            return transactions.execute(status -> resolve(index, prepared));
        }
    }

    /** The known holder of the address, or a new person holding only it (created with it: verified). */
    private EmailIdentity resolve(String index, Prepared prepared) {
        Optional<VaultRepository.IdentityOwner> owner = repository.identityOwner(index);
        if (owner.isPresent()) {
            UUID subjectId = owner.get().subjectId();
            UUID id = owner.get().id() != null ? owner.get().id() : repository.ensureIdentityId(index);
            events.publishEvent(new VaultEvents.SubjectLookedUp(subjectId, IdentityKind.EMAIL.shown));
            return new EmailIdentity(subjectId, id, owner.get().verified(), false);
        }
        WriteResult created = store(prepared);
        return new EmailIdentity(created.id(), repository.ensureIdentityId(index), true, true);
    }

    @Override
    public boolean acceptsEmail(String email) {
        return email != null && Normalization.email(email).isPresent();
    }

    @Override
    public Optional<String> email(UUID subjectId, UUID identityId, String purpose) {
        return Optional.ofNullable(emailsByIdentity(List.of(identityId), purpose).get(identityId))
                .filter(address -> subjectId == null || repository.identitiesById(List.of(identityId)).stream()
                        .allMatch(owned -> owned.subjectId().equals(subjectId)));
    }

    @Override
    public Map<UUID, String> emailsByIdentity(Collection<UUID> identityIds, String purpose) {
        return transactions.execute(status -> {
            Map<UUID, String> emails = new LinkedHashMap<>();
            Map<UUID, SecretKey> keyCache = new HashMap<>();
            for (VaultRepository.Owned owned : repository.identitiesById(Set.copyOf(identityIds))) {
                IdentityRow identity = owned.identity();
                if (identity.kind() != IdentityKind.EMAIL) {
                    continue;
                }
                emails.put(identity.id(), new String(Crypto.open(key(keyCache, identity.keyId()), identity.ciphertext(),
                        Identity.aad(owned.subjectId(), IdentityKind.EMAIL, null)), StandardCharsets.UTF_8));
                events.publishEvent(new VaultEvents.EmailRead(owned.subjectId(), purpose));
            }
            return emails;
        });
    }

    @Override
    public void writeExport(UUID subjectId, UUID exportId, ExportContent content) {
        SubjectRow subject = liveSubject(subjectId);
        SecretKey key = keys.get(subject.keyId());
        try {
            Path incoming = blobs.incoming(exportId);
            try (OutputStream encrypted = SegmentedCipher.encrypting(key, exportId, Files.newOutputStream(incoming))) {
                content.writeTo(encrypted);
            }
            blobs.commit(exportId);
        } catch (IOException e) {
            blobs.delete(exportId);
            throw new UncheckedIOException("cannot write export " + exportId, e);
        }
    }

    @Override
    public void readExport(UUID subjectId, UUID exportId, OutputStream out) {
        SubjectRow subject = transactions.execute(status -> {
            SubjectRow row = liveSubject(subjectId);
            events.publishEvent(new VaultEvents.DocumentRead(subjectId, exportId));
            return row;
        });
        try (InputStream in = Files.newInputStream(blobs.path(exportId))) {
            SegmentedCipher.decrypt(keys.get(subject.keyId()), exportId, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export " + exportId, e);
        }
    }

    @Override
    public void deleteExport(UUID exportId) {
        blobs.delete(exportId);
    }

    @Override
    public boolean isLive(UUID subjectId) {
        return repository.subject(subjectId).map(subject -> subject.erasedAt() == null).orElse(false);
    }

    @Override
    public boolean exists(UUID subjectId) {
        return repository.subject(subjectId).isPresent();
    }

    @Override
    public SubjectView read(UUID subjectId) {
        return read(subjectId, false);
    }

    @Override
    public SubjectView readForAccess(UUID subjectId) {
        return read(subjectId, true);
    }

    private SubjectView read(UUID subjectId, boolean restrictedToo) {
        return transactions.execute(status -> {
            SubjectRow subject = liveSubject(subjectId);
            Map<UUID, SecretKey> keyCache = new HashMap<>();
            IdentityView identities = identityView(subjectId, keyCache);
            List<StoredValue> values = new ArrayList<>();
            for (ValueRow value : repository.values(subjectId)) {
                if (value.heldBy() != null && !restrictedToo) {
                    continue;
                }
                String plain = new String(Crypto.open(key(keyCache, value.keyId()), value.ciphertext(),
                        valueAad(subjectId, value.category(), value.system(), value.activity())), StandardCharsets.UTF_8);
                values.add(new StoredValue(value.category(), plain, value.system(), value.activity(),
                        List.of(value.purposes().split(" ")), value.collectedAt(),
                        value.heldBy() == null ? null : value.heldBy().stored()));
            }
            List<DocumentInfo> documents = repository.documents(subjectId).stream().map(VaultService::info).toList();
            events.publishEvent(new VaultEvents.SubjectRead(subject.id()));
            return new SubjectView(subjectId, identities, values, documents);
        });
    }

    @Override
    public IdentityView identities(UUID subjectId) {
        return transactions.execute(status -> {
            liveSubject(subjectId);
            IdentityView identities = identityView(subjectId, new HashMap<>());
            events.publishEvent(new VaultEvents.SubjectRead(subjectId));
            return identities;
        });
    }

    private IdentityView identityView(UUID subjectId, Map<UUID, SecretKey> keyCache) {
        String email = null;
        String phone = null;
        List<String> otherEmails = new ArrayList<>();
        List<String> otherPhones = new ArrayList<>();
        Map<String, String> externalIds = new LinkedHashMap<>();
        List<SubjectView.Unverified> unverified = new ArrayList<>();
        for (IdentityRow identity : repository.identities(subjectId)) {
            String value = new String(Crypto.open(key(keyCache, identity.keyId()), identity.ciphertext(),
                    Identity.aad(subjectId, identity.kind(), identity.system())), StandardCharsets.UTF_8);
            if (!identity.verified()) {
                unverified.add(new SubjectView.Unverified(identity.kind().shown, identity.system(), value));
                continue;
            }
            switch (identity.kind()) {
                case EMAIL -> {
                    if (email == null) {
                        email = value;
                    } else {
                        otherEmails.add(value);
                    }
                }
                case PHONE -> {
                    if (phone == null) {
                        phone = value;
                    } else {
                        otherPhones.add(value);
                    }
                }
                case EXTERNAL_ID -> externalIds.put(identity.system(), value);
            }
        }
        return new IdentityView(email, phone, externalIds, otherEmails, otherPhones, unverified);
    }

    @Override
    public List<UUID> find(String kind, String value) {
        String blindIndex = switch (kind) {
            case "email" -> blindIndex(Identity.email(Normalization.email(value)
                    .orElseThrow(() -> VaultProblem.invalid("email", "not a valid e-mail address"))));
            case "phone" -> blindIndex(Identity.phone(Normalization.phone(value)
                    .orElseThrow(() -> VaultProblem.invalid("phone", "not a valid phone number"))));
            case "externalId" -> {
                int colon = value.indexOf(':');
                if (colon <= 0 || colon == value.length() - 1) {
                    throw VaultProblem.invalid("externalId", "expected <system>:<id>");
                }
                String system = value.substring(0, colon);
                if (catalog.system(system).isEmpty()) {
                    throw VaultProblem.invalid("externalId", "unknown system '" + system + "'");
                }
                yield blindIndex(Identity.external(system, value.substring(colon + 1).strip()));
            }
            default -> throw new IllegalArgumentException("unknown identity kind " + kind);
        };
        return transactions.execute(status -> {
            List<UUID> found = repository.subjectsByBlindIndex(List.of(blindIndex));
            if (found.isEmpty()) {
                events.publishEvent(new VaultEvents.SubjectLookedUp(null, kind));
            }
            found.forEach(id -> events.publishEvent(new VaultEvents.SubjectLookedUp(id, kind)));
            return found;
        });
    }

    @Override
    public void rectify(UUID subjectId, Map<String, String> data) {
        if (data == null || data.isEmpty()) {
            throw VaultProblem.invalid("data", "at least one category to correct is required");
        }
        transactions.executeWithoutResult(status -> {
            SubjectRow subject = lockLiveSubject(subjectId);
            SecretKey key = keys.get(subject.keyId());
            List<ValueRow> held = repository.values(subjectId).stream().filter(v -> v.heldBy() == null).toList();
            for (Map.Entry<String, String> change : data.entrySet()) {
                String field = "data." + change.getKey();
                List<ValueRow> rows = held.stream().filter(v -> v.category().equals(change.getKey())).toList();
                if (rows.isEmpty()) {
                    throw VaultProblem.invalid(field, "no value of category '" + change.getKey()
                            + "' is held for this person; collect it with a write instead");
                }
                if (change.getValue() == null || change.getValue().isBlank()
                        || change.getValue().length() > MAX_VALUE_LENGTH) {
                    throw VaultProblem.invalid(field, "a value of 1 to " + MAX_VALUE_LENGTH + " characters is required");
                }
                for (ValueRow row : rows) {
                    repository.replaceCiphertext(row.id(), subject.keyId(), Crypto.seal(key,
                            change.getValue().getBytes(StandardCharsets.UTF_8),
                            valueAad(subjectId, row.category(), row.system(), row.activity())));
                }
            }
            repository.touch(subjectId, now());
            events.publishEvent(new VaultEvents.SubjectRectified(subjectId, List.copyOf(new TreeSet<>(data.keySet()))));
        });
    }

    // ---- documents -----------------------------------------------------------------------

    @Override
    public DocumentInfo storeDocument(UUID subjectId, DocumentKind kind, String system, String activityKey,
            String contentType, InputStream content) {
        Problems.Violations invalid = Problems.violations();
        boolean named = system != null && !system.isBlank();
        boolean known = named && catalog.system(system).isPresent();
        invalid.require(named, "system", "system is required");
        invalid.require(!named || known, "system", "unknown system '" + Problems.shown(system) + "'");
        Activity activity = known ? invalid.collect(() -> documentActivity(system, activityKey)) : null;
        String category = activity == null ? null : activity.documentCategory(kind).orElse(null);
        if (activity != null && category == null) {
            invalid.reject("kind", "activity '" + activity.key() + "' stores no documents of kind '" + kind.key()
                    + "': its documents map names " + String.join(", ", activity.documents().keySet())
                    + " (purpose limitation)");
        }
        invalid.throwIfAny();
        SubjectRow subject = liveSubject(subjectId);
        SecretKey key = keys.get(subject.keyId());
        UUID documentId = UUID.randomUUID();
        long size;
        try {
            Path incoming = blobs.incoming(documentId);
            try (OutputStream out = Files.newOutputStream(incoming)) {
                size = SegmentedCipher.encrypt(key, documentId, content, out, maxDocumentBytes);
            } catch (SegmentedCipher.TooLargeException e) {
                blobs.delete(documentId);
                throw VaultProblem.tooLarge(maxDocumentBytes);
            }
            if (size == 0) {
                blobs.delete(documentId);
                throw VaultProblem.invalid("file", "the file is empty");
            }
            blobs.commit(documentId);
        } catch (IOException e) {
            blobs.delete(documentId);
            throw new UncheckedIOException("cannot store document", e);
        }
        Instant now = now();
        RetentionRule retention = activity.retention();
        Instant expiresAt = retention.trigger() == RetentionRule.Trigger.COLLECTION ? retention.after().addTo(now) : null;
        DocumentRow row = new DocumentRow(documentId, subjectId, kind.key(), system, activity.key(), category,
                contentType(contentType), size, subject.keyId(), now, expiresAt);
        try {
            transactions.executeWithoutResult(status -> {
                lockLiveSubject(subjectId);
                repository.insertDocument(row);
                events.publishEvent(new VaultEvents.DocumentStored(subjectId, documentId, kind.key(), system));
            });
        } catch (RuntimeException e) {
            blobs.delete(documentId);
            throw e;
        }
        return info(row);
    }

    /**
     * SPEC section 3: the activity named, or else the system's only activity that takes documents
     * (declares a {@code user.content.*} category or a {@code documents} map).
     */
    private Activity documentActivity(String system, String activityKey) {
        if (activityKey != null && !activityKey.isBlank()) {
            Activity activity = checkSource(system, activityKey);
            if (!activity.takesDocuments()) {
                throw VaultProblem.invalid("activity", "activity '" + activityKey + "' declares no user.content"
                        + " category: it takes no documents (purpose limitation)");
            }
            return activity;
        }
        List<Activity> candidates = catalog.activitiesOf(system).stream().filter(Activity::takesDocuments).toList();
        if (candidates.isEmpty()) {
            throw VaultProblem.invalid("system", "no activity of system '" + system + "' takes documents (declares a"
                    + " user.content category)");
        }
        if (candidates.size() > 1) {
            throw VaultProblem.invalid("activity", "several activities of system '" + system + "' take documents ("
                    + String.join(", ", candidates.stream().map(Activity::key).toList()) + "): name one");
        }
        return candidates.get(0);
    }

    @Override
    public DocumentInfo document(UUID subjectId, UUID documentId) {
        liveSubject(subjectId);
        return repository.document(subjectId, documentId).map(VaultService::info)
                .orElseThrow(() -> VaultProblem.notFound(documentId));
    }

    @Override
    public DocumentInfo readDocument(UUID subjectId, UUID documentId, OutputStream out) {
        DocumentRow document = transactions.execute(status -> {
            liveSubject(subjectId);
            DocumentRow row = repository.document(subjectId, documentId)
                    .orElseThrow(() -> VaultProblem.notFound(documentId));
            if (repository.documentRestricted(documentId)) {
                throw VaultProblem.restricted(documentId);
            }
            events.publishEvent(new VaultEvents.DocumentRead(subjectId, documentId));
            return row;
        });
        SecretKey key = keys.get(document.keyId());
        try (InputStream in = Files.newInputStream(blobs.path(documentId))) {
            SegmentedCipher.decrypt(key, documentId, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read document " + documentId, e);
        }
        return info(document);
    }

    // ---- erasure and keys ----------------------------------------------------------------

    @Override
    public ErasureReport eraseSubject(UUID subjectId, List<Hold> holds) {
        return transactions.execute(status -> {
            SubjectRow subject = lockLiveSubject(subjectId);
            SecretKey key = keys.get(subject.keyId());
            Map<Hold, KeyStore.DataKey> holdKeys = new HashMap<>();
            Map<String, ErasureReport.Kept> kept = new java.util.LinkedHashMap<>();
            Set<String> heldCategories = new TreeSet<>();
            holds.forEach(hold -> heldCategories.addAll(hold.categories()));
            Instant now = now();
            // Only the values a hold keeps are touched: the rest is shredded by destroying the key, so
            // the time an erasure takes does not grow with how much is held about the person. A value
            // already restricted is still under the person's key, so it is kept (or shredded) the same way.
            for (ValueRow value : repository.valuesUnderKey(subjectId, subject.keyId(), heldCategories)) {
                Hold hold = holds.stream().filter(h -> h.covers(value.category(), value.activity())).findFirst()
                        .orElse(null);
                Instant until = hold == null ? null : hold.untilFor(value.collectedAt());
                if (hold == null || (until != null && !until.isAfter(now))) {
                    continue;
                }
                KeyStore.DataKey holdKey = holdKeys.computeIfAbsent(hold,
                        h -> keys.create(subjectId, KeyStore.HOLD, h.reason().stored()));
                byte[] aad = valueAad(subjectId, value.category(), value.system(), value.activity());
                byte[] plain = Crypto.open(key, value.ciphertext(), aad);
                repository.hold(value.id(), holdKey.id(), Crypto.seal(holdKey.key(), plain, aad), hold.reason(),
                        until);
                kept.merge(value.category() + "|" + hold.reason().stored(), new ErasureReport.Kept(value.category(),
                        hold.reason().stored(), until), (a, b) -> a.until() == null || (b.until() != null
                                && !b.until().isAfter(a.until())) ? a : b);
            }
            Set<String> erased = new TreeSet<>(repository.categoriesUnderKey(subjectId, subject.keyId()));
            if (!repository.identities(subjectId).isEmpty()) {
                erased.add("identities");
            }
            repository.deleteIdentities(subjectId);
            List<DocumentRow> documents = new ArrayList<>();
            List<UUID> heldDocuments = new ArrayList<>();
            for (DocumentRow document : repository.documents(subjectId)) {
                String category = document.category();
                Hold hold = category == null ? null : holds.stream()
                        .filter(h -> h.covers(category, document.activity())).findFirst().orElse(null);
                Instant until = hold == null ? null : hold.untilFor(document.uploadedAt());
                if (hold == null || (until != null && !until.isAfter(now))) {
                    documents.add(document);
                    continue;
                }
                // Kept like a value: re-encrypted under the hold key, streamed, never in plain text on disk.
                KeyStore.DataKey holdKey = holdKeys.computeIfAbsent(hold,
                        h -> keys.create(subjectId, KeyStore.HOLD, h.reason().stored()));
                reencrypt(document.id(), key, holdKey.key());
                repository.holdDocument(document.id(), holdKey.id(), hold.reason(), until);
                heldDocuments.add(document.id());
                kept.merge(category + "|" + hold.reason().stored(), new ErasureReport.Kept(category,
                        hold.reason().stored(), until),
                        (a, b) -> a.until() == null || (b.until() != null && !b.until().isAfter(a.until())) ? a : b);
            }
            repository.deleteDocumentsExcept(subjectId, heldDocuments);
            repository.markErased(subjectId, now());
            keys.destroy(subject.keyId());
            onCompletion(committed -> {
                if (committed) {
                    documents.forEach(document -> blobs.delete(document.id()));
                    heldDocuments.forEach(this::swapIn);
                } else {
                    heldDocuments.forEach(blobs::discardIncoming);
                }
            });
            events.publishEvent(new VaultEvents.SubjectErased(subjectId, List.copyOf(erased), documents.size(),
                    kept.values().stream().map(k -> k.category() + " (" + k.reason() + ")").toList()));
            return new ErasureReport(subjectId, List.copyOf(erased), documents.size(), List.copyOf(kept.values()));
        });
    }

    /**
     * Deletes, in batches, the values of erased people that no hold keeps. They are unreadable
     * already (their key is destroyed); this frees the space. Runs every minute by itself.
     */
    @Override
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${personvern.vault.purge-interval:PT1M}")
    public int purgeErased() {
        int total = 0;
        int deleted;
        do {
            deleted = repository.purgeErasedValues(1000);
            total += deleted;
        } while (deleted == 1000);
        return total;
    }

    @Override
    public int restrict(UUID subjectId, String reason) {
        return restrict(subjectId, Hold.Reason.parse(reason));
    }

    @Override
    public int restrict(UUID subjectId, Hold.Reason reason) {
        return transactions.execute(status -> {
            lockLiveSubject(subjectId);
            int restricted = repository.restrictAll(subjectId, reason);
            events.publishEvent(new VaultEvents.SubjectRestricted(subjectId, reason.stored(), restricted));
            return restricted;
        });
    }

    @Override
    public int rotateMasterKey() {
        return transactions.execute(status -> {
            int rewrapped = keys.rewrapAll();
            events.publishEvent(new VaultEvents.MasterKeyRotated(rewrapped, keys.currentMasterKeyId()));
            return rewrapped;
        });
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Now, to the microsecond that both databases store. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private SubjectRow liveSubject(UUID subjectId) {
        SubjectRow subject = repository.subject(subjectId).orElseThrow(() -> VaultProblem.notFound(subjectId));
        if (subject.erasedAt() != null) {
            throw VaultProblem.erased(subjectId);
        }
        return subject;
    }

    private SubjectRow lockLiveSubject(UUID subjectId) {
        SubjectRow subject = repository.lockSubject(subjectId).orElseThrow(() -> VaultProblem.notFound(subjectId));
        if (subject.erasedAt() != null) {
            throw VaultProblem.erased(subjectId);
        }
        return subject;
    }

    private SecretKey key(Map<UUID, SecretKey> cache, UUID keyId) {
        return cache.computeIfAbsent(keyId, keys::get);
    }

    /** HMAC-SHA256 of the normalised identity under a key derived (HKDF) from the index root. */
    String blindIndex(Identity identity) {
        byte[] key = blindIndexKey;
        if (key == null) {
            key = Crypto.hkdf(keys.indexRoot().getEncoded(), "personvern".getBytes(StandardCharsets.US_ASCII),
                    "blind index v1".getBytes(StandardCharsets.US_ASCII), 32);
            blindIndexKey = key;
        }
        return HexFormat.of().formatHex(Crypto.hmac(key, identity.indexMessage()));
    }

    private static byte[] valueAad(UUID subjectId, String category, String system, String activity) {
        return ("value|" + subjectId + "|" + category + "|" + system + "|" + activity).getBytes(StandardCharsets.UTF_8);
    }

    private static String contentType(String contentType) {
        if (contentType == null || !contentType.matches("[a-zA-Z0-9!#$&^_.+-]+/[a-zA-Z0-9!#$&^_.+-]+")) {
            return "application/octet-stream";
        }
        return contentType.toLowerCase(java.util.Locale.ROOT);
    }

    private static DocumentInfo info(DocumentRow row) {
        return new DocumentInfo(row.id(), row.kind(), row.system(), row.activity(), row.category(), row.contentType(),
                row.size(), row.uploadedAt(), row.expiresAt());
    }

    /** Re-encrypts a document's blob from one key to another into its incoming file; swapped in on commit. */
    private void reencrypt(UUID documentId, SecretKey from, SecretKey to) {
        try (InputStream in = Files.newInputStream(blobs.path(documentId));
                OutputStream out = Files.newOutputStream(blobs.incoming(documentId));
                OutputStream encrypting = SegmentedCipher.encrypting(to, documentId, out)) {
            SegmentedCipher.decrypt(from, documentId, in, encrypting);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encrypt document " + documentId, e);
        }
    }

    private void swapIn(UUID documentId) {
        try {
            blobs.commit(documentId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot swap in the re-encrypted document " + documentId, e);
        }
    }

    private static void onCompletion(java.util.function.Consumer<Boolean> action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    action.accept(status == STATUS_COMMITTED);
                }
            });
        } else {
            action.accept(true);
        }
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
