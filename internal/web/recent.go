package web

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
)

// recentCookie holds the records a browser showed its user lately. They live in a cookie, so looking at
// a record writes nothing to the database; the cookie names its user, and another user on the same
// browser starts with an empty list.
const recentCookie = "tili_recent"

// RecentItem is a record of the recently viewed list.
type RecentItem struct {
	Kind, Name, URL, Detail string
}

type recentRef struct {
	kind *RecordKind
	id   int64
}

// recentRefs reads the records the browser showed user lately, newest first, of the kinds that are
// remembered.
func (s *Server) recentRefs(r *http.Request, user int64) []recentRef {
	c, err := r.Cookie(recentCookie)
	if err != nil {
		return nil
	}
	owner, list, _ := strings.Cut(c.Value, "_")
	if owner != "u"+strconv.FormatInt(user, 10) {
		return nil
	}
	var out []recentRef
	for _, part := range strings.Split(list, ".") {
		code, id, ok := strings.Cut(part, "-")
		n, err := strconv.ParseInt(id, 10, 64)
		if k := s.recentKind(code); ok && err == nil && n > 0 && k != nil {
			out = append(out, recentRef{k, n})
		}
	}
	return out
}

func (s *Server) recentKind(code string) *RecordKind {
	for _, k := range s.reg.kinds {
		if k.recent != "" && k.recent == code {
			return k
		}
	}
	return nil
}

// RememberRecent puts record id of kind first in the browser's recently viewed list (at most 8).
func (s *Server) RememberRecent(w http.ResponseWriter, r *http.Request, pg *Page, kind *crm.Kind, id int64) {
	k := s.reg.Kind(kind)
	if k == nil || k.recent == "" {
		return
	}
	user := strconv.FormatInt(pg.Principal.UserID, 10)
	list := []string{k.recent + "-" + strconv.FormatInt(id, 10)}
	for _, ref := range s.recentRefs(r, pg.Principal.UserID) {
		if (ref.kind != k || ref.id != id) && len(list) < 8 {
			list = append(list, ref.kind.recent+"-"+strconv.FormatInt(ref.id, 10))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: recentCookie, Value: "u" + user + "_" + strings.Join(list, "."), Path: "/", MaxAge: 90 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// Recent is the records the browser showed the user of pg lately, newest first: those they may still see
// and that are not in the bin.
func (s *Server) Recent(r *http.Request, pg *Page) []RecentItem {
	var out []RecentItem
	for _, ref := range s.recentRefs(r, pg.Principal.UserID) {
		if rec, err := ref.kind.Get(r.Context(), pg.Principal, ref.id); err == nil && !rec.Binned {
			out = append(out, RecentItem{Kind: ref.kind.Kind.Name, Name: rec.Name, URL: RecordPath(ref.kind.Kind, rec.ID), Detail: rec.detail(pg)})
		}
	}
	return out
}

// ForgetRecent clears the recently viewed list: what a user opened is not the next user's business.
func ForgetRecent(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: recentCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
