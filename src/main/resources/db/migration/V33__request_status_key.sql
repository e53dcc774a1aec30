-- The private link a person follows a public request by: only a salted hash of its random key is
-- stored. The code of an unverified request may be mailed again a few times (counted).
ALTER TABLE data_request ADD COLUMN status_key_hash VARCHAR(64);
ALTER TABLE data_request ADD COLUMN status_key_salt VARCHAR(32);
ALTER TABLE data_request ADD COLUMN code_resends INT DEFAULT 0 NOT NULL;
