-- Identities a person was created with, or that a writing system vouched for, are verified; an
-- identity a write merely added to someone found through another identity is not (a product may
-- forward what a stranger typed next to someone else's phone number). Public requests find a
-- person only through a verified e-mail address.
ALTER TABLE subject_identity ADD COLUMN id UUID;
ALTER TABLE subject_identity ADD COLUMN verified BOOLEAN DEFAULT FALSE NOT NULL;
-- Before this, an identity given with the person shares the person's creation time.
UPDATE subject_identity SET verified = TRUE
WHERE created_at <= (SELECT s.created_at FROM subject s WHERE s.id = subject_identity.subject_id);
CREATE UNIQUE INDEX subject_identity_id ON subject_identity (id);

-- The address a request was made with (an identity of the person): codes, receipts and package
-- links go there and nowhere else. A request from an unverified address waits for staff to
-- confirm who the person is (Art. 12(6)).
ALTER TABLE data_request ADD COLUMN requester_identity UUID;
ALTER TABLE data_request ADD COLUMN awaits_identity BOOLEAN DEFAULT FALSE NOT NULL;

-- The address that signed up and confirmed: the newsletter goes to it, not to another address
-- of the person.
ALTER TABLE subscription ADD COLUMN identity_id UUID;
