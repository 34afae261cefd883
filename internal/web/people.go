package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tili/internal/services"

	"tili/internal/crm"
	"tili/internal/transfer"
)

type peopleView struct {
	*Page
	listView
	Items     []*crm.Contact
	Companies map[int64]string
	Users     []*crm.User
	Teams     []*crm.Team
	Roles     []crm.BuyingRole
	Company   *crm.Account
}

// contactFilter reads a people list's filters from the query string.
func contactFilter(q url.Values, pg *Page) (services.ContactFilter, error) {
	f := services.ContactFilter{Name: filterText(q.Get("q")), Sort: q.Get("sort"), After: q.Get("after"), Binned: q.Get("bin") == "1"}
	if a := q.Get("account"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return f, crm.FieldError("account", "%q is not a company", a)
		}
		f.AccountID = id
	}
	for _, r := range nonEmpty(q["role"]) {
		f.Roles = append(f.Roles, crm.BuyingRole(r))
	}
	af, err := accountFilter(url.Values{"owner": q["owner"], "team": q["team"]}, pg)
	if err != nil {
		return f, err
	}
	f.OwnerIDs, f.TeamIDs = af.OwnerIDs, af.TeamIDs
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		f.Limit = n
	}
	return f, nil
}

// GET /people
func (s *Server) people(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, q := r.Context(), r.URL.Query()
	pg.Title, pg.Nav = pg.T("nav.people"), "people"
	if q.Get("bin") == "1" {
		pg.Title = pg.T("people.bin")
	}
	f, err := contactFilter(q, pg)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	page, err := s.svc.Contacts.List(ctx, pg.Principal, f)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view := peopleView{Page: pg, listView: listView{Q: listQuery{q}, Sort: q.Get("sort")}, Items: page.Items, Roles: crm.BuyingRoles}
	if view.Sort == "" {
		view.Sort = "name"
	}
	if page.Next != "" {
		view.Next = "?" + view.Q.with() + "&after=" + url.QueryEscape(page.Next)
	}
	if q.Get("after") != "" {
		view.First = "?" + view.Q.with()
	}
	view.Filter = template.URL(view.Q.with())
	for _, k := range []string{"q", "account", "role", "owner", "team"} {
		view.Filtered = view.Filtered || len(nonEmpty(q[k])) > 0
	}
	if f.AccountID != 0 {
		view.Company, _ = s.svc.Accounts.Get(ctx, pg.Principal, f.AccountID)
	}
	if view.Companies, err = s.companyNames(r, pg, page.Items); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Users, err = s.svc.Users.List(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Teams, err = s.svc.Users.Teams(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Views, err = s.svc.Views.List(ctx, pg.Principal, "people"); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "people", view)
}

// companyNames returns the names of the people's companies the user may see, one query for the page.
func (s *Server) companyNames(r *http.Request, pg *Page, people []*crm.Contact) (map[int64]string, error) {
	ids := make([]int64, 0, len(people))
	for _, c := range people {
		ids = append(ids, c.AccountID)
	}
	return s.accountNames(r, pg, ids)
}

// accountNames returns the names of the companies among ids (0 and repeats allowed) that the user may
// see, with one call to the service.
func (s *Server) accountNames(r *http.Request, pg *Page, all []int64) (map[int64]string, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range all {
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	accounts, err := s.svc.Accounts.Names(r.Context(), pg.Principal, ids)
	if err != nil {
		return nil, err
	}
	for id, name := range accounts {
		out[id] = name
	}
	return out, nil
}

// GET /people/export?format=csv or xlsx
func (s *Server) peopleExport(w http.ResponseWriter, r *http.Request, pg *Page) {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		s.fail(w, r, pg, crm.Errorf(crm.NotFound, "there is no %s export; use csv or xlsx", format))
		return
	}
	f, err := contactFilter(r.URL.Query(), pg)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	users, err := s.svc.Users.List(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	teams, err := s.svc.Users.Teams(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	names, teamNames := userNames(users), map[int64]string{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	t := transfer.Table{Sheet: pg.T("nav.people")}
	for _, h := range []string{"field.first_name", "field.last_name", "field.title", "field.department", "field.company",
		"field.emails", "field.phones", "field.role", "field.influence", "field.attitude", "field.language", "field.channel",
		"field.kind", "field.consent_email", "field.consent_phone", "field.consent_post", "field.consent_sms", "field.owner",
		"field.created", "field.updated",
		// added after the first columns, so that a sheet built on the earlier export keeps its references
		"field.team", "field.description"} {
		t.Header = append(t.Header, pg.T(h))
	}
	f.Limit = 1000
	for {
		page, err := s.svc.Contacts.List(r.Context(), pg.Principal, f)
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		companies, err := s.companyNames(r, pg, page.Items)
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		for _, c := range page.Items {
			var phones []string
			for _, p := range c.Phones {
				phones = append(phones, pg.Phone(p))
			}
			cell := transfer.TextCell
			t.Rows = append(t.Rows, []transfer.Cell{cell(c.FirstName), cell(c.LastName), cell(c.Title), cell(c.Department),
				cell(companies[c.AccountID]), cell(strings.Join(c.Emails, ", ")), cell(strings.Join(phones, ", ")),
				cell(pg.Enum("role", c.Role)), cell(pg.Enum("influence", c.Influence)), cell(pg.Enum("attitude", c.Attitude)),
				cell(c.Language), cell(pg.Enum("channel", c.Channel)), cell(pg.Enum("kind", c.Kind)),
				cell(pg.Enum("consent", c.Consent.Email)), cell(pg.Enum("consent", c.Consent.Phone)),
				cell(pg.Enum("consent", c.Consent.Post)), cell(pg.Enum("consent", c.Consent.SMS)), cell(names[c.OwnerID]),
				cell(pg.Date(c.CreatedAt)), cell(pg.Date(c.UpdatedAt)), cell(teamNames[c.TeamID]), cell(c.Description)})
		}
		if len(t.Rows) > maxExportRows {
			s.fail(w, r, pg, crm.Errorf(crm.Invalid, "%s", pg.T("export.too_big", "max", pg.Num(maxExportRows))))
			return
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	s.writeExport(w, r, pg, crm.KindContact.Name, pg.T("export.people_file"), format, t)
}
