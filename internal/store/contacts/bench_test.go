package contacts

// Benchmarks of the customer base at realistic sizes, each next to its physical limit measured in the
// same run. They are slow and only run with -bench; figures go to bench/README.md. The databases of
// the search and list benchmarks are built once and kept (SQLite under the system temp directory,
// PostgreSQL as database tili_bench_N on TILI_TEST_POSTGRES) so reruns start at once; delete them to
// rebuild.
//
//	go test ./internal/store/contacts -run '^$' -bench 'Insert' -benchtime 1x -timeout 2h
//	go test ./internal/store/contacts -run '^$' -bench 'Search|ListPage' -timeout 2h

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
	searchstore "tili/internal/store/search"
)

var benchFirst = []string{"Matti", "Mikko", "Timo", "Juha", "Jari", "Kari", "Antti", "Jukka", "Pekka", "Mika", "Hannu",
	"Heikki", "Sami", "Janne", "Petri", "Ville", "Ari", "Markku", "Teemu", "Tuomas", "Lauri", "Jussi", "Eero", "Aleksi",
	"Väinö", "Yrjö", "Onni", "Eino", "Toivo", "Niilo", "Ilmari", "Olavi", "Tapio", "Kalevi", "Johannes", "Elias",
	"Anne", "Tuula", "Päivi", "Anna", "Leena", "Sari", "Minna", "Tiina", "Marja", "Riitta", "Pirjo", "Sanna", "Kaisa",
	"Johanna", "Hanna", "Laura", "Maria", "Elina", "Aino", "Eeva", "Satu", "Heli", "Jaana", "Outi", "Mervi", "Säde",
	"Åsa", "Björn", "Göran", "Linnéa", "Jörg", "Sören", "Ängel", "Øystein", "Łukasz", "Zoë", "Chloé", "René", "Noël",
	"Helmi", "Venla", "Iida", "Emma", "Sofia", "Olivia", "Aada", "Lumi", "Ella", "Pihla", "Oona", "Isla", "Aurora"}

var benchStems = []string{"Virta", "Mäki", "Koski", "Lehto", "Niemi", "Salo", "Lai", "Heikki", "Kallio", "Järvi",
	"Korho", "Nieme", "Hämä", "Kärk", "Pöllä", "Räsä", "Ylö", "Tuomi", "Ranta", "Karja", "Pitkä", "Väätä", "Aho",
	"Lähteen", "Kääriä", "Öst", "Lind", "Sjö", "Holm", "Berg", "Ström", "Björk", "Forsb", "Grön", "Sund", "Wik",
	"Kivi", "Hieta", "Saari", "Laakso", "Suo", "Pelto", "Harju", "Mänty", "Koivu", "Pihla", "Lepp", "Haa", "Tammi"}

var benchSuffixes = []string{"nen", "la", "lä", "sto", "maa", "niemi", "oja", "aho", "lainen", "mäki", "vaara",
	"qvist", "man", "berg", "ström", "dahl", "", "io", "koski", "järvi"}

// benchPeople returns n people like the ones an import brings: a name, one e-mail address and one mobile
// number each, deterministic for a given n.
func benchPeople(n int) []*crm.Contact {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	people := make([]*crm.Contact, n)
	for i := range people {
		first := benchFirst[r.IntN(len(benchFirst))]
		last := benchStems[r.IntN(len(benchStems))] + benchSuffixes[r.IntN(len(benchSuffixes))]
		people[i] = &crm.Contact{
			FirstName: first, LastName: last, Kind: "b2b",
			Emails: []string{fmt.Sprintf("%s.%s.%d@yritys%d.fi", strings.Join(crm.Words(first), ""), strings.Join(crm.Words(last), ""), i, i%5000)},
			Phones: []string{fmt.Sprintf("04%d %03d %04d", r.IntN(2)*5, r.IntN(1000), i%10000)},
		}
	}
	return people
}

// benchDB opens a fresh database of backend for a benchmark and returns it with a function that drops it.
func benchDB(b *testing.B, backend string) *store.DB {
	b.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	switch backend {
	case "sqlite":
		db, err = store.Open(ctx, store.Options{DataDir: b.TempDir(), Migrate: true})
	case "postgres":
		db, err = store.Open(ctx, store.Options{URL: benchPostgresURL(b, fmt.Sprintf("tili_bench_tmp_%d", rand.Uint64()), true), Migrate: true})
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchPostgresURL returns the URL of database name on TILI_TEST_POSTGRES, creating it when missing;
// temporary ones are dropped when the benchmark ends.
func benchPostgresURL(b *testing.B, name string, temporary bool) string {
	b.Helper()
	server := os.Getenv("TILI_TEST_POSTGRES")
	if server == "" {
		b.Skip("TILI_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		b.Fatal(err)
	}
	var exists bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			b.Fatal(err)
		}
	}
	if temporary {
		b.Cleanup(func() { admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); admin.Close() })
	} else {
		admin.Close()
	}
	u, _ := url.Parse(server)
	u.Path = "/" + name
	return u.String()
}

var benchBackends = []string{"sqlite", "postgres"}

// BenchmarkInsertContacts writes people through the batch path imports use: validation, folding, the
// rows of the person, their e-mail and phone, one history line each and the search index, 1 000 per
// transaction.
func BenchmarkInsertContacts(b *testing.B) {
	for _, backend := range benchBackends {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%dk", backend, n/1000), func(b *testing.B) {
				people := benchPeople(n)
				for b.Loop() {
					b.StopTimer()
					db := benchDB(b, backend)
					batch := make([]*crm.Contact, n)
					for i, p := range people {
						c := *p
						batch[i] = &c
					}
					b.StartTimer()
					for _, c := range batch {
						if err := c.Validate("FI"); err != nil {
							b.Fatal(err)
						}
					}
					if err := createContacts(context.Background(), db, store.Actor{Source: crm.SourceImport}, batch); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// createContacts writes people through the batch path as an import does: store.BatchSize to a transaction.
func createContacts(ctx context.Context, db *store.DB, by store.Actor, cs []*crm.Contact) error {
	for start := 0; start < len(cs); start += store.BatchSize {
		batch := cs[start:min(start+store.BatchSize, len(cs))]
		if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return CreateBatch(ctx, tx, by, batch, start) }); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkInsertContactsRaw is the physical limit for the same rows: a plain prepared INSERT of the
// person's columns (folded values computed beforehand) and of their e-mail and phone rows, into the
// same tables with the same indexes, 1 000 people per transaction, with no history and no checks; the
// full-text index is built afterwards in one rebuild.
func BenchmarkInsertContactsRaw(b *testing.B) {
	for _, backend := range benchBackends {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%dk", backend, n/1000), func(b *testing.B) {
				people := benchPeople(n)
				for _, c := range people {
					if err := c.Validate("FI"); err != nil {
						b.Fatal(err)
					}
				}
				rows := make([][]any, n)
				cols, _ := contactRow(&crm.Contact{})
				now := time.Now().UTC()
				for i, c := range people {
					_, vals := contactRow(c)
					rows[i] = append(vals, now, now, nil, nil)
				}
				cols = append(cols, "created_at", "updated_at", "created_by", "updated_by")
				for b.Loop() {
					b.StopTimer()
					db := benchDB(b, backend)
					ctx := context.Background()
					// the index is built afterwards: no trigger per row on SQLite, no GIN index on PostgreSQL
					for _, stmt := range dropSearchIndex(db) {
						if err := execOne(ctx, db, stmt); err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
					if err := rawInsert(ctx, db, cols, rows, people); err != nil {
						b.Fatal(err)
					}
					for _, stmt := range rebuildSearchIndex(db) {
						if err := execOne(ctx, db, stmt); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

func rawInsert(ctx context.Context, db *store.DB, cols []string, rows [][]any, people []*crm.Contact) error {
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	for start := 0; start < len(rows); start += store.BatchSize {
		if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			return rawBatch(ctx, tx, cols, ph, rows, people, start)
		}); err != nil {
			return err
		}
	}
	return nil
}

// rawBatch writes the people from start on, store.BatchSize of them, with plain prepared INSERTs.
func rawBatch(ctx context.Context, tx *store.Tx, cols, ph []string, rows [][]any, people []*crm.Contact, start int) error {
	{
		ins, err := tx.Prepare(ctx, `INSERT INTO contacts (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`) RETURNING id`)
		if err != nil {
			return err
		}
		email, err := tx.Prepare(ctx, `INSERT INTO emails (entity, entity_id, position, email, email_norm, domain, live) VALUES ('contact', $1, 0, $2, $3, $4, TRUE)`)
		if err != nil {
			return err
		}
		phone, err := tx.Prepare(ctx, `INSERT INTO phones (entity, entity_id, position, phone) VALUES ('contact', $1, 0, $2)`)
		if err != nil {
			return err
		}
		for i := start; i < min(start+store.BatchSize, len(rows)); i++ {
			var id int64
			if err := ins.QueryRowContext(ctx, rows[i]...).Scan(&id); err != nil {
				return err
			}
			e := people[i].Emails[0]
			if _, err := email.ExecContext(ctx, id, e, crm.EmailKey(e), crm.EmailDomain(e)); err != nil {
				return err
			}
			if _, err := phone.ExecContext(ctx, id, people[i].Phones[0]); err != nil {
				return err
			}
		}
		ins.Close()
		email.Close()
		phone.Close()
	}
	return nil
}

// execOne runs one statement in a transaction of its own.
func execOne(ctx context.Context, db *store.DB, stmt string) error {
	return db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, stmt)
		return err
	})
}

// dropSearchIndex returns the statements that stop maintaining the full-text index row by row, and
// rebuildSearchIndex those that build it again in one pass: the bulk-load path of the raw limit.
func dropSearchIndex(db *store.DB) []string {
	if db.Backend() == "postgres" {
		return []string{`DROP INDEX contacts_search`}
	}
	return []string{`DROP TRIGGER contacts_fts_insert`}
}

func rebuildSearchIndex(db *store.DB) []string {
	if db.Backend() == "postgres" {
		return []string{`CREATE INDEX contacts_search ON contacts USING gin (search)`}
	}
	return []string{`INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')`,
		`CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
		    INSERT INTO contacts_fts(rowid, search_text) VALUES (new.id, new.search_text);
		END`}
}

// searchDB returns a database of backend holding n benchmark people, built once and kept.
func searchDB(b *testing.B, backend string, n int) *store.DB {
	b.Helper()
	ctx := context.Background()
	var o store.Options
	switch backend {
	case "sqlite":
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("tili-bench-%d", n))
		o = store.Options{DataDir: dir, Migrate: true}
	case "postgres":
		o = store.Options{URL: benchPostgresURL(b, fmt.Sprintf("tili_bench_%d", n), false), Migrate: true}
	}
	db, err := store.Open(ctx, o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var have int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM contacts`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have != n {
		if have != 0 {
			b.Fatalf("%s holds %d people, not %d: delete it to rebuild", db.Where(), have, n)
		}
		b.Logf("building %s with %d people (once)", db.Where(), n)
		people := benchPeople(n)
		for _, c := range people {
			c.Validate("FI")
		}
		if err := createContacts(ctx, db, store.Actor{Source: crm.SourceImport}, people); err != nil {
			b.Fatal(err)
		}
		if err := db.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// searchMix returns queries as people type them: a third surname prefixes of 3–6 letters, a third
// first-name prefixes of 3–5 letters, a third "first-name-prefix surname-prefix" of the same lengths.
func searchMix(r *rand.Rand, count int) []string {
	prefix := benchPrefix(r)
	qs := make([]string, count)
	for i := range qs {
		first := benchFirst[r.IntN(len(benchFirst))]
		last := benchStems[r.IntN(len(benchStems))] + benchSuffixes[r.IntN(len(benchSuffixes))]
		switch i % 3 {
		case 0:
			qs[i] = prefix(last, 3, 6)
		case 1:
			qs[i] = prefix(first, 3, 5)
		default:
			qs[i] = prefix(first, 3, 5) + " " + prefix(last, 3, 6)
		}
	}
	return qs
}

// benchPrefix returns a function that cuts the lower-cased start of lo to hi letters off a name.
func benchPrefix(r *rand.Rand) func(s string, lo, hi int) string {
	return func(s string, lo, hi int) string {
		runes := []rune(strings.ToLower(s))
		n := min(lo+r.IntN(hi-lo+1), len(runes))
		return string(runes[:n])
	}
}

// shortPairs returns two words of one or two letters each, "ka k" or "m vi", as the search box sends
// them while someone types a first name and a surname: the word searches that match the most people.
func shortPairs(r *rand.Rand, count int) []string {
	prefix := benchPrefix(r)
	qs := make([]string, count)
	for i := range qs {
		first := benchFirst[r.IntN(len(benchFirst))]
		last := benchStems[r.IntN(len(benchStems))]
		qs[i] = prefix(first, 1, 2) + " " + prefix(last, 1, 2)
	}
	return qs
}

// typeAhead returns one- and two-letter prefixes, as a search box sends them on the first keys.
func typeAhead(r *rand.Rand, count int) []string {
	qs := make([]string, count)
	for i := range qs {
		name := benchFirst[r.IntN(len(benchFirst))]
		if i%2 == 0 {
			name = benchStems[r.IntN(len(benchStems))]
		}
		qs[i] = string([]rune(strings.ToLower(name))[:1+i%2])
	}
	return qs
}

// reportLatencies adds p50, p95 and p99 of ds in milliseconds to the benchmark's output.
func reportLatencies(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkSearch runs the query mix over a million people, 20 results a query as the search box asks,
// and the one- and two-letter queries of the first keys: single words (type-ahead) and pairs.
func BenchmarkSearch(b *testing.B) {
	for _, backend := range benchBackends {
		for _, kind := range []string{"mix", "type-ahead", "short-pairs"} {
			b.Run(backend+"/1000k/"+kind, func(b *testing.B) {
				db := searchDB(b, backend, 1_000_000)
				r := rand.New(rand.NewPCG(7, 7))
				queries := searchMix(r, 3000)
				switch kind {
				case "type-ahead":
					queries = typeAhead(r, 1000)
				case "short-pairs":
					queries = shortPairs(r, 1000)
				}
				var ds []time.Duration
				hits := 0
				for i := 0; b.Loop(); i++ {
					q := queries[i%len(queries)]
					start := time.Now()
					page, err := searchstore.Find(context.Background(), db.Reader, store.ScopeAll, q, 20, "")
					if err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(start))
					hits += len(page.Items)
				}
				if hits == 0 {
					b.Fatal("no query found anything")
				}
				reportLatencies(b, ds)
			})
		}
	}
}

// BenchmarkListPage reads a page of 50 people at a random place in a list of a million, by name.
func BenchmarkListPage(b *testing.B) {
	for _, backend := range benchBackends {
		b.Run(backend+"/1000k", func(b *testing.B) {
			db := searchDB(b, backend, 1_000_000)
			ctx := context.Background()
			// cursors spread over the whole list
			rows, err := db.Query(ctx, `SELECT sort_norm, id FROM contacts WHERE id % 997 = 0`)
			if err != nil {
				b.Fatal(err)
			}
			var cursors []string
			for rows.Next() {
				var c store.Cursor
				rows.Scan(&c.Key, &c.ID)
				cursors = append(cursors, c.Encode())
			}
			rows.Close()
			r := rand.New(rand.NewPCG(3, 3))
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				page, err := List(ctx, db.Reader, store.ScopeAll, Filter{Limit: 50, After: cursors[r.IntN(len(cursors))]})
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				if len(page.Items) == 0 {
					b.Fatal("empty page")
				}
			}
			reportLatencies(b, ds)
		})
	}
}
