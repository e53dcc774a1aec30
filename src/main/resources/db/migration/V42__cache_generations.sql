-- Caches of tokens and data keys, kept in step on every instance (issue 17). A change that must
-- reach every instance within the caches' bound bumps its generation in its own transaction, and
-- each instance reads the generations several times a second: a token revoked (security), a
-- person's data key destroyed by an erasure (subjects).
CREATE TABLE api_token_generation (
    id          INT    PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL
);
INSERT INTO api_token_generation (id, generation) VALUES (1, 0);

CREATE TABLE data_key_shredding (
    id          INT    PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL
);
INSERT INTO data_key_shredding (id, generation) VALUES (1, 0);
