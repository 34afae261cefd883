package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tili/internal/store"
	"tili/internal/store/storetest"
)

// The two migration trees must build the same schema: the same tables, columns, types (by the table of
// equivalents below), nullability, keys, foreign keys and indexes. The one intended difference is full
// text: an SQLite FTS5 table X_fts over X.search_text stands for PostgreSQL's generated tsvector column
// X.search with its GIN index X_search.
func TestSchemaParity(t *testing.T) {
	t.Parallel()
	server := os.Getenv("TILI_TEST_POSTGRES")
	if server == "" {
		t.Skip("TILI_TEST_POSTGRES is not set; the schema parity check needs both databases")
	}
	ctx := context.Background()
	lite := storetest.SQLite(t)
	raw, err := sql.Open("sqlite", "file:"+lite.Where()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sqliteSchema, fullText, err := readSQLiteSchema(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	pgURL := storetest.FreshPostgresURL(t, server)
	pg, err := store.Open(ctx, store.Options{URL: pgURL, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	rawPG, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rawPG.Close()
	pgSchema, err := readPostgresSchema(ctx, rawPG)
	if err != nil {
		t.Fatal(err)
	}
	if len(sqliteSchema) < 10 {
		t.Fatalf("read only %d tables from SQLite; the introspection is broken", len(sqliteSchema))
	}
	// the full-text stand-ins: present on PostgreSQL for each FTS table, then set aside
	for _, table := range fullText {
		pt := pgSchema[table]
		if pt == nil {
			continue // reported as a missing table below
		}
		if c, ok := pt.columns["search"]; !ok || c.typ != "tsvector" {
			t.Errorf("SQLite has a full-text table over %s; PostgreSQL needs the generated tsvector column %s.search", table, table)
		}
		if def, ok := pt.indexes[table+"_search"]; !ok || !strings.Contains(def, "usinggin") {
			t.Errorf("SQLite has a full-text table over %s; PostgreSQL needs the GIN index %s_search", table, table)
		}
		delete(pt.columns, "search")
		delete(pt.indexes, table+"_search")
	}
	for _, d := range compareSchemas(sqliteSchema, pgSchema) {
		t.Error(d)
	}
}

// column is a column as both databases can describe it.
type column struct {
	typ      string // the PostgreSQL type name; SQLite's declared type is mapped through sqliteTypes
	declared string // SQLite's declared type, for messages
	notNull  bool
}

type tableShape struct {
	columns map[string]column
	pk      string            // the primary key's columns, comma-separated
	uniques []string          // unique constraints' columns, each comma-separated, sorted
	indexes map[string]string // explicitly created indexes, by name: their normalised definition
	fks     []string          // "column -> table.column", sorted
}

// sqliteTypes is the table of equivalents: an SQLite declared type and the PostgreSQL type it stands for.
// INTEGER PRIMARY KEY is SQLite's row id; it stands for a bigint identity column.
var sqliteTypes = map[string]string{
	"INTEGER":   "integer",
	"BIGINT":    "bigint",
	"TEXT":      "text",
	"BOOLEAN":   "boolean",
	"TIMESTAMP": "timestamp with time zone",
	"BLOB":      "bytea",
	"REAL":      "double precision",
}

func compareSchemas(lite, pg map[string]*tableShape) []string {
	var out []string
	for name, lt := range lite {
		pt := pg[name]
		if pt == nil {
			out = append(out, fmt.Sprintf("table %s is in the SQLite migrations but not in the PostgreSQL ones", name))
			continue
		}
		for col, lc := range lt.columns {
			pc, ok := pt.columns[col]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("column %s.%s is only in the SQLite migrations", name, col))
			case lc.typ != pc.typ:
				out = append(out, fmt.Sprintf("column %s.%s is %s on SQLite (standing for %s) but %s on PostgreSQL", name, col, lc.declared, lc.typ, pc.typ))
			case lc.notNull != pc.notNull:
				out = append(out, fmt.Sprintf("column %s.%s is NOT NULL on one database only (SQLite %v, PostgreSQL %v)", name, col, lc.notNull, pc.notNull))
			}
		}
		for col := range pt.columns {
			if _, ok := lt.columns[col]; !ok {
				out = append(out, fmt.Sprintf("column %s.%s is only in the PostgreSQL migrations", name, col))
			}
		}
		if lt.pk != pt.pk {
			out = append(out, fmt.Sprintf("table %s: primary key (%s) on SQLite, (%s) on PostgreSQL", name, lt.pk, pt.pk))
		}
		if !slices.Equal(lt.uniques, pt.uniques) {
			out = append(out, fmt.Sprintf("table %s: unique constraints %v on SQLite, %v on PostgreSQL", name, lt.uniques, pt.uniques))
		}
		if !slices.Equal(lt.fks, pt.fks) {
			out = append(out, fmt.Sprintf("table %s: foreign keys %v on SQLite, %v on PostgreSQL", name, lt.fks, pt.fks))
		}
		for idx, ldef := range lt.indexes {
			pdef, ok := pt.indexes[idx]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("index %s is only in the SQLite migrations", idx))
			case ldef != pdef:
				out = append(out, fmt.Sprintf("index %s differs: %q on SQLite, %q on PostgreSQL", idx, ldef, pdef))
			}
		}
		for idx := range pt.indexes {
			if _, ok := lt.indexes[idx]; !ok {
				out = append(out, fmt.Sprintf("index %s is only in the PostgreSQL migrations", idx))
			}
		}
	}
	for name := range pg {
		if lite[name] == nil {
			out = append(out, fmt.Sprintf("table %s is in the PostgreSQL migrations but not in the SQLite ones", name))
		}
	}
	slices.Sort(out)
	return out
}

var (
	castRE  = regexp.MustCompile(`::[a-z ]+`)
	spaceRE = regexp.MustCompile(`[\s()"]+`)
)

// normIndex reduces an index definition to what both databases write alike: no schema, no default
// access method, no casts PostgreSQL adds, no quotes, parentheses or spaces.
func normIndex(def string) string {
	def = strings.ToLower(def)
	def = strings.ReplaceAll(def, "public.", "")
	def = strings.ReplaceAll(def, " using btree", "")
	def = castRE.ReplaceAllString(def, "")
	return spaceRE.ReplaceAllString(def, "")
}

// goose keeps its own table, in each dialect its own way.
const gooseTable = "goose_db_version"

// readSQLiteSchema describes the tables of an SQLite database, and lists the tables its FTS5 tables
// index (whose own shadow tables are left out).
func readSQLiteSchema(ctx context.Context, db *sql.DB) (map[string]*tableShape, []string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, nil, err
	}
	type tbl struct{ name, sql string }
	var all []tbl
	for rows.Next() {
		var t tbl
		if err := rows.Scan(&t.name, &t.sql); err != nil {
			rows.Close()
			return nil, nil, err
		}
		all = append(all, t)
	}
	rows.Close()
	contentRE := regexp.MustCompile(`content='([a-z_]+)'`)
	var virtual, fullText []string
	for _, t := range all {
		if strings.HasPrefix(t.sql, "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, t.name)
			m := contentRE.FindStringSubmatch(t.sql)
			if m == nil || !strings.Contains(t.sql, "fts5") {
				return nil, nil, fmt.Errorf("virtual table %s is not an FTS5 table over a content table; teach the parity test about it", t.name)
			}
			fullText = append(fullText, m[1])
		}
	}
	out := map[string]*tableShape{}
	for _, t := range all {
		if t.name == gooseTable || slices.ContainsFunc(virtual, func(v string) bool { return t.name == v || strings.HasPrefix(t.name, v+"_") }) {
			continue
		}
		shape := &tableShape{columns: map[string]column{}, indexes: map[string]string{}}
		cols, err := db.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY pk, cid`, t.name)
		if err != nil {
			return nil, nil, err
		}
		var pk []string
		for cols.Next() {
			var name, typ string
			var notNull, pkPos int
			if err := cols.Scan(&name, &typ, &notNull, &pkPos); err != nil {
				cols.Close()
				return nil, nil, err
			}
			mapped, ok := sqliteTypes[strings.ToUpper(typ)]
			if !ok {
				cols.Close()
				return nil, nil, fmt.Errorf("column %s.%s has the type %s, which the table of equivalents does not know", t.name, name, typ)
			}
			if pkPos > 0 {
				pk = append(pk, name)
				notNull = 1
			}
			shape.columns[name] = column{typ: mapped, declared: typ, notNull: notNull == 1}
		}
		cols.Close()
		// a primary key of one INTEGER column is SQLite's row id: a 64-bit identity
		if len(pk) == 1 && strings.EqualFold(shape.columns[pk[0]].declared, "INTEGER") {
			c := shape.columns[pk[0]]
			c.typ = "bigint"
			shape.columns[pk[0]] = c
		}
		shape.pk = strings.Join(pk, ",")
		idx, err := db.QueryContext(ctx, `SELECT l.name, l."unique", l.origin, COALESCE(m.sql, '') FROM pragma_index_list($1) l
			LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name`, t.name)
		if err != nil {
			return nil, nil, err
		}
		type index struct {
			name, origin, sql string
			unique            int
		}
		var indexes []index
		for idx.Next() {
			var i index
			if err := idx.Scan(&i.name, &i.unique, &i.origin, &i.sql); err != nil {
				idx.Close()
				return nil, nil, err
			}
			indexes = append(indexes, i)
		}
		idx.Close()
		for _, i := range indexes {
			switch i.origin {
			case "c":
				shape.indexes[i.name] = normIndex(i.sql)
			case "u":
				cols, err := indexColumns(ctx, db, i.name)
				if err != nil {
					return nil, nil, err
				}
				shape.uniques = append(shape.uniques, cols)
			}
		}
		slices.Sort(shape.uniques)
		fk, err := db.QueryContext(ctx, `SELECT "from", "table", "to" FROM pragma_foreign_key_list($1)`, t.name)
		if err != nil {
			return nil, nil, err
		}
		for fk.Next() {
			var from, table, to string
			if err := fk.Scan(&from, &table, &to); err != nil {
				fk.Close()
				return nil, nil, err
			}
			shape.fks = append(shape.fks, from+" -> "+table+"."+to)
		}
		fk.Close()
		slices.Sort(shape.fks)
		out[t.name] = shape
	}
	return out, fullText, nil
}

func indexColumns(ctx context.Context, db *sql.DB, index string) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, index)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", err
		}
		cols = append(cols, c)
	}
	return strings.Join(cols, ","), rows.Err()
}

// readPostgresSchema describes the tables of the public schema of a PostgreSQL database.
func readPostgresSchema(ctx context.Context, db *sql.DB) (map[string]*tableShape, error) {
	out := map[string]*tableShape{}
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM information_schema.tables
			WHERE table_schema = 'public' AND table_type = 'BASE TABLE') AND table_name <> $1`, gooseTable)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, name, typ, nullable string
		if err := rows.Scan(&table, &name, &typ, &nullable); err != nil {
			rows.Close()
			return nil, err
		}
		if out[table] == nil {
			out[table] = &tableShape{columns: map[string]column{}, indexes: map[string]string{}}
		}
		out[table].columns[name] = column{typ: typ, notNull: nullable == "NO"}
	}
	rows.Close()
	// keys and foreign keys, each with its columns in key order
	cons, err := db.QueryContext(ctx, `SELECT rel.relname, c.contype, COALESCE(ref.relname, ''),
			(SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
			COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
			COALESCE(idx.relname, '')
		FROM pg_constraint c JOIN pg_class rel ON rel.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
		LEFT JOIN pg_class ref ON ref.oid = c.confrelid LEFT JOIN pg_class idx ON idx.oid = c.conindid
		WHERE ns.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`)
	if err != nil {
		return nil, err
	}
	constraintIndex := map[string]bool{}
	for cons.Next() {
		var table, kind, ref, cols, refCols, index string
		if err := cons.Scan(&table, &kind, &ref, &cols, &refCols, &index); err != nil {
			cons.Close()
			return nil, err
		}
		shape := out[table]
		if shape == nil {
			continue
		}
		switch kind {
		case "p":
			shape.pk = cols
			constraintIndex[index] = true
		case "u":
			shape.uniques = append(shape.uniques, cols)
			constraintIndex[index] = true
		case "f":
			shape.fks = append(shape.fks, cols+" -> "+ref+"."+refCols)
		}
	}
	cons.Close()
	idx, err := db.QueryContext(ctx, `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`)
	if err != nil {
		return nil, err
	}
	for idx.Next() {
		var table, name, def string
		if err := idx.Scan(&table, &name, &def); err != nil {
			idx.Close()
			return nil, err
		}
		if shape := out[table]; shape != nil && !constraintIndex[name] {
			shape.indexes[name] = normIndex(def)
		}
	}
	idx.Close()
	for _, shape := range out {
		slices.Sort(shape.uniques)
		slices.Sort(shape.fks)
	}
	return out, nil
}
