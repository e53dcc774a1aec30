package no.personvern.subjects.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import no.personvern.catalog.Catalog;
import no.personvern.subjects.DocumentInfo;
import no.personvern.subjects.SubjectView.IdentityView;
import no.personvern.subjects.SubjectView.StoredValue;
import no.personvern.subjects.RestrictedValue;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import no.personvern.subjects.VaultEvents;
import no.personvern.subjects.VaultRefusal;
import no.personvern.subjects.internal.DocumentRepository.DocumentRow;
import no.personvern.subjects.internal.IdentityRepository.IdentityRow;
import no.personvern.subjects.internal.SubjectRepository.SubjectRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads of the vault: people, their identities and addresses, and look-ups; each read is audited.
 * Public for the module's web layer only (an internal package is not visible to other modules).
 */
@Component
public class Reads {

    private final SubjectRepository subjectRepository;
    private final IdentityRepository identityRepository;
    private final ValueRepository valueRepository;
    private final DocumentRepository documentRepository;
    private final Envelopes envelopes;
    private final BlindIndex index;
    private final Catalog catalog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    Reads(SubjectRepository subjectRepository, IdentityRepository identityRepository,
            ValueRepository valueRepository, DocumentRepository documentRepository, Envelopes envelopes,
            BlindIndex index, Catalog catalog, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.subjectRepository = subjectRepository;
        this.identityRepository = identityRepository;
        this.valueRepository = valueRepository;
        this.documentRepository = documentRepository;
        this.envelopes = envelopes;
        this.index = index;
        this.catalog = catalog;
        this.events = events;
        // Read-only: such a transaction's audit entries are committed with those of concurrent reads
        // (one commit for many), and still before the read returns anything.
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setReadOnly(true);
    }

    Map<UUID, String> emails(List<UUID> subjectIds, String purpose) {
        return transactions.execute(status -> {
            Map<UUID, String> emails = new LinkedHashMap<>();
            Envelopes.Opener opener = envelopes.opener();
            Set<UUID> restricted = forRights(purpose) ? Set.of() : subjectRepository.restricted(subjectIds);
            for (UUID subjectId : subjectIds) {
                if (restricted.contains(subjectId)) {
                    continue;
                }
                identityRepository.identities(subjectId).stream()
                        .filter(identity -> identity.kind() == IdentityKind.EMAIL && identity.verified()).findFirst()
                        .ifPresent(identity -> {
                            emails.put(subjectId, opener.identity(subjectId, identity));
                            events.publishEvent(new VaultEvents.EmailRead(subjectId, purpose));
                        });
            }
            return emails;
        });
    }

    Optional<String> email(UUID subjectId, UUID identityId, String purpose) {
        return Optional.ofNullable(emailsByIdentity(List.of(identityId), purpose).get(identityId))
                .filter(address -> subjectId == null || identityRepository.identitiesById(List.of(identityId)).stream()
                        .allMatch(owned -> owned.subjectId().equals(subjectId)));
    }

    Map<UUID, String> emailsByIdentity(Collection<UUID> identityIds, String purpose) {
        return transactions.execute(status -> {
            Map<UUID, String> emails = new LinkedHashMap<>();
            Envelopes.Opener opener = envelopes.opener();
            List<IdentityRepository.Owned> owners = identityRepository.identitiesById(Set.copyOf(identityIds));
            Set<UUID> restricted = forRights(purpose) ? Set.of()
                    : subjectRepository.restricted(owners.stream().map(IdentityRepository.Owned::subjectId).toList());
            for (IdentityRepository.Owned owned : owners) {
                IdentityRow identity = owned.identity();
                if (identity.kind() != IdentityKind.EMAIL || restricted.contains(owned.subjectId())) {
                    continue;
                }
                emails.put(identity.id(), opener.identity(owned.subjectId(), identity));
                events.publishEvent(new VaultEvents.EmailRead(owned.subjectId(), purpose));
            }
            return emails;
        });
    }

    /**
     * Art. 18: a restricted person's identities serve only their own rights (requests, the notices of
     * Art. 18(3)) and their protection: the letter about a breach that affects them (Art. 34).
     */
    private static boolean forRights(String purpose) {
        return Vault.RIGHTS_PURPOSE.equals(purpose)
                || purpose != null && purpose.startsWith(Vault.BREACH_PURPOSE + ":");
    }

    boolean isLive(UUID subjectId) {
        return subjectRepository.subject(subjectId).map(subject -> subject.erasedAt() == null).orElse(false);
    }

    boolean exists(UUID subjectId) {
        return subjectRepository.subject(subjectId).isPresent();
    }

    /** Everything held about a person for use: restricted values are left out; 404 if unknown, 410 if erased. */
    public SubjectView read(UUID subjectId) {
        return read(subjectId, false);
    }

    SubjectView readForAccess(UUID subjectId) {
        return read(subjectId, true);
    }

    private SubjectView read(UUID subjectId, boolean restrictedToo) {
        return transactions.execute(status -> {
            SubjectRow subject = subjectRepository.live(subjectId);
            Envelopes.Opener opener = envelopes.opener();
            // Art. 18: a restricted person's identities are restricted too; only their own access shows them.
            IdentityView identities = subject.restrictedBy() != null && !restrictedToo
                    ? new IdentityView(null, null, Map.of(), List.of(), List.of(), List.of())
                    : identityView(subjectId, opener);
            List<StoredValue> values = new ArrayList<>();
            for (ValueRow value : valueRepository.values(subjectId)) {
                if (value.heldBy() != null && !restrictedToo) {
                    continue;
                }
                String plain = opener.value(subjectId, value);
                values.add(new StoredValue(value.category(), plain, value.system(), value.activity(),
                        List.of(value.purposes().split(" ")), value.collectedAt(),
                        value.heldBy() == null ? null : value.heldBy().stored()));
            }
            List<DocumentInfo> documents = (restrictedToo ? documentRepository.documents(subjectId)
                    : documentRepository.unrestrictedDocuments(subjectId)).stream().map(DocumentRow::info).toList();
            events.publishEvent(new VaultEvents.SubjectRead(subject.id()));
            return new SubjectView(subjectId, identities, values, documents);
        });
    }

    /** The values kept only for one purpose, decrypted for it; the reader's reason is audited. */
    List<RestrictedValue> restrictedValues(UUID subjectId, String reason) {
        return transactions.execute(status -> {
            subjectRepository.subject(subjectId).orElseThrow(() -> VaultRefusal.notFound(subjectId));
            Envelopes.Opener opener = envelopes.opener();
            List<RestrictedValue> values = new ArrayList<>();
            for (ValueRow value : valueRepository.values(subjectId)) {
                if (value.heldBy() == null) {
                    continue;
                }
                String plain;
                try {
                    plain = opener.value(subjectId, value);
                } catch (KeyStore.KeyDestroyedException shredded) {
                    continue; // restricted once, not kept by any hold through the erasure: gone
                }
                values.add(new RestrictedValue(value.category(), plain, value.system(), value.activity(),
                        RestrictedValue.HeldBy.of(value.heldBy(), value.activity(), value.heldUntil())));
            }
            events.publishEvent(new VaultEvents.RestrictedRead(subjectId, reason, values.size()));
            return values;
        });
    }

    IdentityView identities(UUID subjectId) {
        return transactions.execute(status -> {
            subjectRepository.live(subjectId);
            IdentityView identities = identityView(subjectId, envelopes.opener());
            events.publishEvent(new VaultEvents.SubjectRead(subjectId));
            return identities;
        });
    }

    private IdentityView identityView(UUID subjectId, Envelopes.Opener opener) {
        String email = null;
        String phone = null;
        List<String> otherEmails = new ArrayList<>();
        List<String> otherPhones = new ArrayList<>();
        Map<String, String> externalIds = new LinkedHashMap<>();
        List<SubjectView.Unverified> unverified = new ArrayList<>();
        for (IdentityRow identity : identityRepository.identities(subjectId)) {
            String value = opener.identity(subjectId, identity);
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

    /** The people with this identity: {@code email}, {@code phone} or {@code externalId} ({@code system:id}). */
    public List<UUID> find(String kind, String value) {
        String blindIndex = switch (kind) {
            case "email" -> index.of(Identity.email(Normalization.email(value)
                    .orElseThrow(() -> VaultRefusal.invalid("email", "not a valid e-mail address"))));
            case "phone" -> index.of(Identity.phone(Normalization.phone(value)
                    .orElseThrow(() -> VaultRefusal.invalid("phone", "not a valid phone number"))));
            case "externalId" -> {
                int colon = value.indexOf(':');
                if (colon <= 0 || colon == value.length() - 1) {
                    throw VaultRefusal.invalid("externalId", "expected <system>:<id>");
                }
                String system = value.substring(0, colon);
                if (catalog.system(system).isEmpty()) {
                    throw VaultRefusal.invalid("externalId", "unknown system '" + system + "'");
                }
                yield index.of(Identity.external(system, value.substring(colon + 1).strip()));
            }
            default -> throw new IllegalArgumentException("unknown identity kind " + kind);
        };
        return transactions.execute(status -> {
            List<UUID> matched = identityRepository.subjectsByBlindIndex(List.of(blindIndex));
            // Art. 18: a restricted person is not found for new processing.
            Set<UUID> restricted = subjectRepository.restricted(matched);
            List<UUID> found = matched.stream().filter(id -> !restricted.contains(id)).toList();
            if (found.isEmpty()) {
                events.publishEvent(new VaultEvents.SubjectLookedUp(null, kind));
            }
            found.forEach(id -> events.publishEvent(new VaultEvents.SubjectLookedUp(id, kind)));
            return found;
        });
    }
}
