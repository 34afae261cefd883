package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

func TestAdminPagesOnlyForAdministrators(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		head := w.app.User("head@example.fi", crm.SalesHead, []int64{w.south}, 0)
		admin := w.browser(t, w.admin)
		pages := []string{"/admin/users", "/admin/teams", "/admin/tokens", "/admin/sharing", "/admin/users/" + itoa(w.sanna.ID)}
		for _, p := range pages {
			want(t, admin.Do("GET", p, nil), http.StatusOK)
			for _, u := range []*crm.User{w.sanna, head, w.reader} {
				if r := w.browser(t, u).Do("GET", p, nil); r.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s as %s: %d, want 403", p, u.Role, r.StatusCode)
				}
			}
			r := w.app.Browser().Do("GET", p, nil)
			if r.StatusCode != http.StatusSeeOther || location(r) != "/login?next="+url.QueryEscape(p) {
				t.Errorf("GET %s without signing in: %d to %q", p, r.StatusCode, location(r))
			}
		}
		if strings.Contains(string(w.browser(t, head).Do("GET", "/", nil).Body), `href="/admin/`) {
			t.Error("a sales head is offered the administration pages")
		}

		// nor may anyone else change what they administer
		users, _ := w.app.Svc.Users.List(context.Background(), bySystem)
		sharing, _ := w.app.Svc.Access.Sharing(context.Background(), bySystem)
		sanna := w.browser(t, w.sanna)
		for path, v := range map[string]url.Values{
			"/admin/users":                                 {"email": {"uusi@example.fi"}, "name": {"Uusi"}, "role": {"admin"}},
			"/admin/users/" + itoa(w.sanna.ID):             {"name": {"Sanna"}, "role": {"admin"}, "version": {"1"}},
			"/admin/users/" + itoa(w.jari.ID) + "/disable": nil,
			"/admin/users/" + itoa(w.jari.ID) + "/reset":   nil,
			"/admin/teams":                                 {"name": {"Oma tiimi"}},
			"/admin/tokens":                                {"user": {itoa(w.sanna.ID)}, "scope": {"write"}},
			"/admin/sharing":                               {"account": {"everyone_read"}},
		} {
			if r := form(sanna, path, v); r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s as an account manager: %d, want 403", path, r.StatusCode)
			}
		}
		after, _ := w.app.Svc.Users.List(context.Background(), bySystem)
		if len(after) != len(users) {
			t.Error("an account manager added a user")
		}
		for _, u := range after {
			if u.ID == w.sanna.ID && u.Role != crm.AccountManager {
				t.Errorf("an account manager made herself %s", u.Role)
			}
			if u.DisabledAt != nil {
				t.Errorf("an account manager disabled %s", u.Email)
			}
		}
		if now, _ := w.app.Svc.Access.Sharing(context.Background(), bySystem); now["account"] != sharing["account"] {
			t.Error("an account manager changed the sharing setting")
		}
		if tokens, _ := w.app.Svc.Auth.Tokens(context.Background(), bySystem, 0); len(tokens) != 0 {
			t.Error("an account manager made an API token")
		}
	})
}

var linkRE = regexp.MustCompile(`/set-password\?token=([A-Za-z0-9_\-.~%]+)`)

func TestInviteDisableAndTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		admin := w.browser(t, w.admin)

		// inviting a user shows a one-time link to choose a password
		v := url.Values{"email": {"Anna.Aalto@Example.fi"}, "name": {"Anna Aalto"}, "role": {"sales_head"},
			"team": {itoa(w.north)}, "language": {"en"}}
		r := form(admin, "/admin/users", v)
		want(t, r, http.StatusOK)
		m := linkRE.FindSubmatch(r.Body)
		if m == nil {
			t.Fatal("the invitation shows no password link")
		}
		link := "/set-password?token=" + html.UnescapeString(string(m[1]))
		anna, err := w.app.Svc.Users.ByEmail(context.Background(), bySystem, "anna.aalto@example.fi")
		if err != nil {
			t.Fatal(err)
		}
		if anna.Role != crm.SalesHead || len(anna.TeamIDs) != 1 || anna.TeamIDs[0] != w.north || anna.Language != "en" {
			t.Errorf("the invited user: %+v", anna)
		}
		if strings.Contains(string(admin.Do("GET", "/admin/users", nil).Body), string(m[1])) {
			t.Error("the link is shown again")
		}
		// the same address again is refused on its field
		r = form(admin, "/admin/users", v)
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "email") || inputValue(r.Body, "name") != "Anna Aalto" {
			t.Errorf("inviting the same address again: invalid fields %v", anyInvalid(r.Body))
		}
		r = form(admin, "/admin/users", url.Values{"email": {"ei-osoite"}, "name": {"Kuka"}, "role": {"read_only"}})
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "email") {
			t.Errorf("inviting a bad address: invalid fields %v", anyInvalid(r.Body))
		}

		// the link works once
		b := w.app.Browser()
		page := b.Do("GET", link, nil)
		want(t, page, http.StatusOK)
		if !strings.Contains(string(page.Body), "anna.aalto@example.fi") {
			t.Error("the password page does not say whose password it is")
		}
		fields := formFields(t, page.Body, "/set-password")
		fields.Set("password", "annan oma pitkä salasana")
		fields.Set("password2", "annan oma pitkä salasana")
		r = form(b, "/set-password", fields)
		want(t, r, http.StatusSeeOther)
		home := b.Do("GET", location(r), nil)
		want(t, home, http.StatusOK)
		if !strings.Contains(string(home.Body), ">Anna Aalto<") || htmlAttr(home.Body, "lang") != "en" {
			t.Errorf("after choosing a password: not signed in as Anna in English (lang %q)", htmlAttr(home.Body, "lang"))
		}
		want(t, w.app.Browser().Do("GET", link, nil), http.StatusNotFound)
		fields.Set("password", "toinen pitkä salasana jota ei tule")
		fields.Set("password2", "toinen pitkä salasana jota ei tule")
		want(t, form(w.app.Browser(), "/set-password", fields), http.StatusNotFound)
		if r := form(w.app.Browser(), "/login", url.Values{"email": {"anna.aalto@example.fi"}, "password": {"annan oma pitkä salasana"}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("Anna cannot sign in with the password she chose: %d", r.StatusCode)
		}

		// disabling a user ends their sessions at once
		jari := w.browser(t, w.jari)
		want(t, jari.Do("GET", "/companies", nil), http.StatusOK)
		want(t, form(admin, "/admin/users/"+itoa(w.jari.ID)+"/disable", nil), http.StatusSeeOther)
		if r := jari.Do("GET", "/companies", nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location(r), "/login") {
			t.Errorf("a disabled user's session: %d %s", r.StatusCode, location(r))
		}
		if r := form(w.app.Browser(), "/login", url.Values{"email": {w.jari.Email}, "password": {testutil.Password}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled user signs in: %d", r.StatusCode)
		}
		if !strings.Contains(string(admin.Do("GET", "/admin/users/"+itoa(w.jari.ID), nil).Body), `action="/admin/users/`+itoa(w.jari.ID)+`/enable"`) {
			t.Error("the disabled user's page offers no enabling")
		}
		// an administrator cannot disable themselves
		r = form(admin, "/admin/users/"+itoa(w.admin.ID)+"/disable", nil)
		if r.StatusCode == http.StatusSeeOther {
			if msg := flash(admin.Do("GET", location(r), nil).Body); msg == "" {
				t.Error("disabling oneself: no message")
			}
		}
		want(t, admin.Do("GET", "/admin/users", nil), http.StatusOK)

		// an API token: shown once, works as a bearer token, stops working when revoked
		r = form(admin, "/admin/tokens", url.Values{"user": {itoa(w.sanna.ID)}, "scope": {"read"}, "name": {"raportit"}})
		want(t, r, http.StatusOK)
		tm := regexp.MustCompile(`<code class="pre">([^<]+)</code>`).FindSubmatch(r.Body)
		if tm == nil {
			t.Fatal("the new token is not shown")
		}
		token := html.UnescapeString(string(tm[1]))
		if strings.Contains(string(admin.Do("GET", "/admin/tokens", nil).Body), token) {
			t.Error("the token is shown again")
		}
		me := w.app.As(token).Do("GET", "/api/v1/me", nil)
		want(t, me, http.StatusOK)
		if !strings.Contains(string(me.Body), w.sanna.Email) {
			t.Errorf("the token is not sanna's: %s", me.Body)
		}
		if r := w.app.As(token).Do("POST", "/api/v1/accounts", map[string]string{"name": "Lukutoken Oy"}); r.StatusCode != http.StatusForbidden {
			t.Errorf("a read token writes: %d", r.StatusCode)
		}
		rm := regexp.MustCompile(`action="/admin/tokens/(\d+)/revoke"`).FindSubmatch(admin.Do("GET", "/admin/tokens", nil).Body)
		if rm == nil {
			t.Fatal("the token cannot be revoked from the page")
		}
		want(t, form(admin, "/admin/tokens/"+string(rm[1])+"/revoke", nil), http.StatusSeeOther)
		want(t, w.app.As(token).Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
		if strings.Contains(string(admin.Do("GET", "/admin/tokens", nil).Body), `action="/admin/tokens/`+string(rm[1])+`/revoke"`) {
			t.Error("a revoked token is still offered for revoking")
		}
	})
}

func TestAdminEditsUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		admin := w.browser(t, w.admin)
		path := "/admin/users/" + itoa(w.jari.ID)
		v := formFields(t, admin.Do("GET", path, nil).Body, path)
		if v.Get("role") != string(crm.AccountManager) || v.Get("team") != itoa(w.south) {
			t.Fatalf("the user form shows %v", v)
		}
		v.Set("role", string(crm.SalesHead))
		v["team"] = []string{itoa(w.north), itoa(w.south)}
		v.Set("manager", itoa(w.admin.ID))
		want(t, form(admin, path, v), http.StatusSeeOther)
		u, err := w.app.Svc.Users.Get(context.Background(), bySystem, w.jari.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != crm.SalesHead || len(u.TeamIDs) != 2 || u.TeamIDs[0] != w.north || u.ManagerID != w.admin.ID || u.Name != w.jari.Name {
			t.Errorf("after the edit: %+v", u)
		}
		// the form that was read before is stale now: refused, nothing changes
		v.Set("role", string(crm.ReadOnly))
		if r := form(admin, path, v); r.StatusCode < 400 {
			t.Errorf("a stale user form: %d", r.StatusCode)
		}
		if u, _ := w.app.Svc.Users.Get(context.Background(), bySystem, w.jari.ID); u.Role != crm.SalesHead {
			t.Errorf("a stale user form changed the role to %s", u.Role)
		}
		// no team ticked: no team
		v = formFields(t, admin.Do("GET", path, nil).Body, path)
		delete(v, "team")
		want(t, form(admin, path, v), http.StatusSeeOther)
		if u, _ := w.app.Svc.Users.Get(context.Background(), bySystem, w.jari.ID); len(u.TeamIDs) != 0 {
			t.Errorf("no team ticked: teams %v", u.TeamIDs)
		}
		// the administrator cannot take their own role away
		self := "/admin/users/" + itoa(w.admin.ID)
		v = formFields(t, admin.Do("GET", self, nil).Body, self)
		v.Set("role", string(crm.ReadOnly))
		if r := form(admin, self, v); r.StatusCode < 400 {
			t.Errorf("an administrator taking their own role: %d", r.StatusCode)
		}
		if u, _ := w.app.Svc.Users.Get(context.Background(), bySystem, w.admin.ID); u.Role != crm.Admin {
			t.Error("the administrator lost their role")
		}
	})
}
