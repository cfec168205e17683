-- Counting the stories of a time range (the denominator of co-occurrence lift) walks this index of ids alone: the
-- table's own b-tree holds each story's text, so the same count over a month read about 70 MB.
CREATE INDEX stories_id ON stories (id);
