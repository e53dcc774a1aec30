-- Free text a person wrote (the message of a data-subject request), kept in the vault like any
-- value: sealed under the person's data key, bound to its row, under a catalog activity and
-- category; unreadable once the person is erased. Many per person (one per request).
CREATE TABLE subject_note (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    category     VARCHAR(200)             NOT NULL,
    system_key   VARCHAR(100)             NOT NULL,
    activity_key VARCHAR(100)             NOT NULL,
    collected_at TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id       UUID                     NOT NULL,
    ciphertext   BYTEA                    NOT NULL
);
CREATE INDEX subject_note_subject ON subject_note (subject_id);

-- The request's message: a handle to the vault's note, never the text.
ALTER TABLE data_request ADD COLUMN message_note UUID;
-- The DPO's reminders (Art. 12(3)): 7 days before the deadline, and once it has passed; each once.
ALTER TABLE data_request ADD COLUMN reminded_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE data_request ADD COLUMN overdue_mailed_at TIMESTAMP WITH TIME ZONE;

-- Art. 21(1): the DPO's decision on an objection, per activity based on legitimate interests or
-- a public task: upheld (the activity stops for the person) or rejected with the compelling grounds.
CREATE TABLE request_objection_decision (
    request_id   UUID                     NOT NULL,
    activity_key VARCHAR(100)             NOT NULL,
    decision     VARCHAR(10)              NOT NULL,
    reasons      VARCHAR(2000)            NOT NULL,
    decided_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (request_id, activity_key)
);
