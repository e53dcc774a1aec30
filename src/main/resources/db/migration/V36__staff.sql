-- Staff of the console (/admin): the DPO and support agents. Passwords are stored only as hashes
-- of Spring Security's delegating encoder ({bcrypt}…); an invited member has no password until the
-- single-use invitation link, stored only as its SHA-256 hash, is used before it expires.
CREATE TABLE staff_member (
    id                 UUID PRIMARY KEY,
    username           VARCHAR(100)             NOT NULL,
    display_name       VARCHAR(200)             NOT NULL,
    email              VARCHAR(320),
    role               VARCHAR(16)              NOT NULL,
    password_hash      VARCHAR(200),
    active             BOOLEAN                  NOT NULL,
    failed_sign_ins    INT                      NOT NULL DEFAULT 0,
    locked_until       TIMESTAMP WITH TIME ZONE,
    invite_hash        VARCHAR(64),
    invite_expires_at  TIMESTAMP WITH TIME ZONE,
    invited_by         UUID,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sign_in_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT staff_member_role CHECK (role IN ('dpo', 'agent'))
);
CREATE UNIQUE INDEX staff_member_username ON staff_member (username);
CREATE INDEX staff_member_invite ON staff_member (invite_hash);

-- Staff sessions, shared by every instance and kept over a restart (Spring Session's JDBC store).
-- The browser's cookie carries the session id with a keyed signature, so a copy of these rows alone
-- does not let anyone take over a session.
CREATE TABLE spring_session (
    primary_id            CHAR(36)     NOT NULL,
    session_id            CHAR(36)     NOT NULL,
    creation_time         BIGINT       NOT NULL,
    last_access_time      BIGINT       NOT NULL,
    max_inactive_interval INT          NOT NULL,
    expiry_time           BIGINT       NOT NULL,
    principal_name        VARCHAR(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id CHAR(36)     NOT NULL,
    attribute_name     VARCHAR(200) NOT NULL,
    attribute_bytes    BYTEA        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
