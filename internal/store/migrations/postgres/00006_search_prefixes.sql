-- +goose Up
-- SQLite's full-text tables gain prefix indexes in this version; PostgreSQL's GIN index on the tsvector
-- already answers word prefixes (to_tsquery 'word':*), so nothing changes here.
SELECT 1;

-- +goose Down
SELECT 1;
