package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
)

// maxBulk is the most records one bulk change takes.
const maxBulk = 500

// BulkAction is one bulk change of a list ("owner", "stage", "tag"); the form field of the action's name
// holds its value.
type BulkAction struct {
	// Text says the value in words on the confirmation page; nil shows it as sent.
	Text func(ctx context.Context, pg *Page, value string) string
	// Apply changes record id; an error with a code (crm.Error) refuses that record only, and names it.
	Apply func(ctx context.Context, pg *Page, id int64, value string) error
}

type bulkView struct {
	*Page
	Kind                           *crm.Kind
	Action, Value, ValueText, Back string
	Items                          []Ref
}

// bulk serves POST PATH/bulk (id…, action, the action's value, back): first a page that shows what will
// change and asks to confirm; with confirm=1 the change, record by record. A record the user may not
// change is skipped and named in the result.
func (l List[R, Q]) bulk(s *Server) Handler {
	kind := l.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		ctx, p := r.Context(), pg.Principal
		r.ParseForm()
		back := SafeNext(r.PostFormValue("back"))
		if back == "/" {
			back = kind.Path
		}
		var ids []int64
		for _, v := range r.PostForm["id"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		name := r.PostFormValue("action")
		action, known := l.Bulk[name]
		value := strings.TrimSpace(r.PostFormValue(name))
		if len(ids) == 0 || value == "" || !known {
			s.Redirect(w, r, back, pg.T("bulk.nothing"))
			return
		}
		if len(ids) > maxBulk {
			s.Redirect(w, r, back, pg.T("bulk.too_many"))
			return
		}
		if r.PostFormValue("confirm") != "1" {
			view := bulkView{Page: pg, Kind: kind, Action: name, Value: value, ValueText: value, Back: back}
			if action.Text != nil {
				view.ValueText = action.Text(ctx, pg, value)
			}
			for _, id := range ids {
				if rec, err := l.Records.Use.Get(ctx, p, id); err == nil {
					view.Items = append(view.Items, l.Records.Ref(rec))
				}
			}
			pg.Title, pg.Nav = pg.T("bulk.title"), kind.ListPage
			s.Render(w, r, http.StatusOK, "bulk", view)
			return
		}
		changed := 0
		var refused []string
		for _, id := range ids {
			if err := action.Apply(ctx, pg, id, value); err != nil {
				if crm.CodeOf(err) == "" {
					s.Fail(w, r, pg, err)
					return
				}
				refused = append(refused, pg.ErrText(err))
				continue
			}
			changed++
		}
		msg := pg.N("bulk.changed", changed)
		if len(refused) > 0 {
			msg += " " + pg.N("bulk.refused", len(refused)) + ": " + strings.Join(refused, "; ")
		}
		s.Redirect(w, r, back, msg)
	}
}
