package config

import (
	"os"
	"strings"
	"testing"
)

func TestRedactedHidesPasswords(t *testing.T) {
	t.Parallel()
	c := Config{DatabaseURL: "postgres://tili:s3cret@db.example:5432/tili?sslmode=require&password=other"}
	for _, s := range c.Redacted() {
		if strings.Contains(s.Value, "s3cret") || strings.Contains(s.Value, "other") {
			t.Fatalf("%s shows a password: %s", s.Name, s.Value)
		}
		if s.Name == "database-url" && !strings.Contains(s.Value, "db.example:5432/tili") {
			t.Fatalf("the redacted URL lost where the database is: %s", s.Value)
		}
	}
}

func TestResolveReadsURLFromFile(t *testing.T) {
	path := t.TempDir() + "/url"
	if err := os.WriteFile(path, []byte("postgres://u:p@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TILI_DATABASE_URL_FILE", path)
	var c Config
	if err := c.Resolve(); err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://u:p@h/db" {
		t.Fatalf("URL from file: %q", c.DatabaseURL)
	}
	c = Config{DatabaseURL: "mysql://x"}
	if err := c.Resolve(); err == nil {
		t.Fatal("a non-PostgreSQL URL was accepted")
	}
}
