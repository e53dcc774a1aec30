-- A consent is given to an activity's purpose: the newsletter and the course invitations are two
-- consents even where they share a purpose (SPEC, Consent and subscriptions). Records made before
-- this column are filled in at start-up where the catalog tells the activity (the record's source
-- names a subscription list, or one activity alone bases the purpose on consent); a record whose
-- activity cannot be told stays NULL and counts for every activity of its purpose, as it did when
-- it was made. The hash of such a record predates the column and does not cover it.
ALTER TABLE consent_record ADD COLUMN activity VARCHAR(100);
