package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tili/internal/services"

	"tili/internal/crm"
)

// companyColumns are the columns a user may show in the companies list, in their order; name is
// always shown.
var companyColumns = []string{"stage", "tier", "owner", "team", "city", "business_id", "segment", "updated"}

var defaultCompanyColumns = []string{"stage", "tier", "owner", "city", "updated"}

// listQuery is a list page's query string as the page reads and writes it.
type listQuery struct {
	url.Values
}

// All returns every value of a parameter.
func (q listQuery) All(key string) []string { return q.Values[key] }

// with returns the query string with the given parameters set (an empty value removes one), on the
// first page.
func (q listQuery) with(pairs ...string) string {
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

// listView is what the companies and the people lists share: the query, paging, sorting and saved views.
type listView struct {
	Q        listQuery
	Next     string // the next page's address
	First    string // the first page's address, when not on it
	Sort     string
	Views    []services.SavedView
	Filter   template.URL // the filter as a query string, for export links and saving views
	Filtered bool
}

// SortLink is the address that sorts by column, reversing the order when it is already sorted so.
func (v listView) SortLink(column string) string {
	sort := column
	if v.Sort == column {
		sort = "-" + column
	}
	return "?" + v.Q.with("sort", sort)
}

// AriaSort is the aria-sort value of a column header.
func (v listView) AriaSort(column string) string {
	switch v.Sort {
	case column:
		return "ascending"
	case "-" + column:
		return "descending"
	}
	return ""
}

type companiesView struct {
	*Page
	listView
	Items      []*crm.Account
	Users      []*crm.User
	UserNames  map[int64]string
	Teams      []*crm.Team
	TeamNames  map[int64]string
	Columns    []string
	AllColumns []string
	Stages     []crm.Stage
	Tiers      []crm.Tier
}

// Col tells whether a column is shown.
func (v companiesView) Col(name string) bool { return slices.Contains(v.Columns, name) }

// accountFilter reads a companies list's filters from the query string; "me" and "mine" stand for the
// signed-in user and their teams.
func accountFilter(q url.Values, pg *Page) (services.AccountFilter, error) {
	f := services.AccountFilter{Tags: nonEmpty(q["tag"]), Segment: strings.TrimSpace(filterText(q.Get("segment"))),
		City: filterText(q.Get("city")), Name: filterText(q.Get("q")), Sort: q.Get("sort"), After: q.Get("after"), Binned: q.Get("bin") == "1"}
	for _, s := range nonEmpty(q["stage"]) {
		st, err := crm.ParseStage(s)
		if err != nil {
			return f, err
		}
		f.Stages = append(f.Stages, st)
	}
	for _, t := range nonEmpty(q["tier"]) {
		f.Tiers = append(f.Tiers, crm.Tier(strings.ToUpper(t)))
	}
	for _, o := range nonEmpty(q["owner"]) {
		switch o {
		case "me":
			f.OwnerIDs = append(f.OwnerIDs, pg.Principal.UserID)
		case "none":
			f.OwnerIDs = append(f.OwnerIDs, 0)
		default:
			id, err := strconv.ParseInt(o, 10, 64)
			if err != nil {
				return f, crm.FieldError("owner", "%q is not a user", o)
			}
			f.OwnerIDs = append(f.OwnerIDs, id)
		}
	}
	for _, t := range nonEmpty(q["team"]) {
		if t == "mine" {
			if pg.User != nil && len(pg.User.TeamIDs) > 0 {
				f.TeamIDs = append(f.TeamIDs, pg.User.TeamIDs...)
			} else {
				f.TeamIDs = append(f.TeamIDs, -1) // no team: nothing is in it
			}
			continue
		}
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return f, crm.FieldError("team", "%q is not a team", t)
		}
		f.TeamIDs = append(f.TeamIDs, id)
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		f.Limit = n
	}
	return f, nil
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(filterText(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// filterText is a typed filter as the database can compare it: no stored text holds a NUL or bytes that
// are not UTF-8, and PostgreSQL refuses a query that does (an error page instead of no match), so they go.
func filterText(s string) string { return crm.PlainText(s) }

// GET /companies: every company the user may see, filtered, sorted and paged.
func (s *Server) companies(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, q := r.Context(), r.URL.Query()
	pg.Title, pg.Nav = pg.T("nav.companies"), "companies"
	if q.Get("bin") == "1" {
		pg.Title = pg.T("companies.bin")
	}
	f, err := accountFilter(q, pg)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	page, err := s.svc.Accounts.List(ctx, pg.Principal, f)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view := companiesView{Page: pg, listView: listView{Q: listQuery{q}, Sort: q.Get("sort")}, Items: page.Items,
		AllColumns: companyColumns, Stages: crm.Stages, Tiers: crm.Tiers}
	if view.Sort == "" {
		view.Sort = "name"
	}
	view.Columns = nonEmpty(q["col"])
	if len(view.Columns) == 0 {
		view.Columns = defaultCompanyColumns
	}
	if page.Next != "" {
		v := listQuery{q}
		view.Next = "?" + v.with() + "&after=" + url.QueryEscape(page.Next)
	}
	if q.Get("after") != "" {
		view.First = "?" + view.Q.with()
	}
	view.Filter = template.URL(view.Q.with())
	for _, k := range []string{"q", "stage", "tier", "owner", "team", "tag", "segment", "city"} {
		view.Filtered = view.Filtered || len(nonEmpty(q[k])) > 0
	}
	if view.Users, err = s.svc.Users.List(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Teams, err = s.svc.Users.Teams(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.UserNames, view.TeamNames = map[int64]string{}, map[int64]string{}
	for _, u := range view.Users {
		view.UserNames[u.ID] = u.Name
	}
	for _, t := range view.Teams {
		view.TeamNames[t.ID] = t.Name
	}
	if view.Views, err = s.svc.Views.List(ctx, pg.Principal, "companies"); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "companies", view)
}

// viewSave stores the current filter of a list page as a named view: POST name, query.
func (s *Server) viewSave(page string) func(w http.ResponseWriter, r *http.Request, pg *Page) {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		// the query is read and written again: the view keeps only parameters, in one spelling, and the
		// address it leads to is one a browser can follow whatever was posted
		query, _ := url.ParseQuery(strings.TrimPrefix(r.PostFormValue("query"), "?"))
		filter := listQuery{query}.with()
		v, err := s.svc.Views.Save(r.Context(), pg.Principal, page, filterText(r.PostFormValue("name")), filter)
		if err != nil {
			if crm.CodeOf(err) == crm.Invalid {
				s.redirect(w, r, "/"+page+"?"+filter, pg.ErrText(err))
				return
			}
			s.fail(w, r, pg, err)
			return
		}
		s.redirect(w, r, "/"+page+"?"+v.Query, pg.T("views.saved", "name", v.Name))
	}
}

// viewDelete removes a saved view.
func (s *Server) viewDelete(page string) func(w http.ResponseWriter, r *http.Request, pg *Page) {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		if err := s.svc.Views.Delete(r.Context(), pg.Principal, pathID(r)); err != nil {
			s.fail(w, r, pg, err)
			return
		}
		s.redirect(w, r, "/"+page, pg.T("views.deleted"))
	}
}
