-- Art. 18: a restriction covers the person as a whole, identities included: while set, the person
-- is not found by ordinary look-ups, not among any list's recipients and not written to. The text
-- is the reason (as held_by of the values), e.g. restriction:<request id>.
ALTER TABLE subject ADD COLUMN restricted_by VARCHAR(200);
