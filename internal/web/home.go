package web

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/services"

	"tili/internal/crm"
)

type homeView struct {
	*Page
	KeyAccounts []*crm.Account
	Recent      []recentItem
	Changed     []*crm.Account
}

type recentItem struct {
	Kind, Name, URL, Detail string
}

// GET /: the user's day, as far as tili knows it yet: their key accounts, what they looked at and what
// changed in their book lately.
func (s *Server) home(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, p := r.Context(), pg.Principal
	pg.Title, pg.Nav = pg.T("nav.home"), "home"
	view := homeView{Page: pg}
	key, err := s.svc.Accounts.List(ctx, p, services.AccountFilter{OwnerIDs: []int64{p.UserID}, Stages: []crm.Stage{crm.KeyAccount}, Limit: 10})
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.KeyAccounts = key.Items
	changed, err := s.svc.Accounts.List(ctx, p, services.AccountFilter{OwnerIDs: []int64{p.UserID}, Sort: "-updated", Limit: 8})
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.Changed = changed.Items
	for _, ref := range recentRefs(r, pg.Principal.UserID) {
		switch ref.kind {
		case "a":
			if a, err := s.svc.Accounts.Get(ctx, p, ref.id); err == nil && a.DeletedAt == nil {
				view.Recent = append(view.Recent, recentItem{Kind: crm.KindAccount.Name, Name: a.Name, URL: recordPath(crm.KindAccount, a.ID), Detail: pg.Enum("stage", a.Stage)})
			}
		case "c":
			if c, err := s.svc.Contacts.Get(ctx, p, ref.id); err == nil && c.DeletedAt == nil {
				view.Recent = append(view.Recent, recentItem{Kind: crm.KindContact.Name, Name: c.Name(), URL: recordPath(crm.KindContact, c.ID), Detail: c.Title})
			}
		}
	}
	s.render(w, r, http.StatusOK, "home", view)
}

type recentRef struct {
	kind string
	id   int64
}

const recentCookie = "tili_recent"

// recentRefs reads the records the browser showed user lately, newest first. They live in a cookie, so
// looking at a record writes nothing to the database; the cookie names its user, and another user on the
// same browser starts with an empty list.
func recentRefs(r *http.Request, user int64) []recentRef {
	c, err := r.Cookie(recentCookie)
	if err != nil {
		return nil
	}
	owner, list, _ := strings.Cut(c.Value, "_")
	if owner != "u"+itoa(user) {
		return nil
	}
	var out []recentRef
	for _, part := range strings.Split(list, ".") {
		kind, id, ok := strings.Cut(part, "-")
		n, err := strconv.ParseInt(id, 10, 64)
		if ok && err == nil && n > 0 && (kind == "a" || kind == "c") {
			out = append(out, recentRef{kind, n})
		}
	}
	return out
}

// rememberRecent puts a record first in the browser's recently viewed list (at most 8).
func rememberRecent(w http.ResponseWriter, r *http.Request, user int64, kind string, id int64) {
	list := []string{kind + "-" + itoa(id)}
	for _, ref := range recentRefs(r, user) {
		if (ref.kind != kind || ref.id != id) && len(list) < 8 {
			list = append(list, ref.kind+"-"+itoa(ref.id))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: recentCookie, Value: "u" + itoa(user) + "_" + strings.Join(list, "."), Path: "/", MaxAge: 90 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
