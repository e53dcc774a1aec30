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
