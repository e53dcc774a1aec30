-- Daily roll-ups of the website's statistics: anonymous counts, no visitor id, no address, no path.
-- A day is rolled up once it has ended (UTC, the day of page_hit.hit_day) by the job
-- pv-stats-rollup; the statistics read a rolled-up day here, a day not rolled up (today) from its
-- running totals below while they cover every hit of the day, and any other day from page_hit.
-- Derived from page_hit only and never kept longer: a day whose hits the retention sweep deletes
-- loses its roll-up in the same transaction.

-- One row per rolled-up day, also when it had no page view (it then marks the day as rolled up).
CREATE TABLE page_view_day (
    hit_day  DATE   PRIMARY KEY,
    views    BIGINT NOT NULL,
    visitors BIGINT NOT NULL
);

-- The hits of each campaign on a rolled-up day (the job replaces a day's rows whole).
CREATE TABLE campaign_hit_day (
    hit_day  DATE         NOT NULL,
    campaign VARCHAR(100),
    hits     BIGINT       NOT NULL
);
CREATE INDEX campaign_hit_day_day ON campaign_hit_day (hit_day);

-- Days whose hits changed since their roll-up (every flush marks the days it wrote, the sweep the
-- days it deleted from, in the same transaction): read from page_hit until the job rolls them up again.
CREATE TABLE page_hit_changed (
    hit_day DATE   PRIMARY KEY,
    changes BIGINT NOT NULL
);

-- Running totals of the days not rolled up (today, and a day with hits flushed since its roll-up),
-- added to by every flush in its own transaction, so that today is read without counting its hits.
-- complete: every hit of the day is counted here. A row is complete only when its first flush found
-- no hit of the day stored before (hits stored before this table, or before the day's roll-up, are
-- not in it), and the retention sweep makes the rows of the days it deletes from incomplete. An
-- incomplete day is read from the hits until the job rolls it up, which deletes its running rows.
CREATE TABLE page_view_running (
    hit_day  DATE    PRIMARY KEY,
    views    BIGINT  NOT NULL,
    visitors BIGINT  NOT NULL,
    complete BOOLEAN NOT NULL
);

-- The campaign hits of those days (a day's flushes are serialised by its row in page_hit_changed).
CREATE TABLE campaign_hit_running (
    hit_day  DATE         NOT NULL,
    campaign VARCHAR(100),
    hits     BIGINT       NOT NULL
);
CREATE INDEX campaign_hit_running_day ON campaign_hit_running (hit_day);

-- The visitors (pseudonyms, as in page_hit.visitor) counted on those days, so that a visitor seen
-- again is not counted twice: personal data like the hits', deleted with the day's running totals
-- when the job rolls the day up, and by the sweep with the hits: never kept longer than the hits.
CREATE TABLE page_visitor_running (
    hit_day DATE        NOT NULL,
    visitor VARCHAR(64) NOT NULL,
    PRIMARY KEY (hit_day, visitor)
);

-- The hits already stored are rolled up by the job's first runs.
INSERT INTO page_hit_changed (hit_day, changes) SELECT hit_day, COUNT(*) FROM page_hit GROUP BY hit_day;
