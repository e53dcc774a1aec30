-- Newsletter and course-invitation subscriptions (S9, S17): pending until confirmed by mail
-- (double opt-in), then confirmed until unsubscribed. Tokens are stored only as hashes.
CREATE TABLE subscription (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL,
    list_key     VARCHAR(100)             NOT NULL,
    status       VARCHAR(20)              NOT NULL,
    confirm_hash VARCHAR(64),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    confirmed_at TIMESTAMP WITH TIME ZONE,
    ended_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX subscription_list ON subscription (list_key, status, id);
CREATE INDEX subscription_subject ON subscription (subject_id);
CREATE UNIQUE INDEX subscription_confirm ON subscription (confirm_hash);

-- The key that makes unsubscribe links unforgeable, made on first start.
CREATE TABLE consent_secret (
    id     INT PRIMARY KEY,
    secret VARCHAR(64) NOT NULL
);
