-- Who holds a mail's lease (an instance's worker id): the sent mark and the retry bookkeeping are
-- written only by the holder, and the holder renews the lease while it is sending, so another
-- instance never takes a mail that is being sent.
ALTER TABLE mail_outbox ADD COLUMN claimed_by VARCHAR(100);
