package web

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
)

type bulkView struct {
	*Page
	Action, Value, ValueText, Back string
	Items                          []*crm.Account
}

// POST /companies/bulk (id…, action owner|stage|tag, owner, stage, tag): first a page that shows what
// will change and asks to confirm; with confirm=1 the change, company by company. A company the user
// may not change is skipped and named in the result.
func (s *Server) companiesBulk(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, p := r.Context(), pg.Principal
	r.ParseForm()
	back := safeNext(r.PostFormValue("back"))
	if back == "/" {
		back = "/companies"
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	action := r.PostFormValue("action")
	value := strings.TrimSpace(r.PostFormValue(action))
	if len(ids) == 0 || value == "" || (action != "owner" && action != "stage" && action != "tag") {
		s.redirect(w, r, back, pg.T("bulk.nothing"))
		return
	}
	if len(ids) > 500 {
		s.redirect(w, r, back, pg.T("bulk.too_many"))
		return
	}
	view := bulkView{Page: pg, Action: action, Value: value, ValueText: value, Back: back}
	switch action {
	case "owner":
		id, _ := strconv.ParseInt(value, 10, 64)
		if u, err := s.svc.Users.Get(ctx, p, id); err == nil {
			view.ValueText = u.Name
		}
	case "stage":
		view.ValueText = pg.Enum("stage", value)
	}
	if r.PostFormValue("confirm") != "1" {
		for _, id := range ids {
			if a, err := s.svc.Accounts.Get(ctx, p, id); err == nil {
				view.Items = append(view.Items, a)
			}
		}
		pg.Title, pg.Nav = pg.T("bulk.title"), "companies"
		s.render(w, r, http.StatusOK, "bulk", view)
		return
	}
	changed := 0
	var refused []string
	for _, id := range ids {
		if err := s.bulkOne(r, pg, id, action, value); err != nil {
			if crm.CodeOf(err) == "" {
				s.fail(w, r, pg, err)
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
	s.redirect(w, r, back, msg)
}

func (s *Server) bulkOne(r *http.Request, pg *Page, id int64, action, value string) error {
	ctx, p := r.Context(), pg.Principal
	if action == "owner" {
		owner, _ := strconv.ParseInt(value, 10, 64)
		_, err := s.svc.Accounts.Reassign(ctx, p, id, owner, 0)
		return err
	}
	a, err := s.svc.Accounts.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if action == "stage" {
		a.Stage = crm.Stage(value)
	} else {
		a.Tags = append(a.Tags, value)
	}
	_, err = s.svc.Accounts.Update(ctx, p, a)
	if e, ok := crm.AsError(err); ok {
		return crm.Errorf(e.Code, "%s: %s", a.Name, pg.Problem(e).Message)
	}
	return err
}
