-- The console's audit page filters the trail by actor and by action, newest first, a page at a time:
-- each filter has an index ending in the sequence number, so a page is read from the index in order
-- however long the trail grows (the person's filter has audit_entry_subject since V3).
CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
CREATE INDEX audit_entry_action ON audit_entry (action, seq);
