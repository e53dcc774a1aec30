-- Art. 19: each recipient the person's data was disclosed to is told of a rectification, erasure
-- or restriction: by mail to a processor's contact, or by the DPO (authorities, processors without one).
CREATE TABLE request_recipient_notice (
    request_id     UUID                     NOT NULL,
    recipient      VARCHAR(200)             NOT NULL,
    recipient_name VARCHAR(200)             NOT NULL,
    via            VARCHAR(10)              NOT NULL,
    noticed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (request_id, recipient)
);

-- Art. 28(3)(e): a request that touches data the company processes for customers is routed to
-- them: one row per processor activity, with the systems that hold that data.
CREATE TABLE request_routing (
    request_id   UUID                     NOT NULL,
    activity_key VARCHAR(100)             NOT NULL,
    systems      VARCHAR(1000)            NOT NULL,
    routed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (request_id, activity_key)
);

-- Whether the request itself brought the requester into the vault (an address nobody held): then,
-- if it is never verified, nothing else keeps that address and it is erased with the request.
ALTER TABLE data_request ADD COLUMN created_subject BOOLEAN DEFAULT FALSE NOT NULL;
