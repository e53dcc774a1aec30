-- The disclosure log (S12, S13, Art. 15(1)(c), Art. 19): what was handed to whom, when and why.
-- It holds the person's id, never their data; a sale cannot be recorded (basis is checked).
CREATE TABLE disclosure (
    id             UUID PRIMARY KEY,
    subject_id     UUID                     NOT NULL,
    recipient      VARCHAR(200)             NOT NULL,
    recipient_name VARCHAR(200)             NOT NULL,
    categories     VARCHAR(2000)            NOT NULL,
    basis          VARCHAR(20)              NOT NULL,
    reference      VARCHAR(200)             NOT NULL,
    note           VARCHAR(1000),
    disclosed_by   VARCHAR(200),
    disclosed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT disclosure_basis CHECK (basis IN ('dpa', 'court-order', 'law', 'regulation'))
);
CREATE INDEX disclosure_subject ON disclosure (subject_id, disclosed_at);
