-- Readiness writes (and removes) a row here to find out whether the store can still be written.
CREATE TABLE storage_probe (
    id     bigint PRIMARY KEY,
    filler bytea  NOT NULL
);
