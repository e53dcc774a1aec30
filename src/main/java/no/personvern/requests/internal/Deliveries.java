package no.personvern.requests.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.personvern.Problems;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Role;
import no.personvern.catalog.DataSystem;
import no.personvern.requests.DataRequest;
import no.personvern.requests.RequestType;
import no.personvern.subjects.SubjectView;
import no.personvern.subjects.Vault;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends each request to every connected system with a webhook connector: a POST of
 * {@code {requestId, type, identities}} (with {@code message}, the proposed correction, for a
 * rectification) signed with HMAC-SHA256 of the body under the system's
 * secret ({@code X-Personvern-Signature: sha256=<hex>}), idempotent by request id. A system answers
 * 200 {@code {status: "done"}}, or 202 and calls back later. Failures are retried with exponential
 * backoff; the state is in the database, so work resumes after a restart and several instances
 * share it (a row is claimed before it is sent). A system silent for 7 days flags the request.
 */
@Component
class Deliveries {

    /** Every connected system is done with the request: it can be carried out and closed (ids only: it is stored). */
    record AllSystemsDone(UUID requestId) {
    }

    /** The body POSTed to a connected system; the signature is over its bytes. */
    @JsonPropertyOrder({"requestId", "type", "identities", "message", "processorActivities"})
    record Webhook(String requestId, String type, Identities identities,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> processorActivities) {

        /** Only the verified identities: systems act on nothing else. */
        @JsonPropertyOrder({"email", "phone", "externalIds"})
        record Identities(String email, String phone, Map<String, String> externalIds) {
        }

        byte[] body() {
            return JSON.writeValueAsBytes(this);
        }
    }

    /** A delivery whose next attempt is due. */
    private record Due(UUID requestId, String systemKey, String type, UUID subjectId, UUID messageNote) {
    }

    static final Duration SILENCE = Duration.ofDays(7);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Vault vault;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Deliveries(JdbcClient jdbc, Catalog catalog, Vault vault, Clock clock, TransactionTemplate transactions,
            ApplicationEventPublisher events, RequestsProperties settings) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.vault = vault;
        this.clock = clock;
        this.transactions = transactions;
        this.events = events;
        this.initialDelay = settings.connectors().retry().initialDelay();
        this.maxDelay = settings.connectors().retry().maxDelay();
        this.timeout = settings.connectors().timeout();
    }

    /** Creates one delivery per connected system; false when there is none (nothing to wait for). */
    boolean start(UUID requestId) {
        List<DataSystem> connected = catalog.systems().stream().filter(s -> s.connector() != null).toList();
        for (DataSystem system : connected) {
            jdbc.sql("""
                    INSERT INTO request_delivery (request_id, system_key, status, next_attempt_at)
                    VALUES (:request, :system, 'pending', :at)""")
                    .param("request", requestId).param("system", system.key()).param("at", time(clock.instant()))
                    .update();
        }
        return !connected.isEmpty();
    }

    List<DataRequest.SystemState> states(UUID requestId) {
        return jdbc.sql("SELECT system_key, status, attempts, last_error FROM request_delivery WHERE request_id = :id"
                + " ORDER BY system_key").param("id", requestId)
                .query((rs, n) -> new DataRequest.SystemState(rs.getString("system_key"),
                        DataRequest.SystemState.Progress.fromKey(rs.getString("status")),
                        rs.getInt("attempts"), rs.getString("last_error")))
                .list();
    }

    /**
     * Staff send the request to the system again now: a delivery given up, or waiting for its next
     * attempt or for a callback, goes back to the dispatch at once; its attempts are kept. 404 unless
     * the request went to the system, 409 once the system is done.
     */
    void retryNow(UUID requestId, String systemKey) {
        String status = jdbc.sql("SELECT status FROM request_delivery WHERE request_id = :request AND system_key = :system")
                .param("request", requestId).param("system", systemKey).query(String.class).optional()
                .orElseThrow(() -> Problems.notFound("Request " + requestId + " was not sent to system " + systemKey
                        + "."));
        if ("done".equals(status)) {
            throw Problems.refusal(no.personvern.Refusal.Kind.CONFLICT, "Conflict",
                    "System " + systemKey + " is done with the request.", null);
        }
        jdbc.sql("UPDATE request_delivery SET status = 'pending', next_attempt_at = :now, claimed_until = NULL"
                + " WHERE request_id = :request AND system_key = :system AND status <> 'done'")
                .param("now", time(clock.instant())).param("request", requestId).param("system", systemKey).update();
    }

    /** Runs on a thread of its own ({@link ConnectorDispatch}): a system that does not answer holds up only this. */
    void dispatch() {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("""
                SELECT d.request_id, d.system_key, r.type, r.subject_id, r.message_note FROM request_delivery d
                JOIN data_request r ON r.id = d.request_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= :now
                  AND (d.claimed_until IS NULL OR d.claimed_until < :now)
                ORDER BY d.next_attempt_at LIMIT 20""")
                .param("now", time(now))
                .query((rs, n) -> new Due(rs.getObject("request_id", UUID.class), rs.getString("system_key"),
                        rs.getString("type"), rs.getObject("subject_id", UUID.class),
                        rs.getObject("message_note", UUID.class)))
                .list();
        for (Due delivery : due) {
            UUID requestId = delivery.requestId();
            String system = delivery.systemKey();
            int claimed = jdbc.sql("""
                    UPDATE request_delivery SET claimed_until = :until WHERE request_id = :request AND system_key = :system
                    AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)""")
                    .param("until", time(now.plus(CLAIM))).param("request", requestId).param("system", system)
                    .param("now", time(now)).update();
            if (claimed == 1) {
                deliver(requestId, system, delivery.type(), delivery.subjectId(), delivery.messageNote());
            }
        }
    }

    private void deliver(UUID requestId, String systemKey, String type, UUID subjectId, UUID messageNote) {
        DataSystem.Connector connector = catalog.system(systemKey).map(DataSystem::connector).orElse(null);
        if (connector == null) {
            failed(requestId, systemKey, "the system has no connector any more");
            return;
        }
        String outcome;
        try {
            SubjectView.IdentityView known = vault.identities(subjectId);
            // Art. 28(3)(e): what the system holds for these activities is its customers' to decide on.
            List<String> forCustomers = catalog.activitiesOf(systemKey).stream()
                    .filter(activity -> activity.role() == Role.PROCESSOR).map(Activity::key).toList();
            // Art. 16: for a rectification, the correction the person proposed goes to each system.
            String message = RequestType.RECTIFICATION.key().equals(type) && messageNote != null
                    ? vault.readNote(subjectId, messageNote, "privacy-request").orElse(null) : null;
            Webhook payload = new Webhook(requestId.toString(), type,
                    new Webhook.Identities(known.email(), known.phone(), known.externalIds()), message,
                    forCustomers.isEmpty() ? null : forCustomers);
            byte[] body = payload.body();
            HttpRequest request = HttpRequest.newBuilder(URI.create(connector.url())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", requestId.toString())
                    .header("X-Personvern-Signature", "sha256=" + sign(connector.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && SystemAnswer.of(response.body()).done()) {
                done(requestId, systemKey);
                return;
            }
            if (response.statusCode() == 202) {
                transactions.executeWithoutResult(status -> jdbc.sql("""
                        UPDATE request_delivery SET status = 'waiting', attempts = attempts + 1, claimed_until = NULL,
                               first_sent_at = COALESCE(first_sent_at, :now), last_error = NULL
                        WHERE request_id = :request AND system_key = :system""")
                        .param("now", time(clock.instant())).param("request", requestId).param("system", systemKey)
                        .update());
                return;
            }
            outcome = "HTTP " + response.statusCode();
        } catch (IOException e) {
            outcome = "unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        } catch (RuntimeException e) {
            outcome = "error: " + e.getClass().getSimpleName();
        }
        retryLater(requestId, systemKey, outcome);
    }

    private void retryLater(UUID requestId, String systemKey, String error) {
        transactions.executeWithoutResult(status -> {
            int attempts = jdbc.sql("SELECT attempts FROM request_delivery WHERE request_id = :request AND system_key = :system")
                    .param("request", requestId).param("system", systemKey).query(Integer.class).single() + 1;
            long factor = 1L << Math.min(attempts - 1, 20);
            Duration delay = initialDelay.multipliedBy(factor);
            if (delay.compareTo(maxDelay) > 0) {
                delay = maxDelay;
            }
            Instant now = clock.instant();
            jdbc.sql("""
                    UPDATE request_delivery SET attempts = :attempts, next_attempt_at = :next, claimed_until = NULL,
                           last_error = :error, first_sent_at = COALESCE(first_sent_at, :now)
                    WHERE request_id = :request AND system_key = :system""")
                    .param("attempts", attempts).param("next", time(now.plus(delay))).param("error", error)
                    .param("now", time(now)).param("request", requestId).param("system", systemKey).update();
        });
    }

    private void failed(UUID requestId, String systemKey, String error) {
        jdbc.sql("UPDATE request_delivery SET status = 'failed', last_error = :error WHERE request_id = :request"
                + " AND system_key = :system").param("error", error).param("request", requestId).param("system", systemKey)
                .update();
        String text = "system " + systemKey + ": " + error;
        jdbc.sql("UPDATE data_request SET attention = CASE WHEN attention IS NULL THEN :text"
                + " ELSE SUBSTRING(attention || ' ' || :text FROM 1 FOR 500) END WHERE id = :id")
                .param("text", text.length() > 500 ? text.substring(0, 500) : text).param("id", requestId).update();
    }

    /** The system's callback after a 202: {@code done}, or {@code failed} (which asks the DPO to act). */
    void callback(UUID requestId, String systemKey, String status) {
        if (!"done".equals(status) && !"failed".equals(status)) {
            throw Problems.invalid("status", "status is done or failed");
        }
        int known = jdbc.sql("SELECT COUNT(*) FROM request_delivery WHERE request_id = :request AND system_key = :system")
                .param("request", requestId).param("system", systemKey).query(Integer.class).single();
        if (known == 0) {
            throw Problems.notFound("Request " + requestId
                    + " was not sent to system " + systemKey + ".");
        }
        if (status.equals("done")) {
            done(requestId, systemKey);
        } else {
            transactions.executeWithoutResult(tx -> failed(requestId, systemKey, "the system reported failure"));
        }
    }

    /** Marks a system done; when it was the last, announces that the request can be carried out. */
    private void done(UUID requestId, String systemKey) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("SELECT id FROM data_request WHERE id = :id FOR UPDATE").param("id", requestId).query(UUID.class)
                    .single();
            jdbc.sql("""
                    UPDATE request_delivery SET status = 'done', done_at = :now, claimed_until = NULL, last_error = NULL,
                           attempts = CASE WHEN status = 'pending' THEN attempts + 1 ELSE attempts END
                    WHERE request_id = :request AND system_key = :system AND status <> 'done'""")
                    .param("now", time(clock.instant())).param("request", requestId).param("system", systemKey)
                    .update();
            int open = jdbc.sql("SELECT COUNT(*) FROM request_delivery WHERE request_id = :request AND status <> 'done'")
                    .param("request", requestId).query(Integer.class).single();
            if (open == 0) {
                // Stored with this transaction (event publication registry); handled after the commit.
                events.publishEvent(new AllSystemsDone(requestId));
            }
        });
    }

    /** A system that has not finished within 7 days of the first attempt: the DPO must look. */
    @Scheduled(fixedDelayString = "${personvern.connectors.silence-check:PT1H}")
    void flagSilentSystems() {
        jdbc.sql("""
                UPDATE data_request SET attention = 'a connected system has been silent for 7 days'
                WHERE attention IS NULL AND id IN (SELECT request_id FROM request_delivery
                    WHERE status IN ('pending', 'waiting') AND first_sent_at < :limit)""")
                .param("limit", time(clock.instant().minus(SILENCE))).update();
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
