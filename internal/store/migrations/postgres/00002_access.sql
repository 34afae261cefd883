-- +goose Up
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMPTZ;

ALTER TABLE accounts ADD COLUMN internal_notes TEXT; -- confidential: the owner, their managers and admins

-- who may see what beyond ownership: per record type, how far a team sees its members' records
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT
);

-- an explicit grant of one record to one user or one team
CREATE TABLE shares (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     TEXT NOT NULL, -- account, contact
    entity_id  BIGINT NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    team_id    BIGINT REFERENCES teams (id),
    level      TEXT NOT NULL, -- read, edit
    created_at TIMESTAMPTZ NOT NULL,
    created_by BIGINT,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX shares_record_user ON shares (entity, entity_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX shares_record_team ON shares (entity, entity_id, team_id) WHERE team_id IS NOT NULL;
CREATE INDEX shares_user ON shares (user_id, entity);
CREATE INDEX shares_team ON shares (team_id, entity);

CREATE TABLE sessions (
    token   TEXT PRIMARY KEY,
    data    BYTEA NOT NULL,
    expiry  TIMESTAMPTZ NOT NULL,
    user_id BIGINT
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL, -- read, write
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   BIGINT,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- one-time links: set up the first administrator, set or reset a password
CREATE TABLE one_time_links (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose    TEXT NOT NULL, -- setup, password
    user_id    BIGINT REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

-- failed sign-ins of the last hour, per account (e-mail as typed, folded) and per client address
CREATE TABLE auth_failures (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL, -- account, ip
    key  TEXT NOT NULL,
    at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures (kind, key, at);

-- browsers that signed in to an account before: exempt from the per-account throttle
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    last_used  TIMESTAMPTZ NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);

-- security events, apart from the field history of business records
CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    event     TEXT NOT NULL,
    actor_id  BIGINT,
    source    TEXT NOT NULL,
    entity    TEXT,
    entity_id BIGINT,
    ip        TEXT,
    detail    TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE known_devices;
DROP TABLE auth_failures;
DROP TABLE one_time_links;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE shares;
DROP TABLE settings;
ALTER TABLE accounts DROP COLUMN internal_notes;
ALTER TABLE users DROP COLUMN password_changed_at;
ALTER TABLE users DROP COLUMN password_hash;
