-- As SQLite's 007 and 008. Each entity's stories and mentions per hour of publication (hour = story id /
-- 3,686,400,000, the ids of an hour), added to by the writer with the entity counters: a month's series reads at most
-- 720 rows instead of each of the entity's stories.
CREATE TABLE entity_hours (
    entity_id bigint NOT NULL REFERENCES entities (id),
    hour      bigint NOT NULL,
    mentions  bigint NOT NULL,
    stories   bigint NOT NULL,
    PRIMARY KEY (entity_id, hour)
);
INSERT INTO entity_hours (entity_id, hour, mentions, stories)
SELECT entity_id, story_id / 3686400000, sum(mentions), count(*) FROM story_entities GROUP BY entity_id, story_id / 3686400000;

-- Story ids with their entity lists: co-occurrence counts read an entity's stories' lists, and lift counts the
-- stories of a range, from this narrow index instead of the table, whose rows carry each story's text.
CREATE INDEX stories_entity_terms ON stories (id) INCLUDE (entity_terms);
