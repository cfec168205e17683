-- A btree entry holds about 2,700 bytes, so a story whose link was longer failed to store on every poll. Link keys
-- are now unique by their SHA-256 (convert_to with a fixed encoding does not change with the session: immutable in fact).
CREATE FUNCTION story_link_key(link text) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT sha256(convert_to(link, 'UTF8')) $$;
ALTER TABLE stories DROP CONSTRAINT stories_link_key;
CREATE UNIQUE INDEX stories_link_key ON stories (story_link_key(link_key));
