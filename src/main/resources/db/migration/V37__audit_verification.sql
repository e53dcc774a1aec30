-- Each verification of the audit chain, so that the console's dashboard can show the chain's state
-- without re-computing ten million hashes per view: when it was last verified, by whom, and the result.
CREATE TABLE audit_verification (
    id               UUID PRIMARY KEY,
    verified_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    actor            VARCHAR(100)             NOT NULL,
    valid            BOOLEAN                  NOT NULL,
    entries          BIGINT                   NOT NULL,
    first_broken_seq BIGINT
);
CREATE INDEX audit_verification_at ON audit_verification (verified_at);
