-- Outgoing mail, written in the transaction of the change that causes it and sent by a worker with
-- retries. The message (recipient, subject, text, headers) is sealed with AES-256-GCM under a key
-- derived from the key store, so neither addresses, codes nor links sit here in plain text, and is
-- deleted once sent or given up. The id is also the message's Message-ID.
CREATE TABLE mail_outbox (
    id              UUID PRIMARY KEY,
    -- The recipient person, when known: their .eml copies go when they are erased.
    subject_id      UUID,
    -- What the mail is about, in ids and keys only (e.g. request:<id>:outcome); told if it is given up.
    reference       VARCHAR(200),
    sealed          BYTEA,
    status          VARCHAR(20)              NOT NULL,
    attempts        INT                      DEFAULT 0 NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until   TIMESTAMP WITH TIME ZONE,
    sent_at         TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(200)
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_subject ON mail_outbox (subject_id);
CREATE INDEX mail_outbox_finished ON mail_outbox (status, created_at);
