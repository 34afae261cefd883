-- +goose Up
ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'system'; -- light, dark, system

-- the visiting address's city, folded: what the city filter compares
ALTER TABLE accounts ADD COLUMN city_norm TEXT;
-- filled in by the store right after this migration (folding is done in Go: store.backfillCityNorm)
CREATE INDEX accounts_city ON accounts (city_norm, name_norm);
CREATE INDEX accounts_stage ON accounts (stage, name_norm);

-- a user's saved filters of a list page ("views")
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    page       TEXT NOT NULL, -- companies, people
    name       TEXT NOT NULL,
    query      TEXT NOT NULL, -- the list's query string
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX saved_views_name ON saved_views (user_id, page, name);

-- +goose Down
DROP TABLE saved_views;
DROP INDEX accounts_stage;
DROP INDEX accounts_city;
ALTER TABLE accounts DROP COLUMN city_norm;
ALTER TABLE users DROP COLUMN theme;
