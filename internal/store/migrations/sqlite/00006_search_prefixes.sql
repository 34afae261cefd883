-- +goose Up
-- The full-text tables keep prefix indexes for word starts of one to four letters, the ones a search box
-- sends on the first keys: "ka* kä*" then reads two short lists instead of every word starting so.
-- The triggers on accounts and contacts keep feeding the new tables by name.
DROP TABLE accounts_fts;
CREATE VIRTUAL TABLE accounts_fts USING fts5(search_text, content='accounts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0', prefix='1 2 3 4');
INSERT INTO accounts_fts(accounts_fts) VALUES ('rebuild');
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5(search_text, content='contacts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0', prefix='1 2 3 4');
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');

-- +goose Down
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5(search_text, content='contacts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
DROP TABLE accounts_fts;
CREATE VIRTUAL TABLE accounts_fts USING fts5(search_text, content='accounts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
INSERT INTO accounts_fts(accounts_fts) VALUES ('rebuild');
