package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tili/internal/crm"
	"tili/internal/i18n"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// formulas are names a spreadsheet would run as formulas if they arrived bare.
var formulas = []string{`=HYPERLINK("http://evil","x")`, `+1+1`, `@SUM(A1)`, `-2+3`}

// csvRows reads an export as CSV after its byte order mark, which it must start with.
func csvRows(t *testing.T, r *testutil.Response) [][]string {
	t.Helper()
	if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF")) {
		t.Errorf("%s: the CSV does not start with a UTF-8 byte order mark: %q", r.Request.URL, r.Body[:min(10, len(r.Body))])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: not CSV: %v", r.Request.URL, err)
	}
	return rows
}

// xlsxRows opens an export as a workbook and returns its first sheet's rows; it fails the test when a
// cell holds a formula.
func xlsxRows(t *testing.T, r *testutil.Response) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("%s: excelize cannot open the workbook: %v", r.Request.URL, err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("%s: cell %s holds the formula %q", r.Request.URL, cell, formula)
			}
		}
	}
	return rows
}

// column returns the cells under a header, the header row left out.
func column(t *testing.T, rows [][]string, header string) []string {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("an export without a header row")
	}
	i := slices.Index(rows[0], header)
	if i < 0 {
		t.Fatalf("no column %q in %q", header, rows[0])
	}
	var out []string
	for _, row := range rows[1:] {
		if i < len(row) {
			out = append(out, row[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// download checks the headers of a file download and returns its file name.
func download(t *testing.T, r *testutil.Response, contentType string) string {
	t.Helper()
	want(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, contentType) {
		t.Errorf("%s: Content-Type %q", r.Request.URL, ct)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("%s: Cache-Control %q", r.Request.URL, cc)
	}
	m := regexp.MustCompile(`^attachment; filename="([^"/\\]+)"$`).FindStringSubmatch(r.Header.Get("Content-Disposition"))
	if m == nil {
		t.Fatalf("%s: Content-Disposition %q names no file", r.Request.URL, r.Header.Get("Content-Disposition"))
	}
	return m[1]
}

func TestCompaniesExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var names []string
		for i := range 60 {
			a := w.company(t, &crm.Account{Name: fmt.Sprintf("Vienti %02d Oy", i), OwnerID: w.paivi.ID, Tags: []string{"vienti"}})
			names = append(names, a.Name)
		}
		for _, n := range formulas {
			names = append(names, w.company(t, &crm.Account{Name: n, OwnerID: w.paivi.ID, Tags: []string{"vienti"}}).Name)
		}
		phone := w.company(t, &crm.Account{Name: "Soitto Oy", OwnerID: w.paivi.ID, Tags: []string{"vienti"},
			Phones: []string{"+358 40 123 4567"}, Emails: []string{"info@soitto.fi"}, InternalNotes: "Maksaa myöhässä."})
		names = append(names, phone.Name)
		w.company(t, &crm.Account{Name: "Muu Oy", OwnerID: w.paivi.ID})                                     // not in the filter
		w.company(t, &crm.Account{Name: "Etelän Vienti Oy", OwnerID: w.sanna.ID, Tags: []string{"vienti"}}) // not the reader's
		slices.Sort(names)
		fi := func(key string) string { return w.T(i18n.Fi, key) }
		today := time.Now().In(mustZone(t, "Europe/Helsinki")).Format("2006-01-02")

		admin := w.browser(t, w.admin)
		// the list's export links carry its filter
		page := admin.Do("GET", "/companies?tag=vienti&owner="+itoa(w.paivi.ID), nil)
		links := map[string]string{}
		for _, m := range regexp.MustCompile(`href="(/companies/export\?format=(csv|xlsx)[^"]*)"`).FindAllSubmatch(page.Body, -1) {
			links[string(m[2])] = html.UnescapeString(string(m[1]))
		}
		if len(links) != 2 {
			t.Fatalf("the list offers the exports %v", links)
		}

		r := admin.Do("GET", links["csv"], nil)
		if name := download(t, r, "text/csv"); name != "yritykset-"+today+".csv" {
			t.Errorf("the CSV file is called %q", name)
		}
		rows := csvRows(t, r)
		got := column(t, rows, fi("field.name"))
		wantCells := slices.Clone(names)
		for i, n := range wantCells {
			if slices.Contains(formulas, n) {
				wantCells[i] = "'" + n // the spreadsheet shows it as text
			}
		}
		if !slices.Equal(sorted(got), sorted(wantCells)) {
			t.Errorf("the CSV export holds %d companies:\n%q\nwant %d:\n%q", len(got), got, len(wantCells), wantCells)
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("a CSV cell starts a formula: %q", cell)
				}
			}
		}
		phones := column(t, rows, fi("field.phones"))
		if i := slices.Index(got, "Soitto Oy"); i < 0 || !readablePhone(phones[i]) {
			t.Errorf("the phone +358 40 123 4567 is exported as %q", phones[max(i, 0)])
		}

		// internal notes are confidential: the administrator's export has them ...
		if notes, i := column(t, rows, fi("field.internal_notes")), slices.Index(got, "Soitto Oy"); i < 0 || notes[i] != "Maksaa myöhässä." {
			t.Errorf("the administrator's export lacks the internal notes: %q", notes)
		}

		csvAll := rows
		r = admin.Do("GET", links["xlsx"], nil)
		if name := download(t, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"); name != "yritykset-"+today+".xlsx" {
			t.Errorf("the XLSX file is called %q", name)
		}
		rows = xlsxRows(t, r)
		sameRows(t, csvAll, rows)
		got = column(t, rows, fi("field.name"))
		if !slices.Equal(sorted(got), names) {
			t.Errorf("the XLSX export holds %d companies:\n%q\nwant %d:\n%q", len(got), got, len(names), names)
		}
		phones = column(t, rows, fi("field.phones"))
		if i := slices.Index(got, "Soitto Oy"); i < 0 || !readablePhone(phones[i]) {
			t.Errorf("the phone +358 40 123 4567 is exported to XLSX as %q", phones[max(i, 0)])
		}

		// a read-only user exports what they see: their team's companies
		reader := w.browser(t, w.reader)
		r = reader.Do("GET", "/companies/export?format=csv&tag=vienti", nil)
		download(t, r, "text/csv")
		rows = csvRows(t, r)
		if got := column(t, rows, fi("field.name")); len(got) != len(names) || slices.Contains(got, "Etelän Vienti Oy") {
			t.Errorf("the read-only user's export: %d rows, the other team's company in it: %v", len(got), slices.Contains(got, "Etelän Vienti Oy"))
		}
		// ... and the read-only user's, who may not see them, has none
		if notes := column(t, rows, fi("field.internal_notes")); slices.ContainsFunc(notes, func(n string) bool { return n != "" }) {
			t.Errorf("the read-only user's export shows internal notes: %q", notes)
		}

		// each export is in the audit log: who, what, how many
		events, err := w.app.Svc.Users.AuditLog(context.Background(), bySystem, "export", 100, "")
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range events.Items {
			seen = append(seen, fmt.Sprintf("%d %s %s", e.ActorID, e.Entity, e.Detail))
		}
		for _, e := range []string{
			fmt.Sprintf("%d account format=csv rows=%d", w.admin.ID, len(names)),
			fmt.Sprintf("%d account format=xlsx rows=%d", w.admin.ID, len(names)),
			fmt.Sprintf("%d account format=csv rows=%d", w.reader.ID, len(names)),
		} {
			if !slices.Contains(seen, e) {
				t.Errorf("the audit log lacks the export %q: %q", e, seen)
			}
		}

		// a format that does not exist is not found, and writes no audit event
		want(t, admin.Do("GET", "/companies/export?format=pdf", nil), http.StatusNotFound)
		if again, _ := w.app.Svc.Users.AuditLog(context.Background(), bySystem, "export", 100, ""); len(again.Items) != len(events.Items) {
			t.Error("a refused export was audited")
		}
	})
}

func TestPeopleExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.company(t, &crm.Account{Name: "Väki Oy", OwnerID: w.paivi.ID})
		other := w.company(t, &crm.Account{Name: "Toinen Oy", OwnerID: w.paivi.ID})
		var last []string
		for i := range 55 {
			c := w.person(t, &crm.Contact{FirstName: "Henkilö", LastName: fmt.Sprintf("Numero%02d", i), AccountID: a.ID})
			last = append(last, c.LastName)
		}
		for i, n := range formulas {
			c := w.person(t, &crm.Contact{FirstName: "Kaava", LastName: n, AccountID: a.ID,
				Emails: []string{fmt.Sprintf("kaava%d@vaki.fi", i)}})
			last = append(last, c.LastName)
		}
		c := w.person(t, &crm.Contact{FirstName: "Puhelin", LastName: "Soittaja", AccountID: a.ID, Phones: []string{"+358 40 123 4567"}})
		last = append(last, c.LastName)
		w.person(t, &crm.Contact{FirstName: "Muu", LastName: "Ihminen", AccountID: other.ID})
		slices.Sort(last)
		fi := func(key string) string { return w.T(i18n.Fi, key) }

		reader := w.browser(t, w.reader)
		page := reader.Do("GET", "/people?account="+itoa(a.ID), nil)
		want(t, page, http.StatusOK)
		m := regexp.MustCompile(`href="(/people/export\?format=csv[^"]*)"`).FindSubmatch(page.Body)
		if m == nil {
			t.Fatal("the people list offers no CSV export")
		}
		r := reader.Do("GET", html.UnescapeString(string(m[1])), nil)
		if name := download(t, r, "text/csv"); !strings.HasPrefix(name, "henkilot-") || !strings.HasSuffix(name, ".csv") {
			t.Errorf("the CSV file is called %q", name)
		}
		rows := csvRows(t, r)
		got := column(t, rows, fi("field.last_name"))
		wantCells := slices.Clone(last)
		for i, n := range wantCells {
			if slices.Contains(formulas, n) {
				wantCells[i] = "'" + n
			}
		}
		if !slices.Equal(sorted(got), sorted(wantCells)) {
			t.Errorf("the people export holds %d people:\n%q\nwant %d:\n%q", len(got), got, len(wantCells), wantCells)
		}
		if companies := column(t, rows, fi("field.company")); slices.ContainsFunc(companies, func(s string) bool { return s != "Väki Oy" }) {
			t.Errorf("the people export names the companies %q", companies)
		}
		phones := column(t, rows, fi("field.phones"))
		if i := slices.Index(got, "Soittaja"); i < 0 || !readablePhone(phones[i]) {
			t.Errorf("the phone +358 40 123 4567 is exported as %q", phones[max(i, 0)])
		}

		r = reader.Do("GET", "/people/export?format=xlsx&account="+itoa(a.ID), nil)
		download(t, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		rows = xlsxRows(t, r)
		if got := column(t, rows, fi("field.last_name")); !slices.Equal(sorted(got), last) {
			t.Errorf("the XLSX people export holds %d people:\n%q\nwant %d", len(got), got, len(last))
		}
		events, err := w.app.Svc.Users.AuditLog(context.Background(), bySystem, "export", 100, "")
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range events.Items {
			seen = append(seen, fmt.Sprintf("%d %s %s", e.ActorID, e.Entity, e.Detail))
		}
		for _, format := range []string{"csv", "xlsx"} {
			if e := fmt.Sprintf("%d contact format=%s rows=%d", w.reader.ID, format, len(last)); !slices.Contains(seen, e) {
				t.Errorf("the audit log lacks %q: %q", e, seen)
			}
		}
	})
}

// sameRows checks that a CSV and an XLSX export hold the same cells, the CSV's formula guard aside.
func sameRows(t *testing.T, csvRows, xlsxRows [][]string) {
	t.Helper()
	if len(csvRows) != len(xlsxRows) {
		t.Errorf("the CSV has %d rows, the XLSX %d", len(csvRows), len(xlsxRows))
		return
	}
	for i, row := range csvRows {
		for j, c := range row {
			x := ""
			if j < len(xlsxRows[i]) {
				x = xlsxRows[i][j]
			}
			if c != x && c != "'"+x {
				t.Errorf("row %d column %q: CSV %q, XLSX %q", i+1, csvRows[0][j], c, x)
			}
		}
	}
}

// readablePhone tells whether a phone cell shows the number +358 40 123 4567 as a person dials it, in
// the international or national form (a CSV cell may keep a leading + as text with a quote before it),
// with nothing a spreadsheet would compute.
func readablePhone(cell string) bool {
	digits := strings.ReplaceAll(strings.TrimPrefix(cell, "'"), " ", "")
	return (digits == "+358401234567" && (cell[0] == '+' || strings.HasPrefix(cell, "'+"))) || (digits == "0401234567" && cell[0] == '0')
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
