package people

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/transfer"
	"tili/internal/web"
)

type listView struct {
	web.ListView[*crm.Contact]
	Companies map[int64]string
	Roles     []crm.BuyingRole
	// Company is the company whose people the list shows, when it shows one company's.
	Company *crm.Account
}

func (c *room) list() web.List[*crm.Contact, services.ContactFilter] {
	return web.List[*crm.Contact, services.ContactFilter]{Records: c.records, Page: "people/list",
		Find: c.svc.Contacts.List, Filter: filter, FilterKeys: []string{"q", "account", "role", "owner", "team"},
		View: c.listView,
		Export: web.Export[*crm.Contact]{Rows: c.exportRows,
			Header: []string{"field.first_name", "field.last_name", "field.title", "field.department", "field.company",
				"field.emails", "field.phones", "field.role", "field.influence", "field.attitude", "field.language", "field.channel",
				"field.kind", "field.consent_email", "field.consent_phone", "field.consent_post", "field.consent_sms", "field.owner",
				"field.created", "field.updated",
				// added after the first columns, so that a sheet built on the earlier export keeps its references
				"field.team", "field.description"}}}
}

// filter reads a people list's filters from the query string.
func filter(q url.Values, pg *web.Page) (services.ContactFilter, error) {
	f := services.ContactFilter{Name: web.FilterText(q.Get("q")), Sort: q.Get("sort"), After: q.Get("after"),
		Binned: q.Get("bin") == "1", Limit: web.Limit(q)}
	if a := q.Get("account"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return f, crm.FieldError("account", "%q is not a company", a)
		}
		f.AccountID = id
	}
	for _, r := range web.NonEmpty(q["role"]) {
		f.Roles = append(f.Roles, crm.BuyingRole(r))
	}
	var err error
	f.OwnerIDs, f.TeamIDs, err = web.Ownership(q, pg)
	return f, err
}

func (c *room) listView(r *http.Request, pg *web.Page, v web.ListView[*crm.Contact]) (any, error) {
	view := listView{ListView: v, Roles: crm.BuyingRoles}
	if id, err := strconv.ParseInt(v.Q.Get("account"), 10, 64); err == nil && id != 0 {
		view.Company, _ = c.svc.Accounts.Get(r.Context(), pg.Principal, id)
	}
	var err error
	view.Companies, err = c.companies(r, pg, v.Items)
	return view, err
}

// companies returns the names of the people's companies the user may see, one query for the page.
func (c *room) companies(r *http.Request, pg *web.Page, people []*crm.Contact) (map[int64]string, error) {
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		ids = append(ids, p.AccountID)
	}
	return c.s.AccountNames(r.Context(), pg, ids)
}

// exportRows are one page of people as export rows.
func (c *room) exportRows(r *http.Request, pg *web.Page, names web.Names, page []*crm.Contact) ([][]transfer.Cell, error) {
	companies, err := c.companies(r, pg, page)
	if err != nil {
		return nil, err
	}
	rows := make([][]transfer.Cell, 0, len(page))
	cell := transfer.TextCell
	for _, p := range page {
		rows = append(rows, []transfer.Cell{cell(p.FirstName), cell(p.LastName), cell(p.Title), cell(p.Department),
			cell(companies[p.AccountID]), cell(strings.Join(p.Emails, ", ")), cell(strings.Join(web.Phones(pg, p.Phones), ", ")),
			cell(pg.Enum("role", p.Role)), cell(pg.Enum("influence", p.Influence)), cell(pg.Enum("attitude", p.Attitude)),
			cell(p.Language), cell(pg.Enum("channel", p.Channel)), cell(pg.Enum("kind", p.Kind)),
			cell(pg.Enum("consent", p.Consent.Email)), cell(pg.Enum("consent", p.Consent.Phone)),
			cell(pg.Enum("consent", p.Consent.Post)), cell(pg.Enum("consent", p.Consent.SMS)), cell(names.Users[p.OwnerID]),
			cell(pg.Date(p.CreatedAt)), cell(pg.Date(p.UpdatedAt)), cell(names.Teams[p.TeamID]), cell(p.Description)})
	}
	return rows, nil
}
