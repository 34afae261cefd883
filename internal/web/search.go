package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"tili/internal/services"
)

type searchView struct {
	*Page
	Hits []services.Hit
	Next string
}

// GET /search?q=: companies and people together.
func (s *Server) search(w http.ResponseWriter, r *http.Request, pg *Page) {
	q := filterText(r.URL.Query().Get("q"))
	pg.Title, pg.Nav, pg.Query = pg.T("nav.search"), "search", q
	view := searchView{Page: pg}
	if q != "" {
		page, err := s.svc.Search.Find(r.Context(), pg.Principal, q, 50, r.URL.Query().Get("after"))
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		view.Hits = page.Items
		if page.Next != "" {
			view.Next = "?q=" + url.QueryEscape(q) + "&after=" + url.QueryEscape(page.Next)
		}
	}
	s.render(w, r, http.StatusOK, "search", view)
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
func (s *Server) suggest(w http.ResponseWriter, r *http.Request, pg *Page) {
	q, kind := filterText(r.URL.Query().Get("q")), r.URL.Query().Get("kind")
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
		page, err := s.svc.Search.Find(r.Context(), pg.Principal, q, fetch, after)
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		for _, h := range page.Items {
			if (kind != "" && h.Kind != kind) || len(out.Items) >= limit {
				continue
			}
			out.Items = append(out.Items, suggestion{Kind: h.Kind, ID: h.ID, Name: h.Name, Detail: h.Detail, URL: namedRecordPath(h.Kind, h.ID)})
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
