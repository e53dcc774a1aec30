-- Retention (Art. 5(1)(e), S15–S17): what starts the clocks, legal holds, and sweep runs.

-- Keyset pages of the sweep: per activity by time, and held values by the end of their hold.
CREATE INDEX subject_value_retention ON subject_value (activity_key, collected_at, id);
CREATE INDEX subject_value_hold_end ON subject_value (held_until, id);
-- The key an erasure destroyed: values still under it (restricted ones, say) are unreadable and go
-- with the purge, without the erasure having to find them (it stays constant-time).
ALTER TABLE subject ADD COLUMN shredded_key_id UUID;
CREATE INDEX subject_document_retention ON subject_document (activity_key, uploaded_at, id);

-- Art. 18: a restricted person's documents are stored, not served.
ALTER TABLE subject_document ADD COLUMN restricted_by VARCHAR(200);
-- A document an erasure kept under a hold (e.g. processed for a customer) goes when the hold ends.
ALTER TABLE subject_document ADD COLUMN held_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX subject_document_hold_end ON subject_document (held_until, id);

-- An event that starts an activity's clock for one person: the end of the service agreement
-- (contract-end, S15) or an unsubscribe or withdrawal (withdrawal, S17).
CREATE TABLE retention_trigger (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL,
    kind         VARCHAR(20)              NOT NULL,
    activity_key VARCHAR(100),
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    swept_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX retention_trigger_due ON retention_trigger (kind, occurred_at, id);
CREATE INDEX retention_trigger_subject ON retention_trigger (subject_id);

-- Legal holds (Art. 17(3)(e)): the person's data survives sweeps and erasure until the hold ends.
-- erase_on_release: the person asked for erasure while held; the first sweep after the end erases.
CREATE TABLE legal_hold (
    id               UUID PRIMARY KEY,
    subject_id       UUID                     NOT NULL,
    reason           VARCHAR(500)             NOT NULL,
    hold_until       TIMESTAMP WITH TIME ZONE,
    placed_by        VARCHAR(200),
    placed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at      TIMESTAMP WITH TIME ZONE,
    erase_on_release BOOLEAN                  DEFAULT FALSE NOT NULL,
    erased_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX legal_hold_subject ON legal_hold (subject_id);

CREATE TABLE retention_run (
    id          UUID PRIMARY KEY,
    status      VARCHAR(20)              NOT NULL,
    dry_run     BOOLEAN                  NOT NULL,
    as_of       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_by  VARCHAR(200),
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    deleted     VARCHAR(4000)            NOT NULL,
    kept        VARCHAR(4000)            NOT NULL,
    error       VARCHAR(500)
);
CREATE INDEX retention_run_started ON retention_run (started_at);

-- One run at a time across every instance: a lease on this one row, renewed after each batch;
-- an instance that dies mid-run lets the lease lapse and the next run takes over.
CREATE TABLE retention_lock (
    id           INT PRIMARY KEY,
    run_id       UUID,
    holder       VARCHAR(200),
    locked_until TIMESTAMP WITH TIME ZONE
);
INSERT INTO retention_lock (id) VALUES (1);
