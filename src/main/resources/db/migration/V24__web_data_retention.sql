-- Storage limitation for what the website collects (Art. 5(1)(e)): the sweep deletes page views
-- and campaign hits by their activity's period, and anonymous visitors' consent records once their
-- proof period after the choice ended is over; these indexes keep each batch a short range scan.
CREATE INDEX page_hit_age ON page_hit (event, at);
CREATE INDEX consent_record_recorded ON consent_record (recorded_at);
-- Sign-ups never confirmed go after 7 days.
CREATE INDEX subscription_pending ON subscription (status, created_at, id);

-- People with no activity for the configured period and no contract end reported are flagged to
-- the DPO once per period: when each was last flagged (ids only).
CREATE TABLE inactive_flag (
    subject_id UUID                     PRIMARY KEY,
    flagged_at TIMESTAMP WITH TIME ZONE NOT NULL
);
