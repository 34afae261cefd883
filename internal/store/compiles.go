package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	msqlite "modernc.org/sqlite"
)

// compileCounter counts the statements a database compiles: on SQLite every prepare and every automatic
// re-prepare, which its authorizer sees; on PostgreSQL every statement pgx prepares on the server. A
// statement kept prepared is compiled once per connection; the tests count with it that hot requests
// compile nothing once warm. It is on only when Options.CountCompiles asks, as the authorizer is called
// for every table and column a compile touches.
type compileCounter struct{ n atomic.Int64 }

// Compiles returns how many statements the database compiled since it was opened with
// Options.CountCompiles (0 without it). On SQLite a statement with subqueries counts once per SELECT in it.
func (db *DB) Compiles() int64 {
	if db.compiles == nil {
		return 0
	}
	return db.compiles.n.Load()
}

// countingDSNs are the SQLite connection strings whose compilations are counted, and their counters.
var countingDSNs struct {
	once sync.Once
	mu   sync.Mutex
	m    map[string]*compileCounter
}

// countSQLiteCompiles has every new connection to dsn report its compilations to c.
func countSQLiteCompiles(c *compileCounter, dsns ...string) {
	countingDSNs.once.Do(func() {
		countingDSNs.m = map[string]*compileCounter{}
		msqlite.RegisterConnectionHook(func(conn msqlite.ExecQuerierContext, dsn string) error {
			countingDSNs.mu.Lock()
			counter := countingDSNs.m[dsn]
			countingDSNs.mu.Unlock()
			auth, ok := conn.(msqlite.AuthorizerRegisterer)
			if counter == nil || !ok {
				return nil
			}
			return auth.RegisterAuthorizer(func(action msqlite.AuthorizerActionCode, _, _, _, _ string) msqlite.AuthorizerReturnCode {
				switch action {
				case msqlite.AuthSelect, msqlite.AuthInsert, msqlite.AuthUpdate, msqlite.AuthDelete, msqlite.AuthPragma,
					msqlite.AuthAnalyze, msqlite.AuthSavepoint:
					counter.n.Add(1)
				}
				// BEGIN and COMMIT (AuthTransaction) are compiled by the driver for every transaction
				return msqlite.AuthorizerOK
			})
		})
	})
	countingDSNs.mu.Lock()
	defer countingDSNs.mu.Unlock()
	for _, dsn := range dsns {
		countingDSNs.m[dsn] = c
	}
}

// prepareCounter is a pgx tracer that counts the statements prepared on the server.
type prepareCounter struct{ c *compileCounter }

func (p prepareCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (p prepareCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (p prepareCounter) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	p.c.n.Add(1)
	return ctx
}

func (p prepareCounter) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// openCountingPostgres opens a PostgreSQL pool whose prepares c counts.
func openCountingPostgres(url string, c *compileCounter) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.Tracer = prepareCounter{c}
	return stdlib.OpenDB(*cfg), nil
}
