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
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		server := os.Getenv("TILI_TEST_POSTGRES")
		if server == "" {
			t.Skip("TILI_TEST_POSTGRES is not set; set it to a PostgreSQL URL to run this test there too")
		}
		fn(t, Postgres(t, server))
	})
}

// SQLite opens a fresh, migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), Migrate: true})
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
	u := FreshPostgresURL(t, server)
	db, err := store.Open(context.Background(), store.Options{URL: u, Migrate: true})
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
