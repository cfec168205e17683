-- As SQLite's 010. A link identifies a story only when its feed gives that link to one item alone: the unique key
-- moves to link_key (NULL for a link that identifies nothing), and link is the link shown.
ALTER TABLE stories RENAME COLUMN link TO link_key;
ALTER TABLE stories ADD COLUMN link text;
UPDATE stories SET link = link_key;

-- Each feed's own title for a story it carries; NULL: the story's title.
ALTER TABLE story_feeds ADD COLUMN title text;
