-- Durable events: Spring Modulith's event publication registry (the v2 schema of
-- spring-modulith-events-jdbc 2.0). Every event that a listener reacts to after the commit is
-- written here in the publishing transaction, one row per listener, and marked completed when the
-- listener has run; what a crash or a failure leaves incomplete is resubmitted. Events carry ids
-- and keys only, never personal data (the table lies outside the vault and outlives an erasure).
CREATE TABLE event_publication (
    id                     UUID                     NOT NULL PRIMARY KEY,
    listener_id            VARCHAR(512)             NOT NULL,
    event_type             VARCHAR(512)             NOT NULL,
    serialized_event       VARCHAR(10000)           NOT NULL,
    publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date        TIMESTAMP WITH TIME ZONE,
    status                 VARCHAR(20),
    completion_attempts    INT,
    last_resubmission_date TIMESTAMP WITH TIME ZONE
);
CREATE INDEX event_publication_by_listener ON event_publication (listener_id, completion_date);
CREATE INDEX event_publication_by_status ON event_publication (status, publication_date);
CREATE INDEX event_publication_by_completion_date ON event_publication (completion_date);

-- One resubmission pass at a time across every instance: a lease on this one row.
CREATE TABLE event_resubmission_lock (
    id           INT PRIMARY KEY,
    holder       VARCHAR(200),
    locked_until TIMESTAMP WITH TIME ZONE
);
INSERT INTO event_resubmission_lock (id) VALUES (1);
