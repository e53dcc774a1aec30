-- The data category each document is stored under, resolved from the catalog at upload (SPEC
-- section 3: the activity's documents map, else its single user.content category), so that erasure
-- holds, retention exceptions and sweeps see it. Rows from before are resolved once from the
-- catalog at start-up (subjects.internal.DocumentCategories).
ALTER TABLE subject_document ADD COLUMN category VARCHAR(200);
