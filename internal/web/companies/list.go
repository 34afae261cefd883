package companies

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/transfer"
	"tili/internal/web"
)

// columns are the columns a user may show in the list, in their order; the name is always shown.
func columns() []string {
	return []string{"stage", "tier", "owner", "team", "city", "business_id", "segment", "updated"}
}

// defaultColumns are the columns shown until the user chooses.
func defaultColumns() []string { return []string{"stage", "tier", "owner", "city", "updated"} }

type listView struct {
	web.ListView[*crm.Account]
	Columns    []string
	AllColumns []string
	Stages     []crm.Stage
	Tiers      []crm.Tier
}

// Col tells whether a column is shown.
func (v listView) Col(name string) bool { return slices.Contains(v.Columns, name) }

func (c *room) list() web.List[*crm.Account, services.AccountFilter] {
	return web.List[*crm.Account, services.AccountFilter]{Records: c.records, Page: "companies/list",
		Find: c.svc.Accounts.List, Filter: filter,
		FilterKeys: []string{"q", "stage", "tier", "owner", "team", "tag", "segment", "city"},
		View: func(r *http.Request, pg *web.Page, v web.ListView[*crm.Account]) (any, error) {
			view := listView{ListView: v, Columns: web.NonEmpty(v.Q.All("col")), AllColumns: columns(), Stages: crm.Stages, Tiers: crm.Tiers}
			if len(view.Columns) == 0 {
				view.Columns = defaultColumns()
			}
			return view, nil
		},
		Export: web.Export[*crm.Account]{Header: exportHeader(), Rows: c.exportRows},
		Bulk:   c.bulkActions()}
}

// filter reads a companies list's filters from the query string.
func filter(q url.Values, pg *web.Page) (services.AccountFilter, error) {
	f := services.AccountFilter{Tags: web.NonEmpty(q["tag"]), Segment: strings.TrimSpace(web.FilterText(q.Get("segment"))),
		City: web.FilterText(q.Get("city")), Name: web.FilterText(q.Get("q")), Sort: q.Get("sort"), After: q.Get("after"),
		Binned: q.Get("bin") == "1", Limit: web.Limit(q)}
	for _, s := range web.NonEmpty(q["stage"]) {
		st, err := crm.ParseStage(s)
		if err != nil {
			return f, err
		}
		f.Stages = append(f.Stages, st)
	}
	for _, t := range web.NonEmpty(q["tier"]) {
		f.Tiers = append(f.Tiers, crm.Tier(strings.ToUpper(t)))
	}
	var err error
	f.OwnerIDs, f.TeamIDs, err = web.Ownership(q, pg)
	return f, err
}

// exportHeader are the export's columns. Columns added later go last, so that a sheet built on an
// earlier export keeps its references.
func exportHeader() []string {
	return []string{"field.name", "field.business_id", "field.vat_id", "field.stage", "field.tier", "field.segment",
		"field.industry_code", "field.industry", "field.employees", "field.revenue_band", "field.website", "field.phones",
		"field.emails", "field.street", "field.postal_code", "field.city", "field.country", "field.einvoice_address",
		"field.einvoice_operator", "field.owner", "field.team", "field.tags", "field.created", "field.updated",
		"field.postal_address.street", "field.postal_address.postal_code", "field.postal_address.city",
		"field.postal_address.country", "field.billing_address.street", "field.billing_address.postal_code",
		"field.billing_address.city", "field.billing_address.country", "field.parent", "field.description",
		"field.internal_notes"}
}

// exportRows are one page of companies as export rows.
func (c *room) exportRows(r *http.Request, pg *web.Page, names web.Names, page []*crm.Account) ([][]transfer.Cell, error) {
	parentIDs := make([]int64, 0, len(page))
	for _, a := range page {
		parentIDs = append(parentIDs, a.ParentID)
	}
	parents, err := c.s.AccountNames(r.Context(), pg, parentIDs)
	if err != nil {
		return nil, err
	}
	rows := make([][]transfer.Cell, 0, len(page))
	text := transfer.TextCell
	for _, a := range page {
		employees := text("")
		if a.Employees != nil {
			employees = transfer.NumberCell(float64(*a.Employees), pg.Num(*a.Employees))
		}
		v, post, bill := a.VisitingAddress, a.PostalAddress, a.BillingAddress
		rows = append(rows, []transfer.Cell{text(a.Name), text(a.BusinessID), text(a.VATID), text(pg.Enum("stage", a.Stage)),
			text(string(a.Tier)), text(a.Segment), text(a.IndustryCode), text(a.Industry), employees,
			text(pg.Enum("revenue_band", a.RevenueBand)), text(a.Website), text(phones(pg, a.Phones)),
			text(strings.Join(a.Emails, ", ")), text(v.Street), text(v.PostalCode), text(v.City), text(v.Country),
			text(a.EInvoiceAddress), text(a.EInvoiceOperator), text(names.Users[a.OwnerID]), text(names.Teams[a.TeamID]),
			text(strings.Join(a.Tags, ", ")), text(pg.Date(a.CreatedAt)), text(pg.Date(a.UpdatedAt)),
			text(post.Street), text(post.PostalCode), text(post.City), text(post.Country),
			text(bill.Street), text(bill.PostalCode), text(bill.City), text(bill.Country),
			// internal notes come redacted from the service for those who may not see them
			text(parents[a.ParentID]), text(a.Description), text(a.InternalNotes)})
	}
	return rows, nil
}

// phones writes a record's phone numbers as people of its region read them.
func phones(pg *web.Page, e164 []string) string { return strings.Join(web.Phones(pg, e164), ", ") }

// bulkActions are the bulk changes of the list: a new owner, stage or tag for every chosen company.
func (c *room) bulkActions() map[string]web.BulkAction {
	return map[string]web.BulkAction{
		"owner": {
			Text: func(ctx context.Context, pg *web.Page, value string) string {
				id, _ := strconv.ParseInt(value, 10, 64)
				if u, err := c.svc.Users.Get(ctx, pg.Principal, id); err == nil {
					return u.Name
				}
				return value
			},
			Apply: func(ctx context.Context, pg *web.Page, id int64, value string) error {
				owner, _ := strconv.ParseInt(value, 10, 64)
				_, err := c.svc.Accounts.Reassign(ctx, pg.Principal, id, owner, 0)
				return err
			}},
		"stage": {
			Text: func(_ context.Context, pg *web.Page, value string) string { return pg.Enum("stage", value) },
			Apply: func(ctx context.Context, pg *web.Page, id int64, value string) error {
				return c.change(ctx, pg, id, func(a *crm.Account) { a.Stage = crm.Stage(value) })
			}},
		"tag": {
			Apply: func(ctx context.Context, pg *web.Page, id int64, value string) error {
				return c.change(ctx, pg, id, func(a *crm.Account) { a.Tags = append(a.Tags, value) })
			}},
	}
}

// change changes one company of a bulk change; a refusal names the company.
func (c *room) change(ctx context.Context, pg *web.Page, id int64, change func(*crm.Account)) error {
	a, err := c.svc.Accounts.Get(ctx, pg.Principal, id)
	if err != nil {
		return err
	}
	change(a)
	_, err = c.svc.Accounts.Update(ctx, pg.Principal, a)
	if e, ok := crm.AsError(err); ok {
		return crm.Errorf(e.Code, "%s: %s", a.Name, pg.Problem(e).Message)
	}
	return err
}
