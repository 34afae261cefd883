// Package home is the room of the home page (/, "Today"): the greeting, the sections other rooms offer
// for it on the web core's registry (the companies room's key accounts and latest changes), and the
// records the browser showed its user lately, of every kind.
package home

import (
	"embed"
	"html/template"
	"net/http"

	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the home page.
func Room() web.Room { return web.Room{Name: "home", Files: files, Open: open} }

func open(s *web.Server, reg *web.Registry) web.Routes {
	reg.OfferNav(web.NavEntry{Key: "home", Path: "/", Label: "nav.home", Order: 10})
	return func(mux web.Mux) {
		mux.HandleFunc("GET /{$}", s.SignedIn(func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
			serve(s, reg, w, r, pg)
		}))
	}
}

type homeView struct {
	*web.Page
	Actions, Sections []template.HTML
	Recent            []web.RecentItem
}

// serve serves GET /: the user's day, as far as tili knows it yet.
func serve(s *web.Server, reg *web.Registry, w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.home"), "home"
	view := homeView{Page: pg}
	var err error
	if view.Actions, err = reg.HomeSections(r, pg, web.HomeActions); err != nil {
		s.Fail(w, r, pg, err)
		return
	}
	if view.Sections, err = reg.HomeSections(r, pg, web.HomeMain); err != nil {
		s.Fail(w, r, pg, err)
		return
	}
	view.Recent = s.Recent(r, pg)
	s.Render(w, r, http.StatusOK, "home/home", view)
}
