-- Fan-out of requests to connected systems: one row per request and system, retried with
-- exponential backoff; a claim column lets one instance at a time work on a row.
CREATE TABLE request_delivery (
    request_id      UUID                     NOT NULL,
    system_key      VARCHAR(100)             NOT NULL,
    status          VARCHAR(20)              NOT NULL,
    attempts        INT                      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until   TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500),
    first_sent_at   TIMESTAMP WITH TIME ZONE,
    done_at         TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (request_id, system_key)
);
CREATE INDEX request_delivery_due ON request_delivery (status, next_attempt_at);

ALTER TABLE data_request ADD COLUMN executed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE data_request ADD COLUMN attention VARCHAR(500);
