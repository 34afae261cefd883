package web

import (
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"tili/internal/crm"
	"tili/internal/transfer"
)

// maxExportRows caps one export; a bigger one is refused with a hint to filter.
const maxExportRows = 100_000

// exportPage is how many records the export reads at a time.
const exportPage = 1000

// Export is a list's export: the current view, every page of it, as a CSV or Excel file.
type Export[R any] struct {
	// Header are the message keys of the columns, in order.
	Header []string
	// Rows turns one page of records into rows of cells, a cell per column of Header.
	Rows func(r *http.Request, pg *Page, names Names, page []R) ([][]transfer.Cell, error)
}

// Names name the owners and teams of exported rows.
type Names struct {
	Users, Teams map[int64]string
}

// export serves GET PATH/export?format=csv or xlsx: the records of the current view, every page of them.
func (l List[R, Q]) export(s *Server) Handler {
	kind := l.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		format := r.URL.Query().Get("format")
		if format != "csv" && format != "xlsx" {
			s.Fail(w, r, pg, crm.Errorf(crm.NotFound, "there is no %s export; use csv or xlsx", format))
			return
		}
		t := transfer.Table{Sheet: pg.T("nav." + kind.ListPage)}
		for _, h := range l.Export.Header {
			t.Header = append(t.Header, pg.T(h))
		}
		for row, err := range l.exportRows(s, r, pg) {
			if err != nil {
				s.Fail(w, r, pg, err)
				return
			}
			if len(t.Rows) == maxExportRows {
				s.Fail(w, r, pg, crm.Errorf(crm.Invalid, "%s", pg.T("export.too_big", "max", pg.Num(maxExportRows))))
				return
			}
			t.Rows = append(t.Rows, row)
		}
		s.writeExport(w, r, pg, kind.Name, pg.T("export."+kind.ListPage+"_file"), format, t)
	}
}

// exportRows is the rows of the list's current view, read a page at a time; an error ends them.
func (l List[R, Q]) exportRows(s *Server, r *http.Request, pg *Page) iter.Seq2[[]transfer.Cell, error] {
	return func(yield func([]transfer.Cell, error) bool) {
		q := url.Values{}
		for k, vs := range r.URL.Query() {
			q[k] = vs
		}
		q.Set("limit", fmt.Sprint(exportPage))
		users, teams, err := s.usersAndTeams(r.Context(), pg)
		if err != nil {
			yield(nil, err)
			return
		}
		names := Names{Users: UserNames(users), Teams: TeamNames(teams)}
		for {
			f, err := l.Filter(q, pg)
			if err != nil {
				yield(nil, err)
				return
			}
			page, err := l.Find(r.Context(), pg.Principal, f)
			if err != nil {
				yield(nil, err)
				return
			}
			rows, err := l.Export.Rows(r, pg, names, page.Items)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, row := range rows {
				if !yield(row, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			q.Set("after", page.Next)
		}
	}
}

// writeExport sends a table as a file download and notes the export in the audit log.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, pg *Page, entity, name, format string, t transfer.Table) {
	if err := s.svc.RecordExport(r.Context(), pg.Principal, entity, format, len(t.Rows)); err != nil {
		s.Fail(w, r, pg, err)
		return
	}
	file := fmt.Sprintf("%s-%s.%s", name, s.clock.Now().In(pg.Loc).Format("2006-01-02"), format)
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	w.Header().Set("Cache-Control", "no-store")
	var err error
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = transfer.WriteCSV(w, t)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = transfer.WriteXLSX(w, t)
	}
	if err != nil {
		s.log.Error("export", "err", err)
	}
}
