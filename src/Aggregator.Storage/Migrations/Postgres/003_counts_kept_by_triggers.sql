-- As SQLite's 009: the entity counters and hourly counts follow story_entities. Deferred to commit, so the row locks
-- of popular entities (every story about Kabul adds to the same row) are taken and released inside the commit,
-- never held across round trips to a busy client; rows are counted in the order they were written, which writers
-- keep to one global entity order, so committing writers do not deadlock.
CREATE FUNCTION count_story_entity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE entities SET mention_count = mention_count + NEW.mentions, story_count = story_count + 1 WHERE id = NEW.entity_id;
        INSERT INTO entity_hours (entity_id, hour, mentions, stories) VALUES (NEW.entity_id, NEW.story_id / 3686400000, NEW.mentions, 1)
        ON CONFLICT (entity_id, hour) DO UPDATE SET mentions = entity_hours.mentions + excluded.mentions, stories = entity_hours.stories + 1;
    ELSE
        UPDATE entities SET mention_count = mention_count - OLD.mentions, story_count = story_count - 1 WHERE id = OLD.entity_id;
        UPDATE entity_hours SET mentions = mentions - OLD.mentions, stories = stories - 1
        WHERE entity_id = OLD.entity_id AND hour = OLD.story_id / 3686400000;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER story_entities_counted AFTER INSERT OR DELETE ON story_entities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_story_entity();
