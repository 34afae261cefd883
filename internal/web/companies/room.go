// Package companies is the room of the companies' pages: their list (/companies) with its filters,
// columns, bulk changes and export, a company's page and its form, all built on the web core's kits.
// Through the core's registry it offers the navigation entry, the home page's "new company" button, key
// accounts and latest changes, and what the shared record pages need of companies (share, reassign,
// history, bin, merge, the recently viewed list, the company picker).
package companies

import (
	"context"
	"embed"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the companies' pages.
func Room() web.Room { return web.Room{Name: "companies", Files: files, Open: open} }

// room serves the companies' pages.
type room struct {
	s       *web.Server
	svc     *services.Services
	records web.Records[*crm.Account]
}

func open(s *web.Server, reg *web.Registry) web.Routes {
	c := &room{s: s, svc: s.Services()}
	c.records = web.Records[*crm.Account]{Kind: crm.KindAccount, Use: c.svc.Accounts, Ref: ref, MergeText: mergeText,
		Recent: "a", RecentDetail: func(pg *web.Page, a *crm.Account) string { return pg.Enum("stage", a.Stage) },
		Named: c.named}
	web.OfferKind(reg, c.records)
	reg.OfferNav(web.NavEntry{Key: crm.KindAccount.ListPage, Path: crm.KindAccount.Path, Label: "nav.companies", Order: 20})
	reg.OfferHomeSection(web.HomeSection{Place: web.HomeActions, Order: 10, Render: c.homeNew})
	reg.OfferHomeSection(web.HomeSection{Place: web.HomeMain, Order: 10, Render: c.keyAccounts})
	reg.OfferHomeSection(web.HomeSection{Place: web.HomeMain, Order: 20, Render: c.changed})
	list := c.list()
	form := web.Form[*crm.Account, companyForm]{Records: c.records, Page: "companies/form", NewTitle: "companies.new",
		Fields: fields{c}, Choices: formChoices()}
	return func(mux web.Mux) {
		list.Routes(s, mux)
		form.Routes(s, mux)
		mux.HandleFunc("GET /companies/{id}", s.SignedIn(c.page))
	}
}

// ref is what shared code says of a company.
func ref(a *crm.Account) web.Ref {
	return web.Ref{ID: a.ID, Version: a.Version, Owner: a.OwnerID, Name: a.Name, Binned: a.DeletedAt != nil}
}

// named lists the companies whose name is or starts with name, for the company picker without
// JavaScript.
func (c *room) named(ctx context.Context, p crm.Principal, name string, limit int) ([]*crm.Account, error) {
	page, err := c.svc.Accounts.List(ctx, p, services.AccountFilter{Name: name, Limit: limit})
	return page.Items, err
}
