-- API tokens: only a SHA-256 hash of each token is kept. "lookup" is the first 16 hex
-- characters of that hash, to find the row; the full hash is then compared in constant time.
CREATE TABLE api_token (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200)             NOT NULL,
    lookup      VARCHAR(16)              NOT NULL,
    token_hash  VARCHAR(64)              NOT NULL,
    scopes      VARCHAR(1000)            NOT NULL,
    system_key  VARCHAR(100),
    bootstrap   BOOLEAN                  NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX api_token_lookup ON api_token (lookup);
