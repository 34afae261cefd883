// Package transfer reads and writes the files records travel in: CSV and XLSX exports now, imports later.
package transfer

import "fmt"

// Table is what an export writes: a header row and rows of cells, already formatted as text for people
// (dates, money) except where a cell is a number.
type Table struct {
	Sheet  string // XLSX sheet name; WriteXLSX makes it one Excel accepts (see sheetName)
	Header []string
	Rows   [][]Cell
}

// Cell is one value of a row.
type Cell struct {
	Text   string
	Number *float64 // when set, XLSX writes a number cell (CSV writes Text)
}

// TextCell is a cell of text. It is never written as a formula.
func TextCell(s string) Cell { return Cell{Text: s} }

// NumberCell is a number that XLSX stores as a number, so people can sum and sort it; text is how the
// CSV export and a reader show it ("1 234,50").
func NumberCell(f float64, text string) Cell { return Cell{Text: text, Number: &f} }

// checkRows refuses a row wider than the header: its extra cells would land in a column nobody named.
func checkRows(t Table) error {
	for i, r := range t.Rows {
		if len(r) > len(t.Header) {
			return fmt.Errorf("transfer: row %d has %d cells, the header only %d", i+1, len(r), len(t.Header))
		}
	}
	return nil
}
