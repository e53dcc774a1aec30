-- Art. 18: people restricted before V28 have restricted_by NULL; their values or documents held
-- under restriction:<request id> say which request restricted them.
UPDATE subject SET restricted_by = COALESCE(
        (SELECT MIN(v.held_by) FROM subject_value v WHERE v.subject_id = subject.id AND v.held_by LIKE 'restriction:%'),
        (SELECT MIN(d.restricted_by) FROM subject_document d WHERE d.subject_id = subject.id
             AND d.restricted_by LIKE 'restriction:%'))
WHERE restricted_by IS NULL AND erased_at IS NULL
  AND (EXISTS (SELECT 1 FROM subject_value v WHERE v.subject_id = subject.id AND v.held_by LIKE 'restriction:%')
       OR EXISTS (SELECT 1 FROM subject_document d WHERE d.subject_id = subject.id
                      AND d.restricted_by LIKE 'restriction:%'));

-- Art. 18(3): one pending lift per person (pending_subject is the subject while the lift waits for
-- the mail, NULL once lifted: unique, and NULLs do not collide), and the restriction it lifts.
ALTER TABLE restriction_lift ADD COLUMN pending_subject UUID;
ALTER TABLE restriction_lift ADD COLUMN restriction VARCHAR(200);
UPDATE restriction_lift SET pending_subject = subject_id
WHERE lifted_at IS NULL AND NOT EXISTS (SELECT 1 FROM restriction_lift o WHERE o.subject_id = restriction_lift.subject_id
    AND o.lifted_at IS NULL AND (o.requested_at > restriction_lift.requested_at
        OR (o.requested_at = restriction_lift.requested_at AND o.id > restriction_lift.id)));
UPDATE restriction_lift SET restriction = (SELECT s.restricted_by FROM subject s WHERE s.id = restriction_lift.subject_id)
WHERE lifted_at IS NULL;
CREATE UNIQUE INDEX restriction_lift_pending ON restriction_lift (pending_subject);

-- Long review texts: many withheld items or authority disclosures do not overflow.
ALTER TABLE request_package_review ALTER COLUMN withheld SET DATA TYPE VARCHAR(1000000);
ALTER TABLE request_package_review ALTER COLUMN reasons SET DATA TYPE VARCHAR(1000000);
