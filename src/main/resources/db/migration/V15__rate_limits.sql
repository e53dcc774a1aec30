-- Rate-limit counters shared by every instance (SPEC 4, several instances): hits per key and fixed
-- window, two windows make a sliding one. The key is stored only as a keyed hash (it may be an
-- e-mail or a client address); a row goes once its window can no longer count (expires_at).
CREATE TABLE rate_limit_counter (
    bucket       VARCHAR(64)              NOT NULL,
    key_hash     CHAR(32)                 NOT NULL,
    window_start BIGINT                   NOT NULL,
    hits         BIGINT                   NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (bucket, key_hash, window_start)
);
CREATE INDEX rate_limit_counter_expiry ON rate_limit_counter (expires_at);
-- Keys near or over their limit, which each instance pulls so it refuses them too.
CREATE INDEX rate_limit_counter_hot ON rate_limit_counter (bucket, window_start, hits);
