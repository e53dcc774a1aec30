-- The console's retention page (issue 16): who ended a legal hold and why, and the holds in force
-- listed by keyset (placed_at, id) without reading the ended ones.
ALTER TABLE legal_hold ADD COLUMN released_by VARCHAR(200);
ALTER TABLE legal_hold ADD COLUMN release_reason VARCHAR(500);
CREATE INDEX legal_hold_in_force ON legal_hold (released_at, placed_at, id);
