-- The key store: data keys wrapped (AES-256-GCM) by the master key. It may live in a database
-- of its own (personvern.keystore.url), so that backups of the data never hold the keys.
-- Destroying a row is crypto-shredding: what it encrypted can no longer be read anywhere.
CREATE TABLE data_key (
    id            UUID PRIMARY KEY,
    owner_id      UUID,
    purpose       VARCHAR(20)              NOT NULL,
    label         VARCHAR(200),
    wrapped       BYTEA                    NOT NULL,
    master_key_id VARCHAR(16)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX data_key_owner ON data_key (owner_id);
CREATE INDEX data_key_master ON data_key (master_key_id);
