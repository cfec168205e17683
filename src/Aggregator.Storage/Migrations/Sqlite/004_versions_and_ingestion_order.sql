-- One row counting every change a reader can see, so a poll that finds it unchanged can answer 304 after one lookup.
CREATE TABLE data_version (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
INSERT INTO data_version (id, version, changed_at) VALUES (1, 1, CAST(unixepoch('subsec') * 1000 AS INTEGER));

CREATE TRIGGER data_version_story_insert AFTER INSERT ON stories BEGIN
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER data_version_story_update AFTER UPDATE ON stories BEGIN
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER data_version_story_feed_insert AFTER INSERT ON story_feeds BEGIN
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER data_version_feed_insert AFTER INSERT ON feeds BEGIN
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
-- Lease bookkeeping is invisible to readers and must not bust their caches.
CREATE TRIGGER data_version_feed_update AFTER UPDATE OF url, name, interval_minutes, enabled, tags, deleted_at,
    last_attempt_at, last_success_at, last_status, last_error, consecutive_failures, not_before, format ON feeds BEGIN
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;

-- Ingestion order, for "what is new since" polling and the per-hour ingestion counts.
CREATE INDEX stories_first_seen ON stories (first_seen, id);
