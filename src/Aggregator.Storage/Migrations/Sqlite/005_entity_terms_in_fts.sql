-- Each story's entity ids as words ("e12 e345") in its full-text row: entity filters, alone, combined (AND/OR) or with
-- text, become one FTS match walked newest first, instead of joins that grow with the popularity of an entity.
ALTER TABLE stories ADD COLUMN entity_terms TEXT NOT NULL DEFAULT '';
UPDATE stories SET entity_terms = coalesce((SELECT group_concat('e' || entity_id, ' ') FROM story_entities WHERE story_id = stories.id), '');

DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_update;
DROP TABLE stories_fts;
CREATE VIRTUAL TABLE stories_fts USING fts5 (
    title, text, entity_terms,
    content = 'stories', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO stories_fts (stories_fts) VALUES ('rebuild');
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, title, text, entity_terms) VALUES (new.id, new.title, new.text, new.entity_terms);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text, entity_terms) VALUES ('delete', old.id, old.title, old.text, old.entity_terms);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, text, entity_terms ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text, entity_terms) VALUES ('delete', old.id, old.title, old.text, old.entity_terms);
    INSERT INTO stories_fts (rowid, title, text, entity_terms) VALUES (new.id, new.title, new.text, new.entity_terms);
END;
