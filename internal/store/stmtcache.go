package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared statements of the hot, fixed query texts (a record by id, a user, a token)
// on the read pool. Parsing a query costs more than running it for these small lookups, and
// database/sql otherwise prepares every query anew.
//
// On SQLite it also keeps the statements of write transactions prepared on the one writer connection.
// A statement cannot be prepared there while a transaction holds the connection (preparing on the pool
// would wait for it forever), so a transaction runs a new text unprepared and, once it has committed,
// the text is prepared on the free writer in the background; later transactions use it through
// sql.Tx.StmtContext, which finds it prepared on their connection. PostgreSQL needs none of this: pgx
// keeps every statement prepared per connection itself.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// writes are the statements prepared on the SQLite writer, at most maxKeptWrites of them; pending
	// are those being prepared
	writes    map[string]*sql.Stmt
	pending   map[string]bool
	preparing sync.WaitGroup
	closed    bool
}

// maxKeptWrites bounds the statements kept on the writer: the fixed texts of the use cases are far
// fewer; texts that vary with their input (IN lists) stop being kept once it is full.
const maxKeptWrites = 512

// stmt returns the prepared statement of query on the read pool; nil, and no error, when the cache is
// full.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.cache.mu.Lock()
	if db.cache.stmts == nil {
		db.cache.stmts = map[string]*sql.Stmt{}
	}
	st := db.cache.stmts[query]
	full := len(db.cache.stmts) >= maxCachedReads
	db.cache.mu.Unlock()
	if st != nil {
		return st, nil
	}
	if full {
		return nil, nil
	}
	st, err := db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	if prior := db.cache.stmts[query]; prior != nil {
		st.Close() // another goroutine was first
		return prior, nil
	}
	db.cache.stmts[query] = st
	return st, nil
}

// maxCachedArgs bounds which queries are cached: lookups and duplicate checks have a few dozen
// arguments at most; the texts of page-sized IN lists vary with the page and are left unprepared.
// maxCachedReads bounds how many are kept.
const (
	maxCachedArgs  = 48
	maxCachedReads = 512
)

// Cached runs query through a prepared statement kept for the next time, when it is a small lookup on the
// reader pool: for the fixed texts of hot lookups (a record by id, a user, a token). Texts built from
// what a user asks (lists, search) go through Query, or they would fill the cache.
func (r Reader) Cached(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db := r.db
	if r.q != db.read || len(args) > maxCachedArgs {
		return r.Query(ctx, query, args...)
	}
	st, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil { // the cache is full
		return r.Query(ctx, query, args...)
	}
	logQuery(ctx, query)
	return st.QueryContext(ctx, args...)
}

// CachedRow is Cached for one row.
func (r Reader) CachedRow(ctx context.Context, query string, args ...any) *sql.Row {
	db := r.db
	if r.q != db.read || len(args) > maxCachedArgs {
		return r.QueryRow(ctx, query, args...)
	}
	st, err := db.stmt(ctx, query)
	if err != nil || st == nil {
		return r.QueryRow(ctx, query, args...) // the error shows again, where it is read
	}
	logQuery(ctx, query)
	return st.QueryRowContext(ctx, args...)
}

// closeStatements closes the cached statements.
func (db *DB) closeStatements() {
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	for _, st := range db.cache.stmts {
		st.Close()
	}
	for _, st := range db.cache.writes {
		st.Close()
	}
	db.cache.stmts, db.cache.writes, db.cache.closed = nil, nil, true
}

// kept returns the statement of query prepared on the writer, bound to the transaction tx (nil: none), or
// nil when it is not prepared yet, which notes it for preparing after the commit.
func (tx *Tx) kept(ctx context.Context, query string) *sql.Stmt {
	if tx == nil || tx.db.dialect != sqlite {
		return nil
	}
	c := &tx.db.cache
	c.mu.Lock()
	st := c.writes[query]
	full := len(c.writes)+len(c.pending) >= maxKeptWrites
	c.mu.Unlock()
	if st == nil {
		if !full {
			tx.unkept = append(tx.unkept, query)
		}
		return nil
	}
	return tx.tx.StmtContext(ctx, st)
}

// keep prepares queries on the writer in the background, for the transactions after this one.
func (db *DB) keep(queries []string) {
	c := &db.cache
	c.mu.Lock()
	var todo []string
	for _, q := range queries {
		if c.writes[q] == nil && !c.pending[q] && !c.closed && len(c.writes)+len(c.pending) < maxKeptWrites {
			if c.pending == nil {
				c.pending, c.writes = map[string]bool{}, map[string]*sql.Stmt{}
			}
			c.pending[q] = true
			todo = append(todo, q)
		}
	}
	c.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	c.preparing.Add(1)
	go func() {
		defer c.preparing.Done()
		for _, q := range todo {
			st, err := db.write.PrepareContext(context.Background(), q)
			c.mu.Lock()
			delete(c.pending, q)
			if err == nil && !c.closed {
				c.writes[q] = st
				st = nil
			}
			c.mu.Unlock()
			if st != nil {
				st.Close()
			}
		}
	}()
}

// WaitKept waits until the statements of the transactions committed so far are prepared on the writer:
// for tests that count compilations.
func (db *DB) WaitKept() { db.cache.preparing.Wait() }
