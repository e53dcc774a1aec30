-- One retention run at a time across every instance: ShedLock's lock table (its documented shape),
-- in place of retention_lock. A run holds the lock 'retention-sweep' for the lease and extends it
-- after each batch; an instance that dies mid-run lets it lapse and the next run takes over. The
-- lock's times are the database's, so the instances' clocks need not agree.
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL,
    lock_until TIMESTAMP(3) NOT NULL,
    locked_at  TIMESTAMP(3) NOT NULL,
    locked_by  VARCHAR(255) NOT NULL,
    PRIMARY KEY (name)
);
DROP TABLE retention_lock;
