-- Entities across stories, keyed by canonical name and type, with every surface form seen as an alias.
CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    mention_count INTEGER NOT NULL DEFAULT 0,
    story_count   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX entities_key ON entities (type, name COLLATE NOCASE);

CREATE TABLE entity_aliases (
    alias     TEXT    NOT NULL COLLATE NOCASE,
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    PRIMARY KEY (alias, entity_id)
) WITHOUT ROWID;

-- Every mention with its offsets into the title (field 0) or the text (field 1).
CREATE TABLE mentions (
    story_id  INTEGER NOT NULL REFERENCES stories (id),
    field     INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    text      TEXT    NOT NULL,
    PRIMARY KEY (story_id, field, start)
) WITHOUT ROWID;

-- One row per entity and story: "stories of an entity, newest first" walks (entity_id, story_id) backwards,
-- and story ids follow publication time.
CREATE TABLE story_entities (
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    story_id  INTEGER NOT NULL REFERENCES stories (id),
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (entity_id, story_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_story ON story_entities (story_id, entity_id);
