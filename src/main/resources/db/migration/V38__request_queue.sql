-- The console's request queue (issue 16). due_by is the deadline that counts now: the Art. 12(3)
-- one, or its extension; the queue is sorted and keyset-paged on (due_by, id). assigned_to and
-- filed_by hold staff ids (never names); an erasure a support agent filed waits in the status
-- awaiting_approval for a DPO (four eyes) before anything acts on it.
ALTER TABLE data_request ADD COLUMN due_by TIMESTAMP WITH TIME ZONE;
ALTER TABLE data_request ADD COLUMN assigned_to UUID;
ALTER TABLE data_request ADD COLUMN filed_by UUID;
UPDATE data_request SET due_by = COALESCE(extended_until, due_at);
CREATE INDEX data_request_queue ON data_request (due_by, id);
CREATE INDEX data_request_queue_status ON data_request (status, due_by, id);
CREATE INDEX data_request_queue_assignee ON data_request (assigned_to, due_by, id);
CREATE INDEX data_request_queue_type ON data_request (type, due_by, id);
