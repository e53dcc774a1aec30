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
import no.personvern.subjects.SubjectView;
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
        this.transactions = transactions;
    }

    Map<UUID, String> emails(List<UUID> subjectIds, String purpose) {
        return transactions.execute(status -> {
            Map<UUID, String> emails = new LinkedHashMap<>();
            Envelopes.Opener opener = envelopes.opener();
            for (UUID subjectId : subjectIds) {
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
            for (IdentityRepository.Owned owned : identityRepository.identitiesById(Set.copyOf(identityIds))) {
                IdentityRow identity = owned.identity();
                if (identity.kind() != IdentityKind.EMAIL) {
                    continue;
                }
                emails.put(identity.id(), opener.identity(owned.subjectId(), identity));
                events.publishEvent(new VaultEvents.EmailRead(owned.subjectId(), purpose));
            }
            return emails;
        });
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
            IdentityView identities = identityView(subjectId, opener);
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
            List<DocumentInfo> documents = documentRepository.documents(subjectId).stream().map(DocumentRow::info)
                    .toList();
            events.publishEvent(new VaultEvents.SubjectRead(subject.id()));
            return new SubjectView(subjectId, identities, values, documents);
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
            List<UUID> found = identityRepository.subjectsByBlindIndex(List.of(blindIndex));
            if (found.isEmpty()) {
                events.publishEvent(new VaultEvents.SubjectLookedUp(null, kind));
            }
            found.forEach(id -> events.publishEvent(new VaultEvents.SubjectLookedUp(id, kind)));
            return found;
        });
    }
}
