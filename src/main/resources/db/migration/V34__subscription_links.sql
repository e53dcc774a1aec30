-- Private links to the privacy centre's subscription page, mailed to an address on request: one
-- row per person the address belongs to. The token is stored only as its SHA-256 hash, and the
-- link stops working at expires_at.
CREATE TABLE subscription_link (
    id          UUID PRIMARY KEY,
    token_hash  VARCHAR(64)              NOT NULL,
    subject_id  UUID                     NOT NULL,
    identity_id UUID,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX subscription_link_token ON subscription_link (token_hash);
CREATE INDEX subscription_link_subject ON subscription_link (subject_id);
CREATE INDEX subscription_link_expiry ON subscription_link (expires_at);
