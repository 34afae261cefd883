package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tili/internal/app"
	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
	"tili/internal/web"
)

func TestHeadersOfEveryPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.company(t, &crm.Account{Name: "Otsake Oy", OwnerID: w.sanna.ID, Phones: []string{"040 123 4567"}})
		w.company(t, &crm.Account{Name: "Otsake Toinen Oy", OwnerID: w.sanna.ID})
		w.person(t, &crm.Contact{FirstName: "Olli", LastName: "Otsake", AccountID: a.ID, Emails: []string{"olli@otsake.fi"}})
		admin := w.browser(t, w.admin)
		check := func(what string, r *testutil.Response) {
			t.Helper()
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("%s: %d Cache-Control %q", what, r.StatusCode, cc)
			}
			if r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options %q", what, r.Header.Get("X-Content-Type-Options"))
			}
		}
		seen := crawl(t, admin, "/", 200)
		for _, must := range []string{"/companies/" + itoa(a.ID), "/settings", "/admin/users"} {
			if !seen[must] {
				t.Errorf("the crawl did not reach %s", must)
			}
		}
		for p := range seen {
			check("GET "+p, admin.Do("GET", p, nil))
		}
		// pages that answer a form, refusals and errors hold personal data too
		check("GET /search/suggest", admin.Do("GET", "/search/suggest?q=otsake", nil))
		check("GET a missing company", admin.Do("GET", "/companies/999999", nil))
		check("GET a page the user may not see", w.browser(t, w.sanna).Do("GET", "/admin/users", nil))
		check("POST a refused form", form(admin, "/companies/new", url.Values{"name": {"Otsake Kolmas Oy"}, "business_id": {"0112038-8"}}))
		check("POST a bulk confirmation", form(admin, "/companies/bulk", url.Values{"action": {"stage"}, "stage": {"customer"}, "id": {itoa(a.ID)}}))
		check("POST an invitation", form(admin, "/admin/users", url.Values{"email": {"uusi@example.fi"}, "name": {"Uusi"}, "role": {"read_only"}}))
		check("GET the sign-in page", w.app.Browser().Do("GET", "/login", nil))
		check("GET an export", admin.Do("GET", "/companies/export?format=csv", nil))
		if r := admin.Do("GET", "/static/tili.css", nil); r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("the stylesheet may be sniffed")
		}
	})
}

// postRoutes are the state-changing routes of the pages, as the rooms register them.
func postRoutes(t *testing.T, svc *services.Services) []string {
	t.Helper()
	pages, err := web.New(web.Options{Services: svc, Rooms: app.WebRooms()})
	if err != nil {
		t.Fatal(err)
	}
	var routes routeList
	pages.Routes(&routes)
	var out []string
	for _, pattern := range routes {
		if path, ok := strings.CutPrefix(pattern, "POST "); ok {
			out = append(out, path)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d POST routes found: %v", len(out), out)
	}
	return out
}

// routeList lists the patterns routes are registered with.
type routeList []string

func (l *routeList) Handle(pattern string, _ http.Handler) { *l = append(*l, pattern) }

func (l *routeList) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*l = append(*l, pattern)
}

func TestCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		a := w.company(t, &crm.Account{Name: "Kohde Oy", OwnerID: w.sanna.ID})
		dup := w.company(t, &crm.Account{Name: "Kohde Kopio Oy", OwnerID: w.sanna.ID})
		p := w.person(t, &crm.Contact{FirstName: "Kalle", LastName: "Kohde", AccountID: a.ID})
		if _, err := w.app.Svc.Accounts.Delete(ctx, bySystem, dup.ID, 0); err != nil {
			t.Fatal(err)
		}
		admin := w.browser(t, w.admin)
		// a saved view, a share and a token to aim at
		follow(t, admin, form(admin, "/companies/views", url.Values{"name": {"Näkymä"}, "query": {"stage=customer"}}))
		views, _ := w.app.Svc.Views.List(ctx, crm.Principal{UserID: w.admin.ID, Role: crm.Admin}, "companies")
		want(t, form(admin, "/companies/"+itoa(a.ID)+"/share", url.Values{"with": {"user:" + itoa(w.jari.ID)}, "level": {"read"}}), http.StatusSeeOther)
		w.app.Token(w.sanna, "read")
		tokens, _ := w.app.Svc.Auth.Tokens(ctx, bySystem, 0)
		if len(views) != 1 || len(tokens) != 1 {
			t.Fatalf("set-up: %d views, %d tokens", len(views), len(tokens))
		}
		shareRE := regexp.MustCompile(`action="/shares/(\d+)/delete"`)
		share := shareRE.FindSubmatch(admin.Do("GET", "/companies/"+itoa(a.ID)+"/share", nil).Body)
		if share == nil {
			t.Fatal("set-up: the share is not on the page")
		}
		ids := map[string]string{"/companies/": itoa(a.ID), "/people/": itoa(p.ID), "/companies/views/": itoa(views[0].ID),
			"/people/views/": itoa(views[0].ID), "/shares/": string(share[1]), "/admin/users/": itoa(w.jari.ID),
			"/admin/tokens/": itoa(tokens[0].ID)}
		before := snapshot(t, w, a.ID, p.ID)

		for _, route := range postRoutes(t, w.app.Svc) {
			path := route
			for prefix, id := range ids {
				if strings.HasPrefix(route, prefix+"{id}") {
					path = strings.Replace(route, "{id}", id, 1)
				}
			}
			body := url.Values{"name": {"Hyökkäys Oy"}, "stage": {"former"}, "version": {"1"}, "lang": {"en"}, "language": {"en"},
				"owner": {itoa(w.paivi.ID)}, "dup": {itoa(dup.ID)}, "action": {"stage"}, "id": {itoa(a.ID)}, "confirm": {"1"},
				"email": {"hyokkaaja@example.fi"}, "role": {"admin"}, "user": {itoa(w.paivi.ID)}, "scope": {"write"}, "level": {"edit"},
				"account": {"everyone_read"}, "contact": {"everyone_read"}, "with": {"user:" + itoa(w.paivi.ID)}, "first_name": {"Hyökkääjä"}, "query": {"q=x"},
				"password": {"hyökkääjän pitkä salasana"}, "password2": {"hyökkääjän pitkä salasana"}, "current_password": {testutil.Password},
				"theme": {"dark"}, "time_zone": {"Asia/Tokyo"}}
			for _, header := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "http://evil.example"}} {
				r := admin.Do("POST", path, body.Encode(), "Content-Type", "application/x-www-form-urlencoded", header[0], header[1])
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with %s: %s: %d, want 403", path, header[0], header[1], r.StatusCode)
				}
			}
		}
		if after := snapshot(t, w, a.ID, p.ID); after != before {
			t.Errorf("cross-origin posts changed something:\nbefore %s\nafter  %s", before, after)
		}
		// the session was not signed out either, and the same site's own posts still work
		want(t, admin.Do("GET", "/companies", nil), http.StatusOK)
		want(t, admin.Do("POST", "/language", url.Values{"lang": {"fi"}, "back": {"/"}}.Encode(), "Content-Type", "application/x-www-form-urlencoded",
			"Sec-Fetch-Site", "same-origin"), http.StatusSeeOther)
		// a cross-site link (a GET) still opens a page
		want(t, admin.Do("GET", "/companies/"+itoa(a.ID), nil, "Sec-Fetch-Site", "cross-site"), http.StatusOK)
	})
}

// snapshot is what a state-changing request could change, as text to compare.
func snapshot(t *testing.T, w *world, accountID, contactID int64) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	a := w.account(t, accountID)
	c, err := w.app.Svc.Contacts.Get(ctx, bySystem, contactID)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := w.app.Svc.Users.List(ctx, bySystem)
	teams, _ := w.app.Svc.Users.Teams(ctx, bySystem)
	tokens, _ := w.app.Svc.Auth.Tokens(ctx, bySystem, 0)
	sharing, _ := w.app.Svc.Access.Sharing(ctx, bySystem)
	views, _ := w.app.Svc.Views.List(ctx, crm.Principal{UserID: w.admin.ID, Role: crm.Admin}, "companies")
	accounts, _ := w.app.Svc.Accounts.List(ctx, bySystem, services.AccountFilter{Limit: 1000})
	binned, _ := w.app.Svc.Accounts.List(ctx, bySystem, services.AccountFilter{Limit: 1000, Binned: true})
	b.WriteString("account v" + itoa(a.Version) + " contact v" + itoa(c.Version))
	for _, u := range users {
		b.WriteString(" user " + u.Email + " v" + itoa(u.Version) + " " + string(u.Role) + " " + u.Language + " " + u.Theme)
		if u.DisabledAt != nil {
			b.WriteString(" disabled")
		}
	}
	b.WriteString(" teams " + itoa(int64(len(teams))) + " views " + itoa(int64(len(views))))
	for _, tk := range tokens {
		b.WriteString(" token " + itoa(tk.ID))
		if tk.RevokedAt != nil {
			b.WriteString(" revoked")
		}
	}
	for _, entity := range []struct {
		kind string
		id   int64
	}{{"account", accountID}, {"contact", contactID}} {
		shares, _ := w.app.Svc.Access.Shares(ctx, bySystem, entity.kind, entity.id)
		b.WriteString(" " + entity.kind + " shares " + itoa(int64(len(shares))))
	}
	b.WriteString(" sharing " + string(sharing["account"]) + "/" + string(sharing["contact"]))
	b.WriteString(" accounts " + itoa(int64(len(accounts.Items))) + " binned " + itoa(int64(len(binned.Items))))
	return b.String()
}
