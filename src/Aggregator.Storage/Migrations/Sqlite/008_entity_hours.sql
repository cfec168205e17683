-- Each entity's stories and mentions per hour of publication (hour = story id / 3,686,400,000, the ids of an hour),
-- added to by the writer with the entity counters: an entity's series over a month reads at most 720 of these rows
-- instead of each of its stories (91,000 for the most mentioned entity of a million stories).
CREATE TABLE entity_hours (
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    hour      INTEGER NOT NULL,
    mentions  INTEGER NOT NULL,
    stories   INTEGER NOT NULL,
    PRIMARY KEY (entity_id, hour)
) WITHOUT ROWID;
INSERT INTO entity_hours (entity_id, hour, mentions, stories)
SELECT entity_id, story_id / 3686400000, sum(mentions), count(*) FROM story_entities GROUP BY entity_id, story_id / 3686400000;
