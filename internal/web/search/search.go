// Package search is the room of search: the search page (/search), where companies and people are
// found together, and the suggestions (/search/suggest) the search box and the pickers ask as the user
// types.
package search

import (
	"embed"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the search pages.
func Room() web.Room { return web.Room{Name: "search", Files: files, Open: open} }

type room struct {
	s   *web.Server
	svc *services.Services
}

func open(s *web.Server, reg *web.Registry) web.Routes {
	rm := &room{s: s, svc: s.Services()}
	reg.OfferNav(web.NavEntry{Key: "search", Path: "/search", Label: "nav.search", Order: 40})
	return func(mux web.Mux) {
		mux.HandleFunc("GET /search", s.SignedIn(rm.search))
		mux.HandleFunc("GET /search/suggest", s.SignedIn(rm.suggest))
	}
}

type searchView struct {
	*web.Page
	Hits []services.Hit
	Next string
}

// GET /search?q=: companies and people together.
func (rm *room) search(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	q := web.FilterText(r.URL.Query().Get("q"))
	pg.Title, pg.Nav, pg.Query = pg.T("nav.search"), "search", q
	view := searchView{Page: pg}
	if q != "" {
		page, err := rm.svc.Search.Find(r.Context(), pg.Principal, q, 50, r.URL.Query().Get("after"))
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		view.Hits = page.Items
		if page.Next != "" {
			view.Next = "?q=" + url.QueryEscape(q) + "&after=" + url.QueryEscape(page.Next)
		}
	}
	rm.s.Render(w, r, http.StatusOK, "search/search", view)
}

type suggestion struct {
	Kind   string `json:"kind"`
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"`
	URL    string `json:"url"`
}

// GET /search/suggest?q=[&kind=account|contact]: the first hits as JSON, for the search box and the
// pickers.
func (rm *room) suggest(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	q, kind := web.FilterText(r.URL.Query().Get("q")), r.URL.Query().Get("kind")
	limit := 8
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 && n <= 20 {
		limit = n
	}
	out := struct {
		Items   []suggestion `json:"items"`
		MoreURL string       `json:"more_url"`
	}{Items: []suggestion{}, MoreURL: "/search?q=" + url.QueryEscape(q)}
	fetch := limit
	if kind != "" {
		fetch = 50 // the other kind's hits are dropped below
	}
	// With a kind, the hits of the other kind may fill the first pages (a picker of companies typed "aija"
	// where many people are called Aija): read on, a few pages at most, until there are enough.
	after := ""
	for pages := 0; pages < 10 && len(out.Items) < limit; pages++ {
		page, err := rm.svc.Search.Find(r.Context(), pg.Principal, q, fetch, after)
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		for _, h := range page.Items {
			if (kind != "" && h.Kind != kind) || len(out.Items) >= limit {
				continue
			}
			out.Items = append(out.Items, suggestion{Kind: h.Kind, ID: h.ID, Name: h.Name, Detail: h.Detail, URL: web.NamedRecordPath(h.Kind, h.ID)})
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}
