// Package store is the only place that speaks SQL. One SQL text serves SQLite and PostgreSQL: queries use
// $1…$n placeholders (modernc binds them by position) and portable SQL; every difference between the two
// lives in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // driver "sqlite"

	"tili/internal/clock"
	"tili/internal/crm"
)

//go:embed migrations
var migrations embed.FS

// DB is tili's database: a single-connection writer pool and a reader pool on SQLite, one pool (both
// fields the same) on PostgreSQL. Its reads (the embedded Reader) go to the reader pool; every change goes
// through Write.
type DB struct {
	Reader
	write, read *sql.DB
	dialect     Dialect
	where       string // what the database is, for people: a file path or a redacted URL
	clock       clock.Clock
	cache       stmtCache
	compiles    *compileCounter
}

// Options says which database to open and how.
type Options struct {
	// URL selects PostgreSQL when it starts with postgres:// or postgresql://; otherwise an SQLite file
	// tili.db in DataDir is used (created with the directory on first use).
	URL     string
	DataDir string
	// Migrate brings the schema up to this binary's version on open. Without it, an older schema is left
	// alone and SchemaStatus tells what is missing.
	Migrate bool
	// SQLiteSynchronous is FULL (durable, the default) or NORMAL (faster; the last transactions may be
	// lost on power failure, never corrupted).
	SQLiteSynchronous string
	// Clock tells the time of every row written; nil means the machine's clock.
	Clock clock.Clock
	// CountCompiles counts every statement the database compiles (DB.Compiles), for tests that check
	// that statements stay prepared.
	CountCompiles bool
}

// IsPostgres reports whether a database URL selects PostgreSQL.
func IsPostgres(databaseURL string) bool {
	return strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://")
}

// Open opens the database and, with o.Migrate, migrates it.
func Open(ctx context.Context, o Options) (*DB, error) {
	db := &DB{clock: o.Clock}
	if db.clock == nil {
		db.clock = clock.Real()
	}
	if o.CountCompiles {
		db.compiles = &compileCounter{}
	}
	var err error
	if IsPostgres(o.URL) {
		db.dialect = postgres
		db.where = RedactURL(o.URL)
		if db.compiles != nil {
			db.write, err = openCountingPostgres(o.URL, db.compiles)
		} else {
			db.write, err = sql.Open("pgx", o.URL)
		}
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", db.where, err)
		}
		db.write.SetMaxOpenConns(20)
		db.write.SetMaxIdleConns(10)
		db.read = db.write
	} else {
		if o.URL != "" {
			return nil, fmt.Errorf("store: the database URL must start with postgres:// (or be empty for SQLite in the data directory), not %q", RedactURL(o.URL))
		}
		db.dialect = sqlite
		if o.DataDir == "" {
			return nil, errors.New("store: no data directory given for the SQLite database")
		}
		if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create the data directory: %w", err)
		}
		path, err := filepath.Abs(filepath.Join(o.DataDir, "tili.db"))
		if err != nil {
			return nil, err
		}
		db.where = path
		syncMode := strings.ToUpper(o.SQLiteSynchronous)
		switch syncMode {
		case "":
			syncMode = "FULL"
		case "FULL", "NORMAL":
		default:
			return nil, fmt.Errorf("store: SQLite synchronous mode %q: use FULL or NORMAL", o.SQLiteSynchronous)
		}
		writeDSN, readDSN := sqliteDSN(path, syncMode, writerCacheKiB), sqliteDSN(path, syncMode, readerCacheKiB)
		if db.compiles != nil {
			countSQLiteCompiles(db.compiles, writeDSN, readDSN)
		}
		if db.write, err = sql.Open("sqlite", writeDSN); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		db.write.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
		db.write.SetConnMaxIdleTime(0)
		if db.read, err = sql.Open("sqlite", readDSN); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		db.read.SetMaxOpenConns(4)
		db.read.SetMaxIdleConns(4)
		db.read.SetConnMaxIdleTime(readerIdle) // an idle reader's page cache goes with it
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach %s: %w", db.where, err)
	}
	db.Reader = Reader{db: db, q: db.read}
	if o.Migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// The SQLite page caches: the writer's holds the hot parts of the indexes an insert walks; a reader's
// what one request reads. A reader idle for readerIdle is closed, and its cache given back.
const (
	writerCacheKiB = 16 << 10
	readerCacheKiB = 8 << 10
	readerIdle     = 30 * time.Second
)

// sqliteDSN is the connection string of the SQLite file at path. cacheKiB is the page cache of each
// connection: the writer's must hold the hot parts of every index, or each insert reads index pages back
// from the file.
func sqliteDSN(path, synchronous string, cacheKiB int) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(" + synchronous + ")",
		"foreign_keys(1)", "secure_delete(1)", fmt.Sprintf("cache_size(-%d)", cacheKiB), "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// RedactURL hides the password of a database URL.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Where tells where the data is: the SQLite file, or the PostgreSQL URL without its password.
func (db *DB) Where() string { return db.where }

// Backend names the database kind: "sqlite" or "postgres".
func (db *DB) Backend() string { return string(db.dialect) }

func (db *DB) provider() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if db.dialect == postgres { // several instances may start at once
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(db.dialect.gooseDialect(), db.write, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migration is one schema step and whether it has been applied.
type Migration struct {
	Version   int64     `json:"version"`
	Name      string    `json:"name"`
	Applied   bool      `json:"applied"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
}

// Migrate applies every migration the database lacks and returns those it applied.
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.MigrateUp(ctx)
	return err
}

// MigrateUp applies every migration the database lacks and returns those it applied.
func (db *DB) MigrateUp(ctx context.Context) ([]Migration, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate %s: %w", db.where, err)
	}
	var done []Migration
	for _, r := range results {
		done = append(done, Migration{Version: r.Source.Version, Name: filepath.Base(r.Source.Path), Applied: true})
		if r.Source.Version == 4 {
			if err := db.backfillCityNorm(ctx); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// backfillCityNorm folds the cities of the companies that existed before city_norm did.
func (db *DB) backfillCityNorm(ctx context.Context) error {
	rows, err := db.write.QueryContext(ctx, `SELECT id, visit_city FROM accounts WHERE visit_city IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("store: fold cities: %w", err)
	}
	type city struct {
		id   int64
		name string
	}
	var cities []city
	for rows.Next() {
		var c city
		if err := rows.Scan(&c.id, &c.name); err != nil {
			rows.Close()
			return err
		}
		cities = append(cities, c)
	}
	rows.Close()
	return db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		for _, c := range cities {
			if _, err := tx.Exec(ctx, `UPDATE accounts SET city_norm = $1 WHERE id = $2`, crm.Fold(c.name), c.id); err != nil {
				return fmt.Errorf("store: fold city of account %d: %w", c.id, err)
			}
		}
		return nil
	})
}

// Migrations lists every migration this binary knows and whether the database has it.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status of %s: %w", db.where, err)
	}
	out := make([]Migration, len(status))
	for i, s := range status {
		out[i] = Migration{Version: s.Source.Version, Name: filepath.Base(s.Source.Path),
			Applied: s.State == goose.StateApplied, AppliedAt: s.AppliedAt}
	}
	return out, nil
}

// SchemaStatus returns the schema version the database is at and the one this binary needs.
func (db *DB) SchemaStatus(ctx context.Context) (current, want int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	sources := p.ListSources()
	if len(sources) > 0 {
		want = sources[len(sources)-1].Version
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, want, fmt.Errorf("store: schema version of %s: %w", db.where, err)
	}
	return current, want, nil
}

// Analyze gathers the statistics the query planner uses, after bulk work and from time to time. On
// SQLite it keeps prepared statements valid (see Dialect.analyze).
func (db *DB) Analyze(ctx context.Context) error {
	for _, stmt := range db.dialect.analyze() {
		if _, err := db.write.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: gather statistics (%s): %w", stmt, err)
		}
	}
	return nil
}

// ReleaseMemory gives back what bulk work left in the database's caches: on SQLite, the writer's page
// cache beyond what it is using (the readers give theirs back when idle).
func (db *DB) ReleaseMemory(ctx context.Context) error {
	if db.dialect != sqlite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA shrink_memory`)
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	db.closeStatements()
	err := db.write.Close()
	if db.read != db.write {
		db.read.Close()
	}
	return err
}

// Reader reads the database: through the reader pool outside a write, through the transaction inside
// one, so a use case sees the rows it has just written.
type Reader struct {
	db *DB
	q  queryer
	w  *Tx // the write transaction read through, if any
}

// Now is the time as the database's clock tells it.
func (r Reader) Now() time.Time { return r.db.clock.Now().UTC() }

// Query runs a query that reads rows.
func (r Reader) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	logQuery(ctx, query)
	if st := r.w.kept(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.q.QueryContext(ctx, query, args...)
}

// QueryRow runs a query that reads one row.
func (r Reader) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	logQuery(ctx, query)
	if st := r.w.kept(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.q.QueryRowContext(ctx, query, args...)
}

// Dialect is the kind of database read.
func (r Reader) Dialect() Dialect { return r.db.dialect }

// Tx is one write transaction, owned by the use case that carries out a change: the records it changes,
// their history and the audit lines commit together or not at all. Its embedded Reader reads through the
// transaction.
type Tx struct {
	Reader
	tx    *sql.Tx
	at    time.Time
	after []func()
	// unkept are the statements run unprepared, to be prepared on the writer once it is free
	unkept []string
}

// Now is the time of the transaction: every row it writes carries this one instant.
func (tx *Tx) Now() time.Time { return tx.at }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	logQuery(ctx, query)
	if st := tx.kept(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, query, args...)
}

// Prepare prepares a statement for many rows of the transaction (a batch); it is closed with it.
func (tx *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, query)
}

// ForUpdate is what locks the rows a query selects until the transaction ends.
func (tx *Tx) ForUpdate() string { return tx.db.dialect.forUpdate() }

// Outside returns a Reader of the reader pool: for a question whose answer must not wait for the
// transaction, or that the transaction can no longer ask (PostgreSQL spoils it at the first error).
func (tx *Tx) Outside() Reader { return tx.db.Reader }

// AfterCommit runs f once the transaction has committed, and never when it rolls back: for what must not
// happen for a change that did not (forgetting cached state, waking a worker).
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

type writeKey struct{}

// ErrNestedWrite is the error of a write started inside another one.
var ErrNestedWrite = errors.New("store: a write transaction was started inside another one; pass the outer *store.Tx down instead")

// Write runs fn in one write transaction and commits when fn returns nil; on an error (or a panic) it
// rolls everything back and returns fn's error. fn must use the ctx it is given: a write started with it
// fails at once with ErrNestedWrite, where on SQLite it would wait forever for the one writer connection
// the outer write holds.
func (db *DB) Write(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if ctx.Value(writeKey{}) != nil {
		return ErrNestedWrite
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{Reader: Reader{db: db, q: sqlTx}, tx: sqlTx, at: db.clock.Now().UTC()}
	tx.w = tx
	if err := fn(context.WithValue(ctx, writeKey{}, tx), tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.keep(tx.unkept)
	for _, f := range tx.after {
		f()
	}
	return nil
}
