-- The audit trail: append-only, hash-chained. No entry holds personal data: the subject is
-- named by a keyed pseudonym (subject_ref), so the trail outlives erasure.
CREATE TABLE audit_entry (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200)             NOT NULL,
    action      VARCHAR(100)             NOT NULL,
    subject_ref VARCHAR(64),
    details     VARCHAR(4000)            NOT NULL,
    prev_hash   VARCHAR(64)              NOT NULL,
    hash        VARCHAR(64)              NOT NULL
);
CREATE INDEX audit_entry_subject ON audit_entry (subject_ref, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);

-- One row: the head of the chain. Writers lock it (SELECT … FOR UPDATE), so entries are strictly
-- ordered even with several instances; it also holds the key of the subject pseudonyms.
CREATE TABLE audit_head (
    id       INT PRIMARY KEY,
    seq      BIGINT      NOT NULL,
    hash     VARCHAR(64) NOT NULL,
    ref_key  VARCHAR(64)
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
