-- A breach counts the people known only by an address too (Art. 33(3)(a), 34): each e-mail or phone
-- identity records the system and activity that brought it in (metadata only, the identity stays
-- encrypted). Identities stored before this have none and are not attributed to a system.
ALTER TABLE subject_identity ADD COLUMN source_system VARCHAR(100);
ALTER TABLE subject_identity ADD COLUMN source_activity VARCHAR(100);
CREATE INDEX subject_identity_breach ON subject_identity (kind, source_system, created_at, source_activity, subject_id);
