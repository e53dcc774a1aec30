-- Art. 12(5): a public request refused at intake as manifestly excessive (too many from one client)
-- is recorded without looking up the address it names: it belongs to nobody in the vault.
ALTER TABLE data_request ALTER COLUMN subject_id DROP NOT NULL;
