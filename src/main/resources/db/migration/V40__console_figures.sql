-- The console's dashboard and disclosure pages (issue 16).
-- Consent rates per week: a range of recorded_at that the index answers alone (purpose, granted).
CREATE INDEX consent_record_rates ON consent_record (recorded_at, purpose, granted);
-- The disclosure log newest first, keyset-paged.
CREATE INDEX disclosure_recent ON disclosure (disclosed_at, id);
-- Disclosures refused (S12, S13): when, by whom, to which catalog recipient (null: any other), the
-- basis asked for, and why as fixed keys. Nothing typed is kept: it could name a person.
CREATE TABLE disclosure_refusal (
    id         UUID PRIMARY KEY,
    refused_at TIMESTAMP WITH TIME ZONE NOT NULL,
    refused_by VARCHAR(200)             NOT NULL,
    recipient  VARCHAR(200),
    basis      VARCHAR(20),
    reasons    VARCHAR(500)             NOT NULL
);
CREATE INDEX disclosure_refusal_recent ON disclosure_refusal (refused_at, id);
