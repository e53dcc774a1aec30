-- Art. 18(3): a restriction is lifted only after the person was told. The lift waits here from the
-- DPO's decision until the mail telling the person has been handed to the mail server.
CREATE TABLE restriction_lift (
    id           UUID PRIMARY KEY,
    subject_id   UUID                     NOT NULL,
    reason       VARCHAR(2000)            NOT NULL,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lifted_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX restriction_lift_subject ON restriction_lift (subject_id);

-- Art. 15(4), personopplysningsloven § 16: an access package that holds a disclosure to an
-- authority or free text others wrote about the person waits for the DPO's review. Ids, category
-- keys and the DPO's reasons only; the package itself is built when released.
CREATE TABLE request_package_review (
    request_id  UUID PRIMARY KEY,
    state       VARCHAR(20)              NOT NULL,
    reasons     VARCHAR(2000)            NOT NULL,
    held_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at TIMESTAMP WITH TIME ZONE,
    release_reason VARCHAR(2000),
    withheld    VARCHAR(8000)
);
