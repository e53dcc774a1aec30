-- Data-subject requests (GDPR Art. 12, 15–21). The person is a subject id; the verification
-- code is stored only as a salted hash. Times come from the application's clock.
CREATE TABLE data_request (
    id             UUID PRIMARY KEY,
    type           VARCHAR(20)              NOT NULL,
    status         VARCHAR(20)              NOT NULL,
    channel        VARCHAR(50)              NOT NULL,
    subject_id     UUID                     NOT NULL,
    lang           VARCHAR(2)               NOT NULL,
    verified_by    VARCHAR(200),
    code_hash      VARCHAR(64),
    code_salt      VARCHAR(32),
    code_expires   TIMESTAMP WITH TIME ZONE,
    failed_codes   INT                      NOT NULL DEFAULT 0,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    extended_until TIMESTAMP WITH TIME ZONE,
    extension_reason VARCHAR(2000),
    outcome        VARCHAR(2000),
    linked_to      UUID,
    closed_at      TIMESTAMP WITH TIME ZONE,
    -- Access and portability: the encrypted package, and the hash of the mailed download token.
    package_id     UUID,
    package_hash   VARCHAR(64),
    package_expires TIMESTAMP WITH TIME ZONE
);
CREATE INDEX data_request_status_due ON data_request (status, due_at);
CREATE INDEX data_request_subject ON data_request (subject_id, type, status);
