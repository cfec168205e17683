-- The entity counters and hourly counts follow story_entities, kept by the database as rows come and go rather than
-- by each writer: one rule for storing and re-tagging, and (on PostgreSQL, where these run at commit) no row locks
-- on popular entities held across round trips to a busy client.
CREATE TRIGGER story_entities_counted AFTER INSERT ON story_entities BEGIN
    UPDATE entities SET mention_count = mention_count + new.mentions, story_count = story_count + 1 WHERE id = new.entity_id;
    INSERT INTO entity_hours (entity_id, hour, mentions, stories) VALUES (new.entity_id, new.story_id / 3686400000, new.mentions, 1)
    ON CONFLICT (entity_id, hour) DO UPDATE SET mentions = mentions + excluded.mentions, stories = stories + 1;
END;
CREATE TRIGGER story_entities_uncounted AFTER DELETE ON story_entities BEGIN
    UPDATE entities SET mention_count = mention_count - old.mentions, story_count = story_count - 1 WHERE id = old.entity_id;
    UPDATE entity_hours SET mentions = mentions - old.mentions, stories = stories - 1
    WHERE entity_id = old.entity_id AND hour = old.story_id / 3686400000;
END;
