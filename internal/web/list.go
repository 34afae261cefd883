package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

// List is the list kit: one kind's list page with its filters, sorting, paging, saved views and bin, the
// export of the current view and, when the kind has them, bulk changes. R is the record's Go type and Q
// the kind's filter. The kind's messages are found by its list page's name (companies): nav.companies
// titles the list and names the export's sheet, companies.bin titles the bin, export.companies_file
// names the file, and companies.count counts the rows.
type List[R any, Q any] struct {
	Records Records[R]
	// Page is the list's template ("companies/list"); it embeds ListView.
	Page string
	// Find lists one page of the records a filter selects.
	Find func(ctx context.Context, p crm.Principal, f Q) (service.Page[R], error)
	// Filter reads a list's filters, sorting and paging from a query string (a malformed value is a
	// field error). It reads "after" and "limit", which the export sets to page through the whole view.
	Filter func(q url.Values, pg *Page) (Q, error)
	// FilterKeys are the parameters that narrow the list, as opposed to sorting, paging, columns and
	// the bin: with any of them the list is "filtered" and may be saved as a view.
	FilterKeys []string
	// View is the page's view: the kit's, with what the kind's page adds.
	View   func(r *http.Request, pg *Page, v ListView[R]) (any, error)
	Export Export[R]
	// Bulk are the bulk changes by action name ("owner", "stage"); none: the kind has no bulk changes.
	Bulk map[string]BulkAction
}

// ListView is what every list page shows: the query, the records of this page, paging, sorting, saved
// views, and the users and teams for the owner and team filters.
type ListView[R any] struct {
	*Page
	Kind     *crm.Kind
	Q        ListQuery
	Items    []R
	Next     string // the next page's address
	First    string // the first page's address, when not on it
	Sort     string
	Views    []services.SavedView
	Filter   template.URL // the filter as a query string, for export links and saving views
	Filtered bool
	Users    []*crm.User
	Teams    []*crm.Team
	// UserNames and TeamNames name the owners and teams of the rows.
	UserNames, TeamNames map[int64]string
}

// SortLink is the address that sorts by column, reversing the order when it is already sorted so.
func (v ListView[R]) SortLink(column string) string {
	sort := column
	if v.Sort == column {
		sort = "-" + column
	}
	return "?" + v.Q.with("sort", sort)
}

// AriaSort is the aria-sort value of a column header.
func (v ListView[R]) AriaSort(column string) string {
	switch v.Sort {
	case column:
		return "ascending"
	case "-" + column:
		return "descending"
	}
	return ""
}

// ListQuery is a list page's query string as the page reads and writes it.
type ListQuery struct {
	url.Values
}

// All returns every value of a parameter.
func (q ListQuery) All(key string) []string { return q.Values[key] }

// with returns the query string with the given parameters set (an empty value removes one), on the
// first page.
func (q ListQuery) with(pairs ...string) string {
	v := url.Values{}
	for k, vs := range q.Values {
		v[k] = append([]string(nil), vs...)
	}
	v.Del("after")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			v.Del(pairs[i])
		} else {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	return v.Encode()
}

// Routes registers the list, its export, its saved views and its bulk changes under the kind's path.
func (l List[R, Q]) Routes(s *Server, mux Mux) {
	path := l.Records.Kind.Path
	mux.HandleFunc("GET "+path, s.SignedIn(l.list(s)))
	mux.HandleFunc("GET "+path+"/export", s.SignedIn(l.export(s)))
	mux.HandleFunc("POST "+path+"/views", s.SignedIn(l.saveView(s)))
	mux.HandleFunc("POST "+path+"/views/{id}/delete", s.SignedIn(l.deleteView(s)))
	if len(l.Bulk) > 0 {
		mux.HandleFunc("POST "+path+"/bulk", s.SignedIn(l.bulk(s)))
	}
}

// list serves GET PATH: every record the user may see, filtered, sorted and paged.
func (l List[R, Q]) list(s *Server) Handler {
	kind := l.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		ctx, q := r.Context(), r.URL.Query()
		pg.Title, pg.Nav = pg.T("nav."+kind.ListPage), kind.ListPage
		if q.Get("bin") == "1" {
			pg.Title = pg.T(kind.ListPage + ".bin")
		}
		f, err := l.Filter(q, pg)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		page, err := l.Find(ctx, pg.Principal, f)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		v := ListView[R]{Page: pg, Kind: kind, Q: ListQuery{q}, Items: page.Items, Sort: q.Get("sort")}
		if v.Sort == "" {
			v.Sort = "name"
		}
		if page.Next != "" {
			v.Next = "?" + v.Q.with() + "&after=" + url.QueryEscape(page.Next)
		}
		if q.Get("after") != "" {
			v.First = "?" + v.Q.with()
		}
		v.Filter = template.URL(v.Q.with())
		for _, k := range l.FilterKeys {
			v.Filtered = v.Filtered || len(NonEmpty(q[k])) > 0
		}
		if v.Users, v.Teams, err = s.usersAndTeams(ctx, pg); err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		v.UserNames, v.TeamNames = UserNames(v.Users), TeamNames(v.Teams)
		if v.Views, err = s.svc.Views.List(ctx, pg.Principal, kind.ListPage); err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		view, err := l.View(r, pg, v)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		s.Render(w, r, http.StatusOK, l.Page, view)
	}
}

// usersAndTeams are the users and teams the user of pg may see, for choosing an owner or a team.
func (s *Server) usersAndTeams(ctx context.Context, pg *Page) ([]*crm.User, []*crm.Team, error) {
	users, err := s.svc.Users.List(ctx, pg.Principal)
	if err != nil {
		return nil, nil, err
	}
	teams, err := s.svc.Users.Teams(ctx, pg.Principal)
	return users, teams, err
}

// saveView stores the current filter of the list as a named view: POST name, query.
func (l List[R, Q]) saveView(s *Server) Handler {
	kind := l.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		// the query is read and written again: the view keeps only parameters, in one spelling, and the
		// address it leads to is one a browser can follow whatever was posted
		query, _ := url.ParseQuery(strings.TrimPrefix(r.PostFormValue("query"), "?"))
		filter := ListQuery{query}.with()
		v, err := s.svc.Views.Save(r.Context(), pg.Principal, kind.ListPage, FilterText(r.PostFormValue("name")), filter)
		if err != nil {
			if crm.CodeOf(err) == crm.Invalid {
				s.Redirect(w, r, kind.Path+"?"+filter, pg.ErrText(err))
				return
			}
			s.Fail(w, r, pg, err)
			return
		}
		s.Redirect(w, r, kind.Path+"?"+v.Query, pg.T("views.saved", "name", v.Name))
	}
}

// deleteView removes a saved view.
func (l List[R, Q]) deleteView(s *Server) Handler {
	kind := l.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		if err := s.svc.Views.Delete(r.Context(), pg.Principal, PathID(r)); err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		s.Redirect(w, r, kind.Path, pg.T("views.deleted"))
	}
}

// NonEmpty is the values of a list parameter that hold something, trimmed, as a filter compares them.
func NonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(FilterText(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FilterText is a typed filter as the database can compare it: no stored text holds a NUL or bytes that
// are not UTF-8, and PostgreSQL refuses a query that does (an error page instead of no match), so they go.
func FilterText(s string) string { return crm.PlainText(s) }

// Ownership reads the owner and team filters every list has: "me" and "none" stand for the signed-in
// user and no owner, "mine" for the user's teams.
func Ownership(q url.Values, pg *Page) (owners, teams []int64, err error) {
	for _, o := range NonEmpty(q["owner"]) {
		switch o {
		case "me":
			owners = append(owners, pg.Principal.UserID)
		case "none":
			owners = append(owners, 0)
		default:
			id, err := strconv.ParseInt(o, 10, 64)
			if err != nil {
				return nil, nil, crm.FieldError("owner", "%q is not a user", o)
			}
			owners = append(owners, id)
		}
	}
	for _, t := range NonEmpty(q["team"]) {
		if t == "mine" {
			if pg.User != nil && len(pg.User.TeamIDs) > 0 {
				teams = append(teams, pg.User.TeamIDs...)
			} else {
				teams = append(teams, -1) // no team: nothing is in it
			}
			continue
		}
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, nil, crm.FieldError("team", "%q is not a team", t)
		}
		teams = append(teams, id)
	}
	return owners, teams, nil
}

// Limit is the page size a query string asks for; 0 leaves it to the service.
func Limit(q url.Values) int {
	n, _ := strconv.Atoi(q.Get("limit"))
	return n
}

// AccountNames returns the names of the companies among ids (0 and repeats allowed) that the user may
// see, with one call to the service, and none when there are no ids: the rows of a list name their
// companies so.
func (s *Server) AccountNames(ctx context.Context, pg *Page, all []int64) (map[int64]string, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range all {
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return s.svc.Accounts.Names(ctx, pg.Principal, ids)
}
