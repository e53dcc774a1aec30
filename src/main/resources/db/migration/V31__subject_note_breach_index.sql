-- A breach counts the people whose request messages it reaches (by category, system, activity and
-- time) from metadata alone, as it does values and documents: an index that answers the count
-- without visiting the rows that hold the ciphertext. The sweep of expired messages (by activity
-- and time) uses it too.
CREATE INDEX subject_note_breach ON subject_note (category, system_key, collected_at, activity_key, subject_id);
