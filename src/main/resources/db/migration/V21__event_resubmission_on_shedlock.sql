-- Resubmitting incomplete event publications takes the ShedLock lease 'event-resubmission' on the
-- table of V20 (the database's time, like the retention sweep), in place of its own lease table.
DROP TABLE event_resubmission_lock;
