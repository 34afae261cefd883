-- +goose Up
CREATE INDEX accounts_updated ON accounts (updated_at, id);
CREATE INDEX accounts_created ON accounts (created_at, id);
CREATE INDEX contacts_updated ON contacts (updated_at, id);
CREATE INDEX contacts_created ON contacts (created_at, id);

-- +goose Down
DROP INDEX contacts_created;
DROP INDEX contacts_updated;
DROP INDEX accounts_created;
DROP INDEX accounts_updated;
