package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared statements of the hot, fixed query texts (a record by id, a user, a token)
// on the read pool. Parsing a query costs more than running it for these small lookups, and
// database/sql otherwise prepares every query anew. Queries in a write transaction are not cached: on
// SQLite the write pool has one connection, which the transaction holds, so preparing on the pool would
// wait for it forever.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmt returns the prepared statement of query on the read pool.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.cache.mu.Lock()
	if db.cache.stmts == nil {
		db.cache.stmts = map[string]*sql.Stmt{}
	}
	st := db.cache.stmts[query]
	db.cache.mu.Unlock()
	if st != nil {
		return st, nil
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

// maxCachedArgs bounds which queries are cached: lookups have a few arguments; the texts of page-sized
// IN lists vary with the page and are left unprepared.
const maxCachedArgs = 16

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
	return st.QueryContext(ctx, args...)
}

// CachedRow is Cached for one row.
func (r Reader) CachedRow(ctx context.Context, query string, args ...any) *sql.Row {
	db := r.db
	if r.q != db.read || len(args) > maxCachedArgs {
		return r.QueryRow(ctx, query, args...)
	}
	st, err := db.stmt(ctx, query)
	if err != nil {
		return r.QueryRow(ctx, query, args...) // the error shows again, where it is read
	}
	return st.QueryRowContext(ctx, args...)
}

// closeStatements closes the cached statements.
func (db *DB) closeStatements() {
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	for _, st := range db.cache.stmts {
		st.Close()
	}
	db.cache.stmts = nil
}
