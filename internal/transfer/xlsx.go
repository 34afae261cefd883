package transfer

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

const (
	maxColWidth = 60
	minColWidth = 6
)

// WriteXLSX writes t as a workbook with one sheet: the header row bold and frozen, columns sized to their
// content (up to 60 characters wide), text cells as strings and number cells as numbers.
//
// Text cells are not neutralised here: a cell typed as a string is never evaluated, in Excel,
// LibreOffice or Google Sheets, so "=1+1" and "+358 40 123 4567" arrive as exactly that text. No cell
// is ever written with a formula. A number that is NaN or infinite, which XLSX cannot hold, is written
// as its Text. Excel holds at most 32 767 characters in a cell; longer text is cut there. Control
// characters other than tab and line breaks are dropped.
//
// The rows go through excelize's stream writer, which spills the sheet to a temporary file past 16 MiB,
// so the uncompressed sheet is never held in memory; the compressed workbook is, until it is copied to w.
func WriteXLSX(w io.Writer, t Table) (err error) {
	if err := checkRows(t); err != nil {
		return err
	}
	if len(t.Rows)+1 > excelize.TotalRows {
		return fmt.Errorf("transfer: %d rows do not fit in an XLSX sheet (at most %d)", len(t.Rows), excelize.TotalRows-1)
	}
	if len(t.Header) > excelize.MaxColumns {
		return fmt.Errorf("transfer: %d columns do not fit in an XLSX sheet (at most %d)", len(t.Header), excelize.MaxColumns)
	}
	f := excelize.NewFile()
	defer func() {
		// Close removes the stream writer's temporary file.
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("transfer: write xlsx: %w", cerr)
		}
	}()
	if err := writeSheet(f, t); err != nil {
		return fmt.Errorf("transfer: write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("transfer: write xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, t Table) error {
	sheet := sheetName(t.Sheet)
	if sheet != f.GetSheetName(0) {
		if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// Widths and panes must be set before the first row.
	for i, width := range columnWidths(t) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if len(t.Header) > 0 {
		if err := sw.SetPanes(&excelize.Panes{
			Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
		}); err != nil {
			return err
		}
	}
	values := make([]any, len(t.Header))
	for i, h := range t.Header {
		values[i] = excelize.Cell{StyleID: bold, Value: dropControls(h)}
	}
	n := 1
	if len(t.Header) > 0 {
		if err := sw.SetRow("A1", values); err != nil {
			return err
		}
		n++
	}
	for _, row := range t.Rows {
		values = values[:len(row)]
		for i, c := range row {
			values[i] = xlsxValue(c)
		}
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, values); err != nil {
			return err
		}
		n++
	}
	return sw.Flush()
}

// xlsxValue is what the stream writer gets for c: a float64 becomes a number cell, a string an inline
// string cell, nil no cell at all. A plain string never becomes a formula in excelize's stream writer;
// only excelize.Cell.Formula does, and that is never set here.
func xlsxValue(c Cell) any {
	if c.Number != nil && !math.IsNaN(*c.Number) && !math.IsInf(*c.Number, 0) {
		return *c.Number
	}
	if c.Text == "" {
		return nil
	}
	return dropControls(c.Text)
}

// dropControls removes the control characters other than tab, LF and CR: XML cannot carry them, and
// excelize would turn each into U+FFFD, a visible "�" where Excel would have shown nothing.
func dropControls(s string) string {
	clean := func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }
	if strings.IndexFunc(s, clean) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if clean(r) {
			return -1
		}
		return r
	}, s)
}

// columnWidths sizes each column to its longest line of text, in characters, between minColWidth and
// maxColWidth. Bold header text is a little wider.
func columnWidths(t Table) []float64 {
	longest := make([]float64, len(t.Header))
	for i, h := range t.Header {
		longest[i] = float64(longestLine(h)) * 1.1
	}
	for _, row := range t.Rows {
		for i, c := range row {
			if l := float64(longestLine(c.Text)); l > longest[i] {
				longest[i] = l
			}
		}
	}
	for i, l := range longest {
		longest[i] = min(max(math.Ceil(l)+2, minColWidth), maxColWidth)
	}
	return longest
}

func longestLine(s string) int {
	if len(s) <= maxColWidth && strings.IndexByte(s, '\n') < 0 {
		return utf8.RuneCountInString(s)
	}
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		longest = max(longest, utf8.RuneCountInString(line))
	}
	return longest
}

// sheetName makes s a sheet name Excel accepts: at most 31 characters, none of []:*?/\ (each becomes
// "-") or control characters, no ' at either end, not empty ("Sheet1") and not "History", which
// Excel reserves.
func sheetName(s string) string {
	var b strings.Builder
	units := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			r = '-'
		case unicode.IsControl(r), r == utf8.RuneError:
			continue
		}
		// Excel counts UTF-16 units; a character outside the BMP takes two.
		if units+utf16.RuneLen(r) > excelize.MaxSheetNameLength {
			break
		}
		units += utf16.RuneLen(r)
		b.WriteRune(r)
	}
	name := strings.Trim(b.String(), "' ")
	switch {
	case name == "":
		return "Sheet1"
	case strings.EqualFold(name, "History"):
		return name + " 1"
	}
	return name
}
