package api_test

// Throughput of the API through the whole stack (middleware, token, visibility, huma, JSON) next to a
// bare net/http handler that reads the same rows from the same database with database/sql and writes
// them as JSON: the physical limit for the same answer. Both are driven in-process, in parallel.
//
//	go test ./internal/api -run '^$' -bench . -count 5

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

const benchCompanies = 10_000

// benchApp is a test app with benchCompanies companies owned by one account manager, her token, and a
// bare database handle on the same data.
func benchApp(b *testing.B, backend string) (*testutil.App, string, *sql.DB, []int64) {
	b.Helper()
	var db *store.DB
	var raw *sql.DB
	var err error
	switch backend {
	case "sqlite":
		db = storetest.SQLite(b)
		raw, err = sql.Open("sqlite", "file:"+db.Where()+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_time_format=sqlite")
	case "postgres":
		server := os.Getenv("TILI_TEST_POSTGRES")
		if server == "" {
			b.Skip("TILI_TEST_POSTGRES is not set")
		}
		// the store's URL: Where() hides only a password, and the test server has none
		db = storetest.Postgres(b, server)
		raw, err = sql.Open("pgx", db.Where())
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	app := testutil.NewTestApp(b, db)
	team := app.Team("Etelä")
	anna := app.User("anna@example.fi", crm.AccountManager, []int64{team}, 0)
	ctx := context.Background()
	var ids []int64
	for i := 0; i < benchCompanies; i++ {
		a := &crm.Account{Name: fmt.Sprintf("Yritys %05d Oy", i), OwnerID: anna.ID, Stage: crm.Customer,
			Phones: []string{"040 123 4567"}, Emails: []string{fmt.Sprintf("info@yritys%d.fi", i)}, Tags: []string{"vip"}}
		if _, err := app.Svc.Accounts.Create(ctx, crm.System(crm.SourceImport), a); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	// the planner's statistics, as autovacuum (PostgreSQL) would gather them soon after such a load
	if _, err := raw.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return app, app.Token(anna, "read"), raw, ids
}

// bareAccount is the company as the API shows it, read with one plain SELECT of the same columns.
type bareAccount = crm.Account

const bareColumns = `id, name, COALESCE(business_id, ''), COALESCE(vat_id, ''), stage, COALESCE(tier, ''), COALESCE(segment, ''),
	COALESCE(industry_code, ''), COALESCE(industry, ''), COALESCE(revenue_band, ''), COALESCE(website, ''),
	COALESCE(visit_street, ''), COALESCE(visit_postal_code, ''), COALESCE(visit_city, ''), COALESCE(visit_country, ''),
	COALESCE(einvoice_address, ''), COALESCE(einvoice_operator, ''), COALESCE(parent_id, 0), COALESCE(owner_id, 0),
	COALESCE(team_id, 0), COALESCE(description, ''), version, created_at, updated_at`

func scanBare(s interface{ Scan(...any) error }, a *bareAccount) error {
	return s.Scan(&a.ID, &a.Name, &a.BusinessID, &a.VATID, &a.Stage, &a.Tier, &a.Segment, &a.IndustryCode, &a.Industry,
		&a.RevenueBand, &a.Website, &a.VisitingAddress.Street, &a.VisitingAddress.PostalCode, &a.VisitingAddress.City,
		&a.VisitingAddress.Country, &a.EInvoiceAddress, &a.EInvoiceOperator, &a.ParentID, &a.OwnerID, &a.TeamID,
		&a.Description, &a.Version, &a.CreatedAt, &a.UpdatedAt)
}

// bareHandler answers GET /accounts/{id} and GET /accounts with the same rows, read plainly.
func bareHandler(raw *sql.DB, postgres bool) http.Handler {
	ph := func(n int) string {
		if postgres {
			return "$" + strconv.Itoa(n)
		}
		return "?"
	}
	multi := func(a *bareAccount) {
		for _, q := range []struct {
			sql  string
			into *[]string
		}{{"SELECT email FROM emails WHERE entity = 'account' AND entity_id = " + ph(1), &a.Emails},
			{"SELECT phone FROM phones WHERE entity = 'account' AND entity_id = " + ph(1), &a.Phones},
			{"SELECT tag FROM tags WHERE entity = 'account' AND entity_id = " + ph(1), &a.Tags}} {
			rows, _ := raw.Query(q.sql, a.ID)
			for rows.Next() {
				var s string
				rows.Scan(&s)
				*q.into = append(*q.into, s)
			}
			rows.Close()
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		var a bareAccount
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		err := scanBare(raw.QueryRow("SELECT "+bareColumns+" FROM accounts WHERE id = "+ph(1), id), &a)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		multi(&a)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(a)
	})
	mux.HandleFunc("GET /accounts", func(w http.ResponseWriter, r *http.Request) {
		rows, err := raw.Query("SELECT " + bareColumns + " FROM accounts ORDER BY name_norm, id LIMIT 50")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		var list []*bareAccount
		byID := map[int64]*bareAccount{}
		var ids []any
		marks := ""
		for rows.Next() {
			var a bareAccount
			scanBare(rows, &a)
			list = append(list, &a)
			byID[a.ID] = &a
			ids = append(ids, a.ID)
			if marks != "" {
				marks += ", "
			}
			marks += ph(len(ids))
		}
		rows.Close()
		// the page's e-mails, phones and tags in one query, as any sensible handler would
		rows, err = raw.Query(`SELECT 0, entity_id, email FROM emails WHERE entity = 'account' AND entity_id IN (`+marks+`)
			UNION ALL SELECT 1, entity_id, phone FROM phones WHERE entity = 'account' AND entity_id IN (`+marks+`)
			UNION ALL SELECT 2, entity_id, tag FROM tags WHERE entity = 'account' AND entity_id IN (`+marks+`)`, repeatArgs(ids, postgres)...)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		for rows.Next() {
			var kind int
			var id int64
			var v string
			rows.Scan(&kind, &id, &v)
			a := byID[id]
			switch kind {
			case 0:
				a.Emails = append(a.Emails, v)
			case 1:
				a.Phones = append(a.Phones, v)
			default:
				a.Tags = append(a.Tags, v)
			}
		}
		rows.Close()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"items": list})
	})
	return mux
}

// repeatArgs gives the arguments of a query that uses the same list three times: once for numbered
// placeholders, three times for SQLite's "?".
func repeatArgs(ids []any, numbered bool) []any {
	if numbered {
		return ids
	}
	return append(append(append([]any{}, ids...), ids...), ids...)
}

func BenchmarkAPI(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			app, token, raw, ids := benchApp(b, backend)
			full := app.Server.Config.Handler
			bare := bareHandler(raw, backend == "postgres")
			run := func(b *testing.B, h http.Handler, path func(i int) string, auth bool) {
				b.RunParallel(func(pb *testing.PB) {
					i := 0
					for pb.Next() {
						i++
						req := httptest.NewRequest("GET", path(i), nil)
						if auth {
							req.Header.Set("Authorization", "Bearer "+token)
						}
						w := httptest.NewRecorder()
						h.ServeHTTP(w, req)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", req.URL, w.Code, w.Body)
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			}
			one := func(prefix string) func(int) string {
				return func(i int) string { return fmt.Sprintf("%s/%d", prefix, ids[(i*7919)%len(ids)]) }
			}
			b.Run("get/full", func(b *testing.B) { run(b, full, one("/api/v1/accounts"), true) })
			b.Run("get/bare", func(b *testing.B) { run(b, bare, one("/accounts"), false) })
			b.Run("list/full", func(b *testing.B) {
				run(b, full, func(int) string { return "/api/v1/accounts?limit=50" }, true)
			})
			b.Run("list/bare", func(b *testing.B) { run(b, bare, func(int) string { return "/accounts" }, false) })
		})
	}
}
