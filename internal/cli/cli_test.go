package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"tili/internal/store/storetest"
)

// backend is the database flags of one backend for a test: a fresh SQLite directory or PostgreSQL
// database.
type backend []string

// eachBackend runs fn once per database, as storetest.Each does for the store.
func eachBackend(t *testing.T, fn func(t *testing.T, db backend)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, backend{"--data", t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) {
		server := os.Getenv("TILI_TEST_POSTGRES")
		if server == "" {
			t.Skip("TILI_TEST_POSTGRES is not set; set it to a PostgreSQL URL to run this test there too")
		}
		fn(t, backend{"--database-url", storetest.FreshPostgresURL(t, server)})
	})
}

type result struct {
	out, err string
	code     int
}

func (db backend) run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunIO(context.Background(), append(append([]string{}, args...), db...), strings.NewReader(""), &out, &errOut)
	return result{out.String(), errOut.String(), code}
}

// ok runs a command that must succeed and returns its standard output.
func (db backend) ok(t *testing.T, args ...string) string {
	t.Helper()
	r := db.run(t, args...)
	if r.code != 0 {
		t.Fatalf("tili %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// fails runs a command that must fail and returns its standard error.
func (db backend) fails(t *testing.T, args ...string) string {
	t.Helper()
	r := db.run(t, args...)
	if r.code == 0 {
		t.Fatalf("tili %s succeeded, want a failure\nstdout: %s", strings.Join(args, " "), r.out)
	}
	if r.out != "" {
		t.Fatalf("tili %s failed but wrote to standard output: %s", strings.Join(args, " "), r.out)
	}
	return r.err
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not one JSON document (%v):\n%s", err, s)
	}
	return v
}

type record struct {
	ID         int64    `json:"id"`
	Version    int64    `json:"version"`
	Name       string   `json:"name"`
	BusinessID string   `json:"business_id"`
	Stage      string   `json:"stage"`
	OwnerID    int64    `json:"owner_id"`
	TeamID     int64    `json:"team_id"`
	Phones     []string `json:"phones"`
	Tags       []string `json:"tags"`
	AccountID  int64    `json:"account_id"`
	MergedInto int64    `json:"merged_into"`
}

type list struct {
	Items []struct {
		Kind string `json:"kind"`
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"items"`
	Next string `json:"next_cursor"`
}

func id(r record) string { return strconv.FormatInt(r.ID, 10) }

func TestCompanies(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, db backend) {
		db.ok(t, "team", "add", "Etelä")
		db.ok(t, "user", "add", "--email", "Sanna.Makinen@demo.tili", "--name", "Sanna Mäkinen", "--team", "etela")

		// a wrong check digit is refused with a message that says so, and nothing is created
		msg := db.fails(t, "account", "add", "--name", "Äijälä Oy", "--business-id", "0112038-8")
		if !strings.Contains(msg, "--business-id") || !strings.Contains(msg, "check digit") {
			t.Fatalf("invalid business ID: %s", msg)
		}
		if l := decode[list](t, db.ok(t, "account", "list", "--json")); len(l.Items) != 0 {
			t.Fatalf("a refused company was saved: %+v", l)
		}

		a := decode[record](t, db.ok(t, "account", "add", "--json", "--name", "Äijälä Oy", "--business-id", "01120389",
			"--owner", "sanna.makinen@demo.tili", "--phone", "040-1234567", "--tag", "messut", "--tag", "Pirkanmaa"))
		if a.ID == 0 || a.Version != 1 || a.BusinessID != "0112038-9" || a.OwnerID == 0 || a.TeamID == 0 ||
			len(a.Phones) != 1 || a.Phones[0] != "+358401234567" {
			t.Fatalf("added company: %+v", a)
		}

		msg = db.fails(t, "account", "add", "--name", "Toinen Oy", "--business-id", "0112038-9")
		if !strings.Contains(msg, "Äijälä Oy (#"+id(a)+")") {
			t.Fatalf("a taken business ID must name the company holding it: %s", msg)
		}
		msg = db.fails(t, "account", "add", "--name", "Kolmas Oy", "--owner", "nobody@demo.tili")
		if !strings.Contains(msg, "nobody@demo.tili") {
			t.Fatalf("unknown owner: %s", msg)
		}

		// a likely duplicate by name is created, with a warning on standard error only
		r := db.run(t, "account", "add", "--json", "--name", "Oy Äijälä Ab")
		dup := decode[record](t, r.out)
		if r.code != 0 || !strings.Contains(r.err, "warning:") || !strings.Contains(r.err, "Äijälä Oy (#"+id(a)+", same name)") {
			t.Fatalf("duplicate warning: exit %d, stderr %q", r.code, r.err)
		}

		// editing with a stale version is refused and changes nothing
		db.ok(t, "account", "edit", id(a), "--version", "1", "--stage", "customer")
		msg = db.fails(t, "account", "edit", id(a), "--version", "1", "--name", "Overwritten Oy")
		if !strings.Contains(msg, "changed by someone else") {
			t.Fatalf("stale edit: %s", msg)
		}
		shown := decode[record](t, db.ok(t, "account", "show", id(a), "--json"))
		if shown.Name != "Äijälä Oy" || shown.Stage != "customer" || shown.Version != 2 {
			t.Fatalf("after a refused stale edit: %+v", shown)
		}
		// a new owner and other changes are one change: refused together, saved together
		db.ok(t, "user", "add", "--email", "jari@demo.tili", "--name", "Jari Nieminen")
		msg = db.fails(t, "account", "edit", id(a), "--owner", "jari@demo.tili", "--business-id", "0112038-8")
		if !strings.Contains(msg, "--business-id") {
			t.Fatalf("an invalid edit with a new owner: %s", msg)
		}
		if got := decode[record](t, db.ok(t, "account", "show", id(a), "--json")); got.OwnerID != a.OwnerID || got.Version != 2 {
			t.Fatalf("a refused edit moved the company to another owner: %+v", got)
		}
		moved := decode[record](t, db.ok(t, "account", "edit", id(a), "--json", "--owner", "jari@demo.tili", "--segment", "Teollisuus"))
		if moved.OwnerID == a.OwnerID || moved.Version != 3 || moved.TeamID != a.TeamID {
			t.Fatalf("owner and segment in one edit (one version; the new owner has no team, so the team stays): %+v", moved)
		}
		db.ok(t, "account", "edit", id(a), "--owner", "sanna.makinen@demo.tili")
		db.ok(t, "account", "edit", id(a), "--add-tag", "vip", "--remove-tag", "MESSUT")
		if got := decode[record](t, db.ok(t, "account", "show", id(a), "--json")); strings.Join(got.Tags, ",") != "Pirkanmaa,vip" {
			t.Fatalf("tags after add and remove: %v", got.Tags)
		}

		// list filters and pages
		for i := 0; i < 3; i++ {
			db.ok(t, "account", "add", "--name", "Yritys "+strconv.Itoa(i), "--stage", "prospect")
		}
		l := decode[list](t, db.ok(t, "account", "list", "--json", "--stage", "prospect", "--limit", "2"))
		if len(l.Items) != 2 || l.Next == "" {
			t.Fatalf("first page: %+v", l)
		}
		l2 := decode[list](t, db.ok(t, "account", "list", "--json", "--stage", "prospect", "--limit", "2", "--after", l.Next))
		if len(l2.Items) != 2 || l2.Next != "" || l2.Items[0].Name == l.Items[0].Name {
			t.Fatalf("second page: %+v", l2)
		}
		if l := decode[list](t, db.ok(t, "account", "list", "--json", "--tag", "vip", "--tag", "pirkanmaa")); len(l.Items) != 1 {
			t.Fatalf("all tags must match: %+v", l)
		}
		if l := decode[list](t, db.ok(t, "account", "list", "--json", "--owner", "sanna.makinen@demo.tili")); len(l.Items) != 1 {
			t.Fatalf("owner filter: %+v", l)
		}

		// search folds case and diacritics; --json carries kind, id and name
		s := decode[list](t, db.ok(t, "search", "aijala", "--json"))
		if len(s.Items) != 2 || s.Items[0].Kind != "account" || s.Items[0].Name != "Äijälä Oy" {
			t.Fatalf("search: %+v", s)
		}

		// merge the duplicate; the kept one's history shows it
		db.ok(t, "account", "merge", id(a), id(dup))
		gone := decode[record](t, db.ok(t, "account", "show", id(dup), "--json"))
		if gone.MergedInto != a.ID {
			t.Fatalf("merged duplicate: %+v", gone)
		}
		hist := db.ok(t, "history", "account", id(a))
		for _, want := range []string{"created", "stage", "prospect → customer", "merged in #" + id(dup), "merged into #" + id(a), "cli"} {
			if !strings.Contains(hist, want) {
				t.Errorf("history lacks %q:\n%s", want, hist)
			}
		}

		// delete and restore
		db.ok(t, "account", "delete", id(a))
		if l := decode[list](t, db.ok(t, "account", "list", "--json", "--bin")); len(l.Items) != 2 {
			t.Fatalf("bin: %+v", l)
		}
		db.ok(t, "account", "restore", id(a))
		msg = db.fails(t, "account", "restore", id(a))
		if !strings.Contains(msg, "not in the bin") {
			t.Fatalf("restoring a live company: %s", msg)
		}
	})
}

func TestPeopleAndAccess(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, db backend) {
		db.ok(t, "team", "add", "Etelä")
		db.ok(t, "team", "add", "Pohjoinen")
		db.ok(t, "user", "add", "--email", "am1@demo.tili", "--name", "Anna", "--team", "Etelä")
		db.ok(t, "user", "add", "--email", "am2@demo.tili", "--name", "Bertta", "--team", "Pohjoinen")
		db.ok(t, "user", "add", "--email", "ro@demo.tili", "--name", "Reija", "--role", "read_only", "--team", "Etelä")
		a := decode[record](t, db.ok(t, "account", "add", "--json", "--name", "Äijälä Oy", "--owner", "am1@demo.tili"))

		p1 := decode[record](t, db.ok(t, "contact", "add", "--json", "--first", "Päivi", "--last", "Hämäläinen",
			"--phone", "+358 40 123 4567", "--email", "paivi@aijala.fi", "--account", id(a), "--role", "decision_maker"))
		p2 := decode[record](t, db.ok(t, "contact", "add", "--json", "--first", "Jussi", "--last", "Korhonen",
			"--phone", "040-7654321", "--account", id(a)))
		if p1.Phones[0] != "+358401234567" || p2.Phones[0] != "+358407654321" {
			t.Fatalf("phones: %v %v", p1.Phones, p2.Phones)
		}
		msg := db.fails(t, "contact", "add", "--first", "Toinen", "--email", "PAIVI@aijala.fi")
		if !strings.Contains(msg, "Päivi Hämäläinen (#"+id(p1)+")") {
			t.Fatalf("taken e-mail: %s", msg)
		}
		msg = db.fails(t, "contact", "add", "--title", "Nobody")
		if !strings.Contains(msg, "first or a last name") {
			t.Fatalf("nameless person: %s", msg)
		}
		msg = db.fails(t, "contact", "add", "--first", "X", "--role", "boss")
		if !strings.Contains(msg, "decision_maker") {
			t.Fatalf("unknown role must list the allowed ones: %s", msg)
		}

		// moving to another company keeps the old one as a past company
		b := decode[record](t, db.ok(t, "account", "add", "--json", "--name", "Bertan Oy", "--owner", "am2@demo.tili"))
		db.ok(t, "contact", "edit", id(p2), "--account", id(b))
		if out := db.ok(t, "contact", "show", id(p2)); !strings.Contains(out, "past companies:") || !strings.Contains(out, "Äijälä Oy") {
			t.Fatalf("past company: %s", out)
		}

		// a read-only user of the owner's team sees the company and its people but changes nothing
		if s := decode[list](t, db.ok(t, "--as", "ro@demo.tili", "search", "paivi", "--json")); len(s.Items) != 1 {
			t.Fatalf("read-only user's search: %+v", s)
		}
		msg = db.fails(t, "--as", "ro@demo.tili", "account", "edit", id(a), "--name", "Mine")
		if !strings.Contains(msg, "may view") {
			t.Fatalf("read-only edit: %s", msg)
		}
		// another team's manager does not see them at all
		msg = db.fails(t, "--as", "am2@demo.tili", "account", "show", id(a))
		if !strings.Contains(msg, "there is no company #"+id(a)) {
			t.Fatalf("other team's company: %s", msg)
		}
		if s := decode[list](t, db.ok(t, "--as", "am2@demo.tili", "search", "aijala", "--json")); len(s.Items) != 0 {
			t.Fatalf("other team's search: %+v", s)
		}
		db.fails(t, "--as", "nobody@demo.tili", "account", "list")
	})
}

func TestJSONErrorsGoToStandardError(t *testing.T) {
	t.Parallel()
	db := backend{"--data", t.TempDir()}
	r := db.run(t, "account", "add", "--json", "--name", "X", "--business-id", "123")
	if r.code == 0 || r.out != "" {
		t.Fatalf("exit %d, stdout %q", r.code, r.out)
	}
	e := decode[map[string]map[string]string](t, r.err)
	if e["error"]["code"] != "invalid" || e["error"]["field"] != "business_id" {
		t.Fatalf("JSON error: %s", r.err)
	}
}

func TestMigrateAndConfig(t *testing.T) {
	dir := t.TempDir()
	db := backend{"--data", dir}
	msg := db.fails(t, "--migrate=false", "account", "list")
	if !strings.Contains(msg, "tili migrate up") {
		t.Fatalf("unmigrated database: %s", msg)
	}
	if out := db.ok(t, "migrate", "status"); !strings.Contains(out, "pending") {
		t.Fatalf("status before: %s", out)
	}
	if out := db.ok(t, "migrate", "up"); !strings.Contains(out, "applied 00001") {
		t.Fatalf("up: %s", out)
	}
	if out := db.ok(t, "migrate", "status"); strings.Contains(out, "pending") {
		t.Fatalf("status after: %s", out)
	}
	db.ok(t, "--migrate=false", "account", "list")

	out := backend{"--database-url", "postgres://tili:hunter2@db.example/tili"}.ok(t, "config")
	if strings.Contains(out, "hunter2") || !strings.Contains(out, "db.example") {
		t.Fatalf("config must hide the password: %s", out)
	}
	t.Setenv("TILI_PHONE_REGION", "se")
	if out := db.ok(t, "config", "--json"); !strings.Contains(out, `"value": "SE"`) {
		t.Fatalf("environment setting: %s", out)
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	db := backend{"--data", t.TempDir()}
	sum := decode[map[string]any](t, db.ok(t, "demo", "--json"))
	if sum["accounts"].(float64) < 300 || sum["contacts"].(float64) != 1200 || sum["users"].(float64) != 8 {
		t.Fatalf("demo summary: %v", sum)
	}
	msg := db.fails(t, "demo")
	if !strings.Contains(msg, "empty database") {
		t.Fatalf("demo on a full database: %s", msg)
	}
	if s := decode[list](t, db.ok(t, "search", "konserni", "--json")); len(s.Items) < 5 {
		t.Fatalf("demo groups: %+v", s)
	}
	// the same seed gives the same data
	again := backend{"--data", t.TempDir()}
	again.ok(t, "demo")
	if a, b := db.ok(t, "account", "list", "--limit", "1000"), again.ok(t, "account", "list", "--limit", "1000"); a != b {
		t.Fatal("two demo runs gave different companies")
	}
}
