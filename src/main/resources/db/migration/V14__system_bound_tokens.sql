-- A token bound to a connected system answers its callbacks with requests:callback; before, it
-- needed requests:manage, which also files, completes and rejects any request. Such tokens keep
-- only what a system does.
UPDATE api_token SET scopes = REPLACE(scopes, 'requests:manage', 'requests:callback')
WHERE system_key IS NOT NULL AND revoked_at IS NULL;
