-- One entity per real person, place and organisation, which analysts can correct.
--
-- key: the name folded as EntityKey.Of folds it (case, diacritics, dots, hyphens, a leading "the"), computed by the
-- application on both providers alike and filled in for existing rows by the migrator right after this script (rows
-- whose keys collide are merged then). Live entities are unique by (type, key); a merged entity keeps its row, so that
-- its id answers for the entity it was merged into (merged_into, always a live entity).
ALTER TABLE entities ADD COLUMN key TEXT;
ALTER TABLE entities ADD COLUMN merged_into INTEGER REFERENCES entities (id);
-- Not an entity, an analyst said: out of lists, trends and co-occurrences; its mentions stay, hidden.
ALTER TABLE entities ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;
-- Named, typed or split off by an analyst: resolution never takes its exact name for a short form of another entity.
ALTER TABLE entities ADD COLUMN curated INTEGER NOT NULL DEFAULT 0;
-- The newest story mentioning it (short forms resolve among entities seen recently).
ALTER TABLE entities ADD COLUMN last_story_id INTEGER NOT NULL DEFAULT 0;
UPDATE entities SET last_story_id = coalesce((SELECT max(story_id) FROM story_entities WHERE entity_id = entities.id), 0);
DROP INDEX entities_key;
CREATE UNIQUE INDEX entities_key ON entities (type, key) WHERE merged_into IS NULL;
CREATE INDEX entities_merged_key ON entities (type, key) WHERE merged_into IS NOT NULL;
CREATE INDEX entities_merged_into ON entities (merged_into) WHERE merged_into IS NOT NULL;

ALTER TABLE entity_aliases ADD COLUMN key TEXT;
CREATE INDEX entity_aliases_by_key ON entity_aliases (key, entity_id);
CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);

-- Every edit with what undoing it needs (payload, JSON). other_id: the target of a merge, the entity a split made.
CREATE TABLE entity_edits (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    other_id  INTEGER REFERENCES entities (id),
    summary   TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    undone_at INTEGER,
    undone_by TEXT
);
CREATE INDEX entity_edits_entity ON entity_edits (entity_id, id);
CREATE INDEX entity_edits_other ON entity_edits (other_id, id) WHERE other_id IS NOT NULL;
-- Counts edits and undos: a writer compares it with what its process saw, inside each transaction, to know whether what
-- it remembers of entities may be out of date.
CREATE TABLE entity_edit_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO entity_edit_version (id, version) VALUES (1, 0);
CREATE TRIGGER entity_edit_recorded AFTER INSERT ON entity_edits BEGIN
    UPDATE entity_edit_version SET version = version + 1;
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER entity_edit_undone AFTER UPDATE OF undone_at ON entity_edits BEGIN
    UPDATE entity_edit_version SET version = version + 1;
    UPDATE data_version SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;

-- Mentions stay with the entity they were resolved to when stored; story_entities (and so the counters) count them
-- under the live entity that one is or was merged into. Edits move a story's mentions between entities by updating
-- its rows' counts, which the counters follow too. No row is added for a merged entity (a writer that has not seen
-- the merge yet fails and tries again).
DROP TRIGGER story_entities_counted;
CREATE TRIGGER story_entities_of_merged BEFORE INSERT ON story_entities
WHEN (SELECT merged_into FROM entities WHERE id = new.entity_id) IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'entity merged: story_entities row refused');
END;
CREATE TRIGGER story_entities_counted AFTER INSERT ON story_entities BEGIN
    UPDATE entities SET mention_count = mention_count + new.mentions, story_count = story_count + 1,
        last_story_id = max(last_story_id, new.story_id) WHERE id = new.entity_id;
    INSERT INTO entity_hours (entity_id, hour, mentions, stories) VALUES (new.entity_id, new.story_id / 3686400000, new.mentions, 1)
    ON CONFLICT (entity_id, hour) DO UPDATE SET mentions = mentions + excluded.mentions, stories = stories + 1;
END;
CREATE TRIGGER story_entities_recounted AFTER UPDATE OF mentions ON story_entities BEGIN
    UPDATE entities SET mention_count = mention_count + new.mentions - old.mentions WHERE id = new.entity_id;
    UPDATE entity_hours SET mentions = mentions + new.mentions - old.mentions
    WHERE entity_id = new.entity_id AND hour = new.story_id / 3686400000;
END;
