// Package textout writes the plain-text reports of the example programs:
// lines, section titles and aligned tables to one writer, keeping the first
// write error so a program checks once at the end.
package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Printer writes lines to a writer and keeps the first write error; after
// an error it writes nothing more.
type Printer struct {
	w   io.Writer
	err error
}

// New returns a Printer that writes to w.
func New(w io.Writer) *Printer { return &Printer{w: w} }

// Linef writes one line formatted as by fmt.Sprintf.
func (p *Printer) Linef(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// Section writes a blank line and the title as "== title ==".
func (p *Printer) Section(title string) {
	p.Linef("\n== %s ==", title)
}

// Table writes the header and rows (cells separated by tabs) aligned in
// columns two spaces apart.
func (p *Printer) Table(header string, rows []string) {
	if p.err != nil {
		return
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, r)
	}
	p.err = tw.Flush()
}

// Err returns the first write error, or nil.
func (p *Printer) Err() error { return p.err }

// FirstLine returns the first line of err's message ("" for nil): errors
// that join several violations print one line each.
func FirstLine(err error) string {
	if err == nil {
		return ""
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
