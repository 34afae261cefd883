package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// Dialect names a database; its methods hold every SQL difference between the two.
type Dialect string

const (
	sqlite   Dialect = "sqlite"
	postgres Dialect = "postgres"
)

// IsSQLite tells whether the database is SQLite (whose planner some queries help).
func (d Dialect) IsSQLite() bool { return d == sqlite }

func (d Dialect) gooseDialect() goose.Dialect {
	if d == postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// forUpdate locks the selected rows until the transaction ends. SQLite's write transactions already hold
// the database lock (_txlock=immediate), so it needs nothing.
func (d Dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// WordMatch returns a condition that is true when the row aliased alias of table (accounts or contacts)
// has a word starting with each of the words (already plain letters and digits, see crm.Words).
func (d Dialect) WordMatch(b *Buf, table, alias string, words []string) string {
	if d == postgres {
		return alias + ".search @@ to_tsquery('simple', " + b.Arg(d.FTSQuery(words)) + ")"
	}
	return alias + ".id IN (SELECT rowid FROM " + table + "_fts WHERE " + table + "_fts MATCH " + b.Arg(d.FTSQuery(words)) + ")"
}

// FTSQuery returns the full-text query for rows with a word starting with each of words. Each word is
// quoted, so nothing a user types is read as query syntax.
func (d Dialect) FTSQuery(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		if d == postgres {
			parts[i] = "'" + strings.ReplaceAll(w, "'", "''") + "':*"
		} else {
			parts[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
		}
	}
	if d == postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

// IsUniqueViolation reports whether err is a unique index refusing a row.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite3.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// dropSearchIndex returns the statements that stop maintaining the full-text index row by row, and
// rebuildSearchIndex those that build it again in one pass: the bulk-load path of the benchmarks.
func (d Dialect) dropSearchIndex() []string {
	if d == postgres {
		return []string{`DROP INDEX contacts_search`}
	}
	return []string{`DROP TRIGGER contacts_fts_insert`}
}

func (d Dialect) rebuildSearchIndex() []string {
	if d == postgres {
		return []string{`CREATE INDEX contacts_search ON contacts USING gin (search)`}
	}
	return []string{`INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')`,
		`CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
		    INSERT INTO contacts_fts(rowid, search_text) VALUES (new.id, new.search_text);
		END`}
}

// analyze returns the statements that gather the statistics the query planner uses. SQLite keeps only
// sqlite_stat1 (rows per index key): with the samples of sqlite_stat4, it expires a prepared statement
// whenever a parameter the planner looked at gets a new value, so every kept statement would be
// compiled again at almost every use. A sample of each index is enough for sqlite_stat1.
func (d Dialect) analyze() []string {
	if d == postgres {
		return []string{`ANALYZE`}
	}
	return []string{`PRAGMA analysis_limit = 2000`, `ANALYZE`, `DROP TABLE IF EXISTS sqlite_stat4`}
}
