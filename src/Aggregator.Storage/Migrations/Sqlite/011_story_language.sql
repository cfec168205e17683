-- Each story's language (ISO 639-1; NULL when unknown) and what tagging made of it ("tagged", "skipped: language de").
-- Stories stored before keep NULL in both until `aggregator retag` decides their language.
ALTER TABLE stories ADD COLUMN language TEXT;
ALTER TABLE stories ADD COLUMN tagging TEXT;
-- ?language= walks one language's stories newest first.
CREATE INDEX stories_language ON stories (language, id);
