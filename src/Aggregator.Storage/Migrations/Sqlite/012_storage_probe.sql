-- Readiness writes (and removes) a row here, larger than a page, to find out whether the store can still be written.
CREATE TABLE storage_probe (
    id     INTEGER PRIMARY KEY,
    filler BLOB NOT NULL
);
