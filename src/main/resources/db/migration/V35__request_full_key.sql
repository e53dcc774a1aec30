-- Two keys for a public request: the status key the browser gets after the code shows only where the
-- request stands; the full key, mailed in the receipt, also opens our answer and the package. Only a
-- salted hash of each is kept. Both stop working when the person is erased (keys_revoked), or 30 days
-- after the request is closed or its package expires.
ALTER TABLE data_request ADD COLUMN full_key_hash VARCHAR(64);
ALTER TABLE data_request ADD COLUMN full_key_salt VARCHAR(32);
ALTER TABLE data_request ADD COLUMN keys_revoked BOOLEAN DEFAULT FALSE NOT NULL;
