// Package csvsafe writes CSV that is safe to open in a spreadsheet: a cell that a spreadsheet
// would run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with
// an apostrophe, which spreadsheets show as text.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// Writer writes UTF-8 CSV with a byte-order mark, so that spreadsheets read the accents right.
type Writer struct {
	w *csv.Writer
}

// NewWriter writes the byte-order mark and returns a writer.
func NewWriter(w io.Writer) *Writer {
	io.WriteString(w, "\ufeff")
	return &Writer{w: csv.NewWriter(w)}
}

// Cell neutralises a value that a spreadsheet would run as a formula.
func Cell(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}

// Uncell undoes Cell, for the imports that read back what the exports wrote: the apostrophe
// before a character that starts a formula is taken off.
func Uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r':
			return s[1:]
		}
	}
	return s
}

// Write writes one record.
func (w *Writer) Write(record ...string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return w.w.Write(safe)
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
