package companies

import (
	"html/template"
	"net/http"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

type pageView struct {
	web.RecordView
	A            *crm.Account
	Parent       *crm.Account
	Subsidiaries []*crm.Account
	Team         string
}

// page serves GET /companies/{id}: everything about one company: the key facts, its people, its
// timeline.
func (c *room) page(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	a, rv, err := web.RecordPage(c.s, r, pg, c.records)
	if err != nil {
		c.s.Fail(w, r, pg, err)
		return
	}
	ctx, p := r.Context(), pg.Principal
	view := pageView{RecordView: rv, A: a}
	if a.ParentID != 0 {
		view.Parent, _ = c.svc.Accounts.Get(ctx, p, a.ParentID) // a parent the user may not see is left out
	}
	subs, err := c.svc.Accounts.List(ctx, p, services.AccountFilter{ParentID: a.ID, Limit: 50})
	if err != nil {
		c.s.Fail(w, r, pg, err)
		return
	}
	view.Subsidiaries = subs.Items
	if a.TeamID != 0 {
		if teams, err := c.svc.Users.Teams(ctx, p); err == nil {
			view.Team = web.TeamNames(teams)[a.TeamID]
		}
	}
	c.s.RememberRecent(w, r, pg, crm.KindAccount, a.ID)
	c.s.Render(w, r, http.StatusOK, "companies/company", view)
}

// mergeText shows one merge field of a company as text.
func mergeText(pg *web.Page, a *crm.Account, field string) string {
	addr := func(ad crm.Address) string {
		if ad.IsZero() {
			return ""
		}
		return ad.Street + ", " + ad.PostalCode + " " + ad.City
	}
	switch field {
	case "name":
		return a.Name
	case "business_id":
		return a.BusinessID
	case "vat_id":
		return a.VATID
	case "stage":
		return pg.Enum("stage", a.Stage)
	case "tier":
		return string(a.Tier)
	case "segment":
		return a.Segment
	case "industry_code":
		return a.IndustryCode
	case "industry":
		return a.Industry
	case "employees":
		if a.Employees != nil {
			return pg.Num(*a.Employees)
		}
	case "revenue_band":
		return pg.Enum("revenue_band", a.RevenueBand)
	case "website":
		return a.Website
	case "phones":
		return phones(pg, a.Phones)
	case "emails":
		return strings.Join(a.Emails, ", ")
	case "visiting_address":
		return addr(a.VisitingAddress)
	case "postal_address":
		return addr(a.PostalAddress)
	case "billing_address":
		return addr(a.BillingAddress)
	case "einvoice":
		if a.EInvoiceAddress != "" {
			return a.EInvoiceAddress + " · " + a.EInvoiceOperator
		}
	case "parent_id":
		if a.ParentID != 0 {
			return "#" + web.IDText(a.ParentID)
		}
	case "tags":
		return strings.Join(a.Tags, ", ")
	case "description":
		return a.Description
	case "internal_notes":
		return a.InternalNotes
	}
	return ""
}

type homeView struct {
	*web.Page
	Items []*crm.Account
}

// homeNew is the home page's button that adds a company.
func (c *room) homeNew(_ *http.Request, pg *web.Page) (template.HTML, error) {
	return c.s.Fragment("companies", "home-new", pg)
}

// keyAccounts is the home page's list of the user's key accounts.
func (c *room) keyAccounts(r *http.Request, pg *web.Page) (template.HTML, error) {
	key, err := c.svc.Accounts.List(r.Context(), pg.Principal, services.AccountFilter{OwnerIDs: []int64{pg.Principal.UserID},
		Stages: []crm.Stage{crm.KeyAccount}, Limit: 10})
	if err != nil {
		return "", err
	}
	return c.s.Fragment("companies", "home-key-accounts", homeView{Page: pg, Items: key.Items})
}

// changed is the home page's list of the companies of the user's book that changed lately.
func (c *room) changed(r *http.Request, pg *web.Page) (template.HTML, error) {
	changed, err := c.svc.Accounts.List(r.Context(), pg.Principal, services.AccountFilter{OwnerIDs: []int64{pg.Principal.UserID},
		Sort: "-updated", Limit: 8})
	if err != nil {
		return "", err
	}
	return c.s.Fragment("companies", "home-changed", homeView{Page: pg, Items: changed.Items})
}
