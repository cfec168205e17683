-- The number of stories, kept by the writer: counting a million rows for every stats or lift answer costs tens of ms.
ALTER TABLE data_version ADD COLUMN story_count INTEGER NOT NULL DEFAULT 0;
UPDATE data_version SET story_count = (SELECT count(*) FROM stories);
DROP TRIGGER data_version_story_insert;
CREATE TRIGGER data_version_story_insert AFTER INSERT ON stories BEGIN
    UPDATE data_version SET version = version + 1, story_count = story_count + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER data_version_story_delete AFTER DELETE ON stories BEGIN
    UPDATE data_version SET version = version + 1, story_count = story_count - 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
