// Package storetest opens real databases for tests: SQLite always, PostgreSQL too when TILI_TEST_POSTGRES
// holds a server URL. Every store test runs once per backend.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"tili/internal/store"
)

// Each runs fn as a subtest on a fresh, migrated database of every available backend.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachWith(t, store.Options{}, fn)
}

// EachWith is Each with the databases opened with o (its URL and data directory are the test's own).
func EachWith(t *testing.T, o store.Options, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteWith(t, o)) })
	t.Run("postgres", func(t *testing.T) {
		server := os.Getenv("TILI_TEST_POSTGRES")
		if server == "" {
			t.Skip("TILI_TEST_POSTGRES is not set; set it to a PostgreSQL URL to run this test there too")
		}
		fn(t, PostgresWith(t, server, o))
	})
}

// SQLite opens a fresh, migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return SQLiteWith(t, store.Options{})
}

// SQLiteWith is SQLite with the database opened with o.
func SQLiteWith(t testing.TB, o store.Options) *store.DB {
	t.Helper()
	o.URL, o.DataDir, o.Migrate = "", t.TempDir(), true
	db, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Postgres creates an empty database on server for one test, opens and migrates it, and drops it
// afterwards.
func Postgres(t testing.TB, server string) *store.DB {
	t.Helper()
	return PostgresWith(t, server, store.Options{})
}

// PostgresWith is Postgres with the database opened with o.
func PostgresWith(t testing.TB, server string, o store.Options) *store.DB {
	t.Helper()
	o.URL, o.Migrate = FreshPostgresURL(t, server), true
	db, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// FreshPostgresURL creates an empty database on server, returns its URL and drops it when the test ends.
func FreshPostgresURL(t testing.TB, server string) string {
	t.Helper()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("tili_test_%d", rand.Uint64())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create a test database on %s: %v", store.RedactURL(server), err)
	}
	// registered after admin's Close, so it runs before it
	t.Cleanup(func() { admin.Exec("DROP DATABASE " + name + " WITH (FORCE)") })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
