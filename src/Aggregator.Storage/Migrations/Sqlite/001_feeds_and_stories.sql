-- Feeds with their polling health. Deleting a feed only sets deleted_at: its stories stay linked.
CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY,
    url                  TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    interval_minutes     INTEGER NOT NULL DEFAULT 15,
    enabled              INTEGER NOT NULL DEFAULT 1,
    tags                 TEXT    NOT NULL DEFAULT '[]',
    created_at           INTEGER NOT NULL,
    deleted_at           INTEGER,
    last_attempt_at      INTEGER,
    last_success_at      INTEGER,
    last_status          INTEGER,
    last_error           TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    not_before           INTEGER,
    etag                 TEXT,
    last_modified        TEXT,
    format               TEXT,
    lease_until          INTEGER
);

-- Story ids follow publication time (published ms * 1024 + n), so "newest first" and date ranges are rowid ranges.
-- Times are Unix milliseconds, UTC.
CREATE TABLE stories (
    id             INTEGER PRIMARY KEY,
    title          TEXT    NOT NULL,
    link           TEXT    UNIQUE,
    author         TEXT,
    published      INTEGER NOT NULL,
    first_seen     INTEGER NOT NULL,
    summary        TEXT,
    text           TEXT    NOT NULL,
    extraction     TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL UNIQUE,
    tagger_version TEXT
);

-- Which feeds carry a story, under which GUID: an item seen again in its feed is found here before any fetching.
CREATE TABLE story_feeds (
    feed_id  INTEGER NOT NULL REFERENCES feeds (id),
    guid     TEXT    NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id),
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
CREATE INDEX story_feeds_story ON story_feeds (story_id, feed_id);

CREATE VIRTUAL TABLE stories_fts USING fts5 (
    title, text,
    content = 'stories', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, text ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO stories_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
