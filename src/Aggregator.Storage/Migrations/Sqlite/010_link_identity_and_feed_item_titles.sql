-- A link identifies a story only when its feed gives that link to one item alone (a podcast's episodes may all link
-- to the show's page, a blog's posts of a day differ only by #fragment): the unique key moves to link_key, left NULL
-- for a link that identifies nothing, and link is the link shown.
ALTER TABLE stories RENAME COLUMN link TO link_key;
ALTER TABLE stories ADD COLUMN link TEXT;
UPDATE stories SET link = link_key;

-- Each feed's own title for a story it carries: the article page decides the story's title, and a feed's listing
-- shows the feed's title, so no feed can retitle another feed's story. NULL: the story's title.
ALTER TABLE story_feeds ADD COLUMN title TEXT;
