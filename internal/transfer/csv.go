package transfer

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// utf8BOM lets Excel recognise the file as UTF-8 (without it, ä and ö arrive as mojibake). It also keeps
// Excel from taking a file whose first header is "ID" for a SYLK file.
const utf8BOM = "\uFEFF"

// WriteCSV writes t as RFC 4180 CSV: UTF-8 with a byte order mark, comma-separated, CRLF after every
// record. Every text cell, header included, goes through Neutralize. A number cell is written as its
// Text, neutralised too unless that text is a bare number (see plainNumber). Rows shorter than the header
// are padded with empty fields, so every record has the same number of fields.
func WriteCSV(w io.Writer, t Table) error {
	if err := checkRows(t); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(utf8BOM)
	if len(t.Header) > 0 {
		for i, h := range t.Header {
			writeCSVField(bw, i, Neutralize(h), len(t.Header))
		}
		bw.WriteString("\r\n")
	}
	for _, row := range t.Rows {
		for i := range t.Header {
			var s string
			if i < len(row) {
				s = csvText(row[i])
			}
			writeCSVField(bw, i, s, len(t.Header))
		}
		bw.WriteString("\r\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("transfer: write csv: %w", err)
	}
	return nil
}

func csvText(c Cell) string {
	if c.Number != nil && plainNumber(c.Text) {
		return c.Text
	}
	return Neutralize(c.Text)
}

// writeCSVField writes field i of a record of n fields. Line breaks inside a quoted field are kept byte
// for byte; encoding/csv's writer, with CRLF line ends, would rewrite LF to CRLF and drop a lone CR.
func writeCSVField(bw *bufio.Writer, i int, s string, n int) {
	if i > 0 {
		bw.WriteByte(',')
	}
	// A record of one empty field would be a blank line, which most readers skip as no record at all.
	if !needsQuotes(s) && !(n == 1 && s == "") {
		bw.WriteString(s)
		return
	}
	bw.WriteByte('"')
	for {
		j := strings.IndexByte(s, '"')
		if j < 0 {
			break
		}
		bw.WriteString(s[:j+1])
		bw.WriteByte('"')
		s = s[j+1:]
	}
	bw.WriteString(s)
	bw.WriteByte('"')
}

// needsQuotes also quotes a field with a semicolon: Excel in locales whose list separator is ";"
// (Finnish, Swedish, German, …) splits on it, and honours quotes around it. Leading or trailing spaces
// are quoted so that a reader that trims unquoted fields keeps them.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	return strings.ContainsAny(s, ",\";\r\n")
}
