-- The vault. Personal data is stored only encrypted (AES-256-GCM) under a data key of its own
-- person (or, after erasure, of a hold); identities are found through keyed HMAC blind indexes.
CREATE TABLE subject (
    id          UUID PRIMARY KEY,
    -- The person's data key in the key store; null once erased (crypto-shredded).
    key_id      UUID,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    erased_at   TIMESTAMP WITH TIME ZONE
);

CREATE TABLE subject_identity (
    blind_index VARCHAR(64)              PRIMARY KEY,
    subject_id  UUID                     NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    kind        VARCHAR(10)              NOT NULL,
    system_key  VARCHAR(100),
    key_id      UUID                     NOT NULL,
    ciphertext  BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX subject_identity_subject ON subject_identity (subject_id);

CREATE TABLE subject_value (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    category     VARCHAR(200)             NOT NULL,
    system_key   VARCHAR(100)             NOT NULL,
    activity_key VARCHAR(100)             NOT NULL,
    purposes     VARCHAR(1000)            NOT NULL,
    collected_at TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id       UUID                     NOT NULL,
    ciphertext   BYTEA                    NOT NULL,
    -- Set when erasure kept the value under a retention exception or legal hold: stored only.
    held_by      VARCHAR(200),
    held_until   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT subject_value_source UNIQUE (subject_id, category, system_key, activity_key)
);

CREATE TABLE subject_document (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    kind         VARCHAR(20)              NOT NULL,
    system_key   VARCHAR(100)             NOT NULL,
    activity_key VARCHAR(100)             NOT NULL,
    content_type VARCHAR(200)             NOT NULL,
    size_bytes   BIGINT                   NOT NULL,
    key_id       UUID                     NOT NULL,
    uploaded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX subject_document_subject ON subject_document (subject_id);
CREATE INDEX subject_document_expiry ON subject_document (expires_at);
