package no.personvern.requests.internal;

import java.io.OutputStream;
import java.time.Clock;
import java.util.UUID;
import no.personvern.Problems;
import no.personvern.Refusal.Kind;
import no.personvern.subjects.Vault;
import org.springframework.stereotype.Component;

/** The package of an access or portability request, opened only by the token in its link, for 7 days. */
@Component
class PackageDownloads {

    private final RequestRepository requests;
    private final Vault vault;
    private final Clock clock;

    PackageDownloads(RequestRepository requests, Vault vault, Clock clock) {
        this.requests = requests;
        this.vault = vault;
        this.clock = clock;
    }

    void check(UUID requestId, String token) {
        RequestRepository.Download download = requests.download(requestId)
                .orElseThrow(() -> Problems.notFound("No package for this link."));
        boolean authentic = token != null && token.length() < 100
                && RequestRecord.sameHash(RequestRecord.hash(requestId.toString(), token), download.hash());
        if (!authentic) {
            throw Problems.notFound("No package for this link.");
        }
        if (!download.expires().isAfter(clock.instant()) || download.packageId() == null) {
            throw Problems.refusal(Kind.GONE, "Expired", "The link has expired (7 days); ask us again.", null);
        }
    }

    /** The package of a request whose status key was checked: 404 when there is none, 410 once it lapsed. */
    void checkAvailable(UUID requestId) {
        RequestRepository.Download download = requests.download(requestId)
                .orElseThrow(() -> Problems.notFound("No package for this request."));
        if (!download.expires().isAfter(clock.instant()) || download.packageId() == null) {
            throw Problems.refusal(Kind.GONE, "Expired", "The package has expired (7 days); ask us again.", null);
        }
    }

    /** Writes the package of a request whose status key was checked, after {@link #checkAvailable}. */
    void downloadAvailable(UUID requestId, OutputStream out) {
        checkAvailable(requestId);
        RequestRepository.Download download = requests.download(requestId).orElseThrow();
        vault.readExport(download.subjectId(), download.packageId(), out);
    }

    void download(UUID requestId, String token, OutputStream out) {
        check(requestId, token);
        RequestRepository.Download download = requests.download(requestId).orElseThrow();
        vault.readExport(download.subjectId(), download.packageId(), out);
    }
}
