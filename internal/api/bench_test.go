package api_test

// The interactive path through the whole stack (middleware, token, validation, visibility, duplicate
// check, history, huma, JSON) next to its physical limit: a bare net/http handler that gives the same
// answer with the least work, prepared statements on the same database. Both are driven in process by
// 16 goroutines on the machine's cores.
//
//	go test ./internal/api -run '^$' -bench Interactive -count 5 -timeout 2h
//
// create: POST /api/v1/contacts as an administrator; the bare handler decodes the same JSON and, in
// one transaction, inserts the person (the full-text index follows by trigger or generated column),
// the e-mail address and the history line with statements prepared once.
// create-namesakes: the same with 50 000 people whose names start like the new ones'.
// read: GET /api/v1/contacts/{id} as the account manager who owns them; the bare handler answers one
// prepared SELECT of the person's row by id.
// update: PATCH /api/v1/accounts/{id} with If-Match as the account manager; the bare handler runs a
// prepared UPDATE guarded by the version and a history INSERT in one transaction.
//
// SQLite runs with synchronous=NORMAL on both sides (sqlite), and FULL (sqlite-full) beside it.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// benchWorld is tili with an administrator, an account manager who owns the people and companies read
// and changed, and bare pools on the same database.
type benchWorld struct {
	app               *testutil.App
	admin, anna       string // tokens
	people, companies []int64
	write, read       *sql.DB
	postgres          bool
	next              atomic.Int64
}

const (
	benchPeople    = 2_000
	benchCompanies = 2_000
	benchNamesakes = 50_000
)

func newBenchWorld(b *testing.B, backend string, namesakes int) *benchWorld {
	b.Helper()
	w := &benchWorld{postgres: backend == "postgres"}
	var db *store.DB
	var err error
	switch backend {
	case "sqlite", "sqlite-full":
		sync := "NORMAL"
		if backend == "sqlite-full" {
			sync = "FULL"
		}
		db = storetest.SQLiteWith(b, store.Options{SQLiteSynchronous: sync})
		dsn := "file:" + db.Where() + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync +
			")&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite"
		if w.write, err = sql.Open("sqlite", dsn); err == nil {
			w.write.SetMaxOpenConns(1)
			w.read, err = sql.Open("sqlite", dsn)
		}
	case "postgres":
		server := os.Getenv("TILI_TEST_POSTGRES")
		if server == "" {
			b.Skip("TILI_TEST_POSTGRES is not set")
		}
		db = storetest.Postgres(b, server)
		w.write, err = sql.Open("pgx", db.Where()) // the store's URL: the test server has no password
		w.read = w.write
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		w.write.Close()
		w.read.Close()
	})
	w.app = testutil.NewTestApp(b, db)
	team := w.app.Team("Etelä")
	admin := w.app.User("admin@example.fi", crm.Admin, nil, 0)
	anna := w.app.User("anna@example.fi", crm.AccountManager, []int64{team}, 0)
	w.admin, w.anna = w.app.Token(admin, "write"), w.app.Token(anna, "write")
	ctx := context.Background()
	system := crm.System(crm.SourceImport)
	for i := range benchCompanies {
		a := &crm.Account{Name: fmt.Sprintf("Yritys %05d Oy", i), OwnerID: anna.ID, Stage: crm.Customer,
			Phones: []string{"040 123 4567"}, Emails: []string{fmt.Sprintf("info@yritys%d.fi", i)}, Tags: []string{"vip"}}
		if _, err := w.app.Svc.Accounts.Create(ctx, system, a); err != nil {
			b.Fatal(err)
		}
		w.companies = append(w.companies, a.ID)
	}
	people := make([]*crm.Contact, benchPeople)
	for i := range people {
		people[i] = &crm.Contact{FirstName: "Sanna", LastName: fmt.Sprintf("Lukkari%d", i), OwnerID: anna.ID,
			AccountID: w.companies[i%len(w.companies)], Emails: []string{fmt.Sprintf("sanna%d@yritys.fi", i)}, Phones: []string{"050 123 4567"}}
	}
	firsts := []string{"Matti", "Mathias", "Matias", "Matilda", "Matleena", "Mattias"}
	lasts := []string{"Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen"}
	for i := range namesakes {
		people = append(people, &crm.Contact{FirstName: firsts[i%len(firsts)], LastName: lasts[(i/len(firsts))%len(lasts)],
			Emails: []string{fmt.Sprintf("namesake%d@example.fi", i)}})
	}
	if _, err := w.app.Svc.Contacts.CreateMany(ctx, system, people); err != nil {
		b.Fatal(err)
	}
	for _, c := range people[:benchPeople] {
		w.people = append(w.people, c.ID)
	}
	if err := db.Analyze(ctx); err != nil { // CreateMany gathered them too; the companies came after
		b.Fatal(err)
	}
	return w
}

// ph is the placeholder n of the bare handler's SQL.
func (w *benchWorld) ph(n int) string {
	if w.postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?" + strconv.Itoa(n)
}

func (w *benchWorld) prepare(b *testing.B, db *sql.DB, query string) *sql.Stmt {
	b.Helper()
	st, err := db.Prepare(query)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// bareCreate inserts the person, their e-mail address and the history line with prepared statements in
// one transaction.
func (w *benchWorld) bareCreate(b *testing.B) http.Handler {
	p := w.ph
	insert := w.prepare(b, w.write, `INSERT INTO contacts (first_name, last_name, name_norm, sort_norm, kind, consent_email,
		consent_phone, consent_post, consent_sms, search_text, created_at, updated_at) VALUES (`+p(1)+`, `+p(2)+`, `+p(3)+`, `+p(4)+`,
		'b2b', 'unknown', 'unknown', 'unknown', 'unknown', `+p(5)+`, `+p(6)+`, `+p(6)+`) RETURNING id`)
	email := w.prepare(b, w.write, `INSERT INTO emails (entity, entity_id, position, email, email_norm, domain, live)
		VALUES ('contact', `+p(1)+`, 0, `+p(2)+`, `+p(3)+`, `+p(4)+`, TRUE)`)
	history := w.prepare(b, w.write, `INSERT INTO history (entity, entity_id, field, new_value, source, at)
		VALUES ('contact', `+p(1)+`, 'created', `+p(2)+`, 'api', `+p(3)+`)`)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var in struct {
			FirstName string   `json:"first_name"`
			LastName  string   `json:"last_name"`
			Emails    []string `json:"emails"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(rw, err.Error(), 400)
			return
		}
		c := crm.Contact{FirstName: in.FirstName, LastName: in.LastName, Emails: in.Emails}
		now := time.Now().UTC()
		ctx := r.Context()
		tx, err := w.write.BeginTx(ctx, nil)
		if err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		defer tx.Rollback()
		var id int64
		if err := tx.StmtContext(ctx, insert).QueryRowContext(ctx, c.FirstName, c.LastName, c.NameNorm(), c.SortNorm(), c.SearchText(), now).Scan(&id); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		for _, e := range c.Emails {
			if _, err := tx.StmtContext(ctx, email).ExecContext(ctx, id, e, crm.EmailKey(e), crm.EmailDomain(e)); err != nil {
				http.Error(rw, err.Error(), 500)
				return
			}
		}
		if _, err := tx.StmtContext(ctx, history).ExecContext(ctx, id, c.Name(), now); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		if err := tx.Commit(); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusCreated)
		json.NewEncoder(rw).Encode(map[string]any{"id": id, "first_name": c.FirstName, "last_name": c.LastName, "emails": c.Emails})
	})
}

// bareRead answers one prepared SELECT of the person's row.
func (w *benchWorld) bareRead(b *testing.B) http.Handler {
	get := w.prepare(b, w.read, `SELECT id, first_name, last_name, COALESCE(title, ''), COALESCE(account_id, 0), kind,
		consent_email, COALESCE(owner_id, 0), COALESCE(team_id, 0), version, created_at, updated_at FROM contacts WHERE id = `+w.ph(1))
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		var c crm.Contact
		err := get.QueryRowContext(r.Context(), id).Scan(&c.ID, &c.FirstName, &c.LastName, &c.Title, &c.AccountID, &c.Kind,
			&c.Consent.Email, &c.OwnerID, &c.TeamID, &c.Version, &c.CreatedAt, &c.UpdatedAt)
		if err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(&c)
	})
}

// bareUpdate runs the UPDATE guarded by the version and the history INSERT in one transaction.
func (w *benchWorld) bareUpdate(b *testing.B) http.Handler {
	p := w.ph
	update := w.prepare(b, w.write, `UPDATE accounts SET segment = `+p(1)+`, version = version + 1, updated_at = `+p(2)+`
		WHERE id = `+p(3)+` AND version = `+p(4))
	history := w.prepare(b, w.write, `INSERT INTO history (entity, entity_id, field, new_value, source, at)
		VALUES ('account', `+p(1)+`, 'segment', `+p(2)+`, 'api', `+p(3)+`)`)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		version, _ := strconv.ParseInt(strings.Trim(r.Header.Get("If-Match"), `"`), 10, 64)
		var in struct {
			Segment string `json:"segment"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(rw, err.Error(), 400)
			return
		}
		ctx, now := r.Context(), time.Now().UTC()
		tx, err := w.write.BeginTx(ctx, nil)
		if err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		defer tx.Rollback()
		res, err := tx.StmtContext(ctx, update).ExecContext(ctx, in.Segment, now, id, version)
		if err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		if n, _ := res.RowsAffected(); n != 1 {
			http.Error(rw, "stale", http.StatusPreconditionFailed)
			return
		}
		if _, err := tx.StmtContext(ctx, history).ExecContext(ctx, id, in.Segment, now); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		if err := tx.Commit(); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		rw.Header().Set("ETag", fmt.Sprintf(`"%d"`, version+1))
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"id": id, "segment": in.Segment, "version": version + 1})
	})
}

// drive sends requests from 16 goroutines and reports requests a second.
func drive(b *testing.B, h http.Handler, token string, next func() (method, path string, body []byte, header http.Header), want int) {
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			method, path, body, header := next()
			req := httptest.NewRequest(method, path, bytes.NewReader(body))
			for k, v := range header {
				req.Header[k] = v
			}
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != want {
				b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkInteractive(b *testing.B) {
	for _, backend := range []string{"sqlite", "sqlite-full", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			w := newBenchWorld(b, backend, 0)
			tili := w.app.Server.Config.Handler
			bare := http.NewServeMux()
			bare.Handle("POST /contacts", w.bareCreate(b))
			bare.Handle("GET /contacts/{id}", w.bareRead(b))
			bare.Handle("PATCH /accounts/{id}", w.bareUpdate(b))
			create := func(prefix, first string) func() (string, string, []byte, http.Header) {
				return func() (string, string, []byte, http.Header) {
					n := w.next.Add(1)
					body, _ := json.Marshal(map[string]any{"first_name": first, "last_name": fmt.Sprintf("Uusi-%d", n),
						"emails": []string{fmt.Sprintf("uusi%d@example.fi", n)}})
					return "POST", prefix + "/contacts", body, nil
				}
			}
			read := func(prefix string) func() (string, string, []byte, http.Header) {
				return func() (string, string, []byte, http.Header) {
					n := w.next.Add(1)
					return "GET", fmt.Sprintf("%s/contacts/%d", prefix, w.people[int(n*7919)%len(w.people)]), nil, nil
				}
			}
			b.Run("create/tili", func(b *testing.B) { drive(b, tili, w.admin, create("/api/v1", "Liisa"), http.StatusCreated) })
			b.Run("create/bare", func(b *testing.B) { drive(b, bare, "", create("", "Liisa"), http.StatusCreated) })
			b.Run("read/tili", func(b *testing.B) { drive(b, tili, w.anna, read("/api/v1"), http.StatusOK) })
			b.Run("read/bare", func(b *testing.B) { drive(b, bare, "", read(""), http.StatusOK) })
			for _, side := range []struct {
				name, prefix, token string
				h                   http.Handler
			}{{"tili", "/api/v1", w.anna, tili}, {"bare", "", "", bare}} {
				b.Run("update/"+side.name, func(b *testing.B) {
					// each goroutine changes companies of its own, knowing their versions
					versions := make([]atomic.Int64, len(w.companies))
					for i := range versions {
						versions[i].Store(w.companyVersion(b, w.companies[i]))
					}
					var turn atomic.Int64
					b.SetParallelism(8)
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						slot := int(turn.Add(1)) - 1
						for i := 0; pb.Next(); i++ {
							k := (slot + 16*i) % len(w.companies)
							body, _ := json.Marshal(map[string]any{"segment": fmt.Sprintf("S%d", i)})
							req := httptest.NewRequest("PATCH", fmt.Sprintf("%s/accounts/%d", side.prefix, w.companies[k]), bytes.NewReader(body))
							req.Header.Set("Content-Type", "application/merge-patch+json")
							req.Header.Set("If-Match", fmt.Sprintf(`"%d"`, versions[k].Load()))
							if side.token != "" {
								req.Header.Set("Authorization", "Bearer "+side.token)
							}
							rec := httptest.NewRecorder()
							side.h.ServeHTTP(rec, req)
							if rec.Code != http.StatusOK {
								b.Fatalf("PATCH %s: %d %s", req.URL, rec.Code, rec.Body)
							}
							v, _ := strconv.ParseInt(strings.Trim(rec.Header().Get("ETag"), `"`), 10, 64)
							versions[k].Store(v)
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
				})
			}
		})
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend+"/namesakes", func(b *testing.B) {
			w := newBenchWorld(b, backend, benchNamesakes)
			bare := http.NewServeMux()
			bare.Handle("POST /contacts", w.bareCreate(b))
			create := func(prefix string) func() (string, string, []byte, http.Header) {
				return func() (string, string, []byte, http.Header) {
					n := w.next.Add(1)
					body, _ := json.Marshal(map[string]any{"first_name": "Matti", "last_name": fmt.Sprintf("Uusi-%d", n),
						"emails": []string{fmt.Sprintf("uusi%d@example.fi", n)}})
					return "POST", prefix + "/contacts", body, nil
				}
			}
			b.Run("create/tili", func(b *testing.B) {
				drive(b, w.app.Server.Config.Handler, w.admin, create("/api/v1"), http.StatusCreated)
			})
			b.Run("create/bare", func(b *testing.B) { drive(b, bare, "", create(""), http.StatusCreated) })
		})
	}
}

// companyVersion reads the version of company id plainly.
func (w *benchWorld) companyVersion(b *testing.B, id int64) int64 {
	var v int64
	if err := w.read.QueryRow(`SELECT version FROM accounts WHERE id = `+w.ph(1), id).Scan(&v); err != nil {
		b.Fatal(err)
	}
	return v
}
