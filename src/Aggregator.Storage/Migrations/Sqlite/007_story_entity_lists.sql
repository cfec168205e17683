-- The stories' ids and entity lists alone, in id order: counting the stories of a time range (the denominator of
-- co-occurrence lift) and reading the entity lists of an entity's stories (co-occurrence counts) walk this narrow
-- index instead of the table, whose rows carry each story's text (a month's count read about 70 MB of it).
CREATE INDEX stories_entity_terms ON stories (id, entity_terms);
