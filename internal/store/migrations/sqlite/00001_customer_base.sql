-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE, -- lower case
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    language      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    manager_id    BIGINT REFERENCES users (id),
    disabled_at   TIMESTAMP,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by    BIGINT,
    updated_by    BIGINT
);
CREATE INDEX users_manager ON users (manager_id);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_norm  TEXT NOT NULL UNIQUE,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by BIGINT,
    updated_by BIGINT
);

CREATE TABLE team_members (
    team_id  BIGINT NOT NULL REFERENCES teams (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    position INTEGER NOT NULL, -- the user's first team is the team their new records get
    PRIMARY KEY (user_id, team_id)
);
CREATE INDEX team_members_team ON team_members (team_id);

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    name_norm         TEXT NOT NULL, -- crm.Fold(name): what search and sorting compare
    name_key          TEXT NOT NULL, -- crm.NameKey(name): what duplicate detection compares
    business_id       TEXT,
    vat_id            TEXT,
    stage             TEXT NOT NULL,
    tier              TEXT,
    segment           TEXT,
    industry_code     TEXT,
    industry          TEXT,
    employees         BIGINT,
    revenue_band      TEXT,
    website           TEXT,
    web_domain        TEXT, -- crm.WebsiteDomain(website): what duplicate detection compares
    visit_street      TEXT, visit_postal_code TEXT, visit_city TEXT, visit_country TEXT,
    post_street       TEXT, post_postal_code TEXT, post_city TEXT, post_country TEXT,
    bill_street       TEXT, bill_postal_code TEXT, bill_city TEXT, bill_country TEXT,
    einvoice_address  TEXT,
    einvoice_operator TEXT,
    parent_id         BIGINT REFERENCES accounts (id),
    owner_id          BIGINT REFERENCES users (id),
    team_id           BIGINT REFERENCES teams (id),
    description       TEXT,
    search_text       TEXT NOT NULL, -- crm words of name, ids, e-mails, phones: what the full-text index holds
    deleted_at        TIMESTAMP,
    deleted_by        BIGINT,
    merged_into       BIGINT REFERENCES accounts (id),
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    created_by        BIGINT,
    updated_by        BIGINT
);
CREATE INDEX accounts_name_norm ON accounts (name_norm, id);
CREATE INDEX accounts_name_key ON accounts (name_key);
CREATE INDEX accounts_web_domain ON accounts (web_domain);
CREATE UNIQUE INDEX accounts_business_id ON accounts (business_id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_parent ON accounts (parent_id);
CREATE INDEX accounts_owner ON accounts (owner_id, name_norm);
CREATE INDEX accounts_team ON accounts (team_id, name_norm);
CREATE INDEX accounts_merged_into ON accounts (merged_into);
CREATE VIRTUAL TABLE accounts_fts USING fts5(search_text, content='accounts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
-- +goose StatementBegin
CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO accounts_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_fts_update AFTER UPDATE OF search_text ON accounts BEGIN
    INSERT INTO accounts_fts(accounts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO accounts_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO accounts_fts(accounts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    name_norm     TEXT NOT NULL, -- crm.Fold(first last)
    sort_norm     TEXT NOT NULL, -- crm.Fold(last first)
    title         TEXT,
    department    TEXT,
    account_id    BIGINT REFERENCES accounts (id),
    role          TEXT,
    influence     TEXT,
    attitude      TEXT,
    language      TEXT,
    channel       TEXT,
    kind          TEXT NOT NULL,
    consent_email TEXT NOT NULL,
    consent_phone TEXT NOT NULL,
    consent_post  TEXT NOT NULL,
    consent_sms   TEXT NOT NULL,
    owner_id      BIGINT REFERENCES users (id),
    team_id       BIGINT REFERENCES teams (id),
    description   TEXT,
    search_text   TEXT NOT NULL,
    deleted_at    TIMESTAMP,
    deleted_by    BIGINT,
    merged_into   BIGINT REFERENCES contacts (id),
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by    BIGINT,
    updated_by    BIGINT
);
CREATE INDEX contacts_name_norm ON contacts (name_norm, id);
CREATE INDEX contacts_sort_norm ON contacts (sort_norm, id);
CREATE INDEX contacts_account ON contacts (account_id, sort_norm);
CREATE INDEX contacts_owner ON contacts (owner_id, sort_norm);
CREATE INDEX contacts_team ON contacts (team_id, sort_norm);
CREATE INDEX contacts_merged_into ON contacts (merged_into);
CREATE VIRTUAL TABLE contacts_fts USING fts5(search_text, content='contacts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF search_text ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO contacts_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd

CREATE TABLE contact_past_accounts (
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    title      TEXT,
    until      TIMESTAMP NOT NULL,
    PRIMARY KEY (contact_id, account_id)
);
CREATE INDEX contact_past_accounts_account ON contact_past_accounts (account_id);

-- e-mail addresses of companies and people; live is false while the record is in the bin, so only
-- live records hold an address exclusively
CREATE TABLE emails (
    entity     TEXT NOT NULL, -- account, contact
    entity_id  BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    email      TEXT NOT NULL,
    domain     TEXT NOT NULL, -- crm.EmailDomain(email)
    email_norm TEXT NOT NULL, -- crm.EmailKey(email)
    live       BOOLEAN NOT NULL,
    PRIMARY KEY (entity, entity_id, position)
);
CREATE UNIQUE INDEX emails_unique_live ON emails (entity, email_norm) WHERE live;
CREATE INDEX emails_norm ON emails (email_norm);
CREATE INDEX emails_domain ON emails (entity, domain);

CREATE TABLE phones (
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    position  INTEGER NOT NULL,
    phone     TEXT NOT NULL, -- E.164
    PRIMARY KEY (entity, entity_id, position)
);
CREATE INDEX phones_phone ON phones (phone);

CREATE TABLE tags (
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    tag       TEXT NOT NULL,
    tag_norm  TEXT NOT NULL, -- crm.Fold(tag)
    PRIMARY KEY (entity, entity_id, tag_norm)
);
CREATE INDEX tags_norm ON tags (entity, tag_norm, entity_id);

CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    actor_id  BIGINT,
    source    TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX history_entity ON history (entity, entity_id, id);

-- +goose Down
DROP TABLE history;
DROP TABLE tags;
DROP TABLE phones;
DROP TABLE emails;
DROP TABLE contact_past_accounts;
DROP TABLE contacts_fts;
DROP TABLE contacts;
DROP TABLE accounts_fts;
DROP TABLE accounts;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE users;
