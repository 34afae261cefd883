// Package people is the room of the people's pages: their list (/people) with its filters and export, a
// person's page and their form, all built on the web core's kits. Through the core's registry it offers
// the navigation entry, the people panel and the "add person" button on a company's page, and what the
// shared record pages need of people (share, reassign, history, bin, merge, the recently viewed list).
package people

import (
	"embed"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the people's pages.
func Room() web.Room { return web.Room{Name: "people", Files: files, Open: open} }

// room serves the people's pages.
type room struct {
	s       *web.Server
	svc     *services.Services
	records web.Records[*crm.Contact]
}

func open(s *web.Server, reg *web.Registry) web.Routes {
	c := &room{s: s, svc: s.Services()}
	c.records = web.Records[*crm.Contact]{Kind: crm.KindContact, Use: c.svc.Contacts, MergeText: mergeText,
		Ref: func(p *crm.Contact) web.Ref {
			return web.Ref{ID: p.ID, Version: p.Version, Owner: p.OwnerID, Name: p.Name(), Binned: p.DeletedAt != nil}
		},
		Recent: "c", RecentDetail: func(_ *web.Page, p *crm.Contact) string { return p.Title }}
	web.OfferKind(reg, c.records)
	reg.OfferNav(web.NavEntry{Key: crm.KindContact.ListPage, Path: crm.KindContact.Path, Label: "nav.people", Order: 30})
	reg.OfferPanel(web.RecordPanel{Kind: crm.KindAccount, Place: web.RecordActions, Order: 10, Render: c.addToCompany})
	reg.OfferPanel(web.RecordPanel{Kind: crm.KindAccount, Place: web.RecordMain, Order: 10, Render: c.ofCompany})
	list := c.list()
	form := web.Form[*crm.Contact, personForm]{Records: c.records, Page: "people/form", NewTitle: "people.add",
		Fields: fields{c}, Choices: formChoices()}
	return func(mux web.Mux) {
		list.Routes(s, mux)
		form.Routes(s, mux)
		mux.HandleFunc("GET /people/{id}", s.SignedIn(c.page))
	}
}
