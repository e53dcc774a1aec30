package no.personvern.requests.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import no.personvern.PersonvernProperties;
import no.personvern.catalog.Language;
import no.personvern.requests.RequestType;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Access (Art. 15) and portability (Art. 20) are answered with a package: built into the vault's
 * encrypted store, mailed as a link with a random token (valid 7 days).
 */
@Component
class PackageFulfilment {

    static final Duration PACKAGE_VALIDITY = Duration.ofDays(7);

    private final RequestRepository requests;
    private final PackageBuilder packages;
    private final CustomerRouting routing;
    private final Vault vault;
    private final Letters letters;
    private final RequestMails mails;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String baseUrl;
    private final PackageReviewRepository reviews;

    PackageFulfilment(RequestRepository requests, PackageBuilder packages, CustomerRouting routing, Vault vault,
            Letters letters, RequestMails mails, TransactionTemplate transactions, Clock clock,
            PersonvernProperties site, PackageReviewRepository reviews) {
        this.reviews = reviews;
        this.requests = requests;
        this.packages = packages;
        this.routing = routing;
        this.vault = vault;
        this.letters = letters;
        this.mails = mails;
        this.transactions = transactions;
        this.clock = clock;
        this.baseUrl = site.baseUrl();
    }

    void fulfil(RequestRecord row) {
        transactions.executeWithoutResult(status -> {
            row.startWork();
            requests.saveStarted(row);
        });
        // Art. 15(4), personopplysningsloven § 16: the DPO reviews first; the deadline keeps running.
        List<String> review = packages.reviewItems(row.type(), row.subjectId());
        if (!review.isEmpty()) {
            transactions.executeWithoutResult(status -> reviews.hold(row.id(), review, StoredTime.now(clock)));
            return;
        }
        deliver(row, List.of(), () -> {
        });
    }

    /**
     * Builds the package (leaving out what the DPO withheld), completes the request and mails the
     * person the link, telling them what was withheld and why; {@code alongside} runs in the
     * transaction that completes the request.
     */
    void deliver(RequestRecord row, List<PackageBuilder.Withheld> withheld, Runnable alongside) {
        UUID requestId = row.id();
        RequestType type = row.type();
        List<PackageBuilder.PackageData.PastRequest> history = requests.historyOf(row.subjectId());
        UUID packageId = UUID.randomUUID();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(RequestRecord.randomBytes(32));
        Instant now = StoredTime.now(clock);
        Language language = row.lang().equals("en") ? Language.EN : Language.NB;
        boolean routed = packages.build(requestId, type, row.subjectId(), language, history, packageId, now, withheld);
        transactions.executeWithoutResult(status -> {
            alongside.run();
            row.delivered((type == RequestType.ACCESS ? "access package delivered"
                    : "portability package delivered") + (routed ? "; " + CustomerRouting.ROUTED : "")
                    + (withheld.isEmpty() ? "" : "; withheld after review: " + String.join(", ",
                            withheld.stream().map(PackageBuilder.Withheld::item).toList())), packageId,
                    token, now.plus(PACKAGE_VALIDITY), now);
            requests.saveDelivered(row);
            if (routed) {
                routing.route(row, type, vault.identities(row.subjectId()));
            }
            // The link to the package, only to the person (in the transaction that completes the request).
            String link = baseUrl + "/api/v1/public/requests/" + requestId + "/package?token=" + token;
            mails.toRequester(row, letters.packageReady(type, row.norwegian(), link, routed,
                    withheld.stream().map(PackageBuilder.Withheld::reason).toList()));
        });
    }
}
