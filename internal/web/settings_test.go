package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/i18n"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// saveSettings posts the settings form as it stands on the page, with changes.
func saveSettings(t *testing.T, c *testutil.Client, change map[string]string) *testutil.Response {
	t.Helper()
	page := c.Do("GET", "/settings", nil)
	want(t, page, http.StatusOK)
	v := formFields(t, page.Body, "/settings")
	for k, s := range change {
		v.Set(k, s)
	}
	return form(c, "/settings", v)
}

var timeRE = regexp.MustCompile(`<time datetime="([^"]+)">([^<]*)</time>`)

func TestSettings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.company(t, &crm.Account{Name: "Aikavyöhyke Oy", OwnerID: w.sanna.ID})
		sanna := w.browser(t, w.sanna)
		if lang := htmlAttr(sanna.Do("GET", "/companies", nil).Body, "lang"); lang != "fi" {
			t.Fatalf("a new user's pages are in %q", lang)
		}

		// the language: the next page speaks it, and so does every page after
		r := saveSettings(t, sanna, map[string]string{"language": "en"})
		page := follow(t, sanna, r)
		if lang := htmlAttr(page.Body, "lang"); lang != "en" {
			t.Errorf("after choosing English: <html lang=%q>", lang)
		}
		if msg := flash(page.Body); msg != w.T(i18n.En, "settings.saved") {
			t.Errorf("after choosing English: flash %q", msg)
		}
		r = sanna.Do("GET", "/companies", nil, "Accept-Language", "fi")
		if lang := htmlAttr(r.Body, "lang"); lang != "en" || !strings.Contains(string(r.Body), ">"+w.T(i18n.En, "nav.companies")+"<") {
			t.Errorf("the companies page after choosing English: lang %q", lang)
		}

		// a time zone that does not exist is refused on its field, and nothing changes
		r = saveSettings(t, sanna, map[string]string{"time_zone": "Mars/Olympus", "language": "fi", "theme": "dark"})
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "time_zone") || inputValue(r.Body, "time_zone") != "Mars/Olympus" {
			t.Errorf("a bad time zone: invalid fields %v, value %q", anyInvalid(r.Body), inputValue(r.Body, "time_zone"))
		}
		u, err := w.app.Svc.Users.Get(context.Background(), bySystem, w.sanna.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.TimeZone != "Europe/Helsinki" || u.Language != "en" || u.Theme != "system" {
			t.Errorf("a refused settings form changed the user: %s %s %s", u.TimeZone, u.Language, u.Theme)
		}

		// a real one changes how times show
		times := func() (time.Time, string) {
			t.Helper()
			m := timeRE.FindSubmatch(sanna.Do("GET", "/companies", nil).Body)
			if m == nil {
				t.Fatal("no time on the companies page")
			}
			at, err := time.Parse(time.RFC3339, html.UnescapeString(string(m[1])))
			if err != nil {
				t.Fatal(err)
			}
			return at, html.UnescapeString(string(m[2]))
		}
		at, shown := times()
		if _, off := at.Zone(); off != offset(at, "Europe/Helsinki") || !strings.Contains(shown, i18n.Time(i18n.En, at, mustZone(t, "Europe/Helsinki"))) {
			t.Errorf("in Helsinki time the page shows %s as %q", at, shown)
		}
		follow(t, sanna, saveSettings(t, sanna, map[string]string{"time_zone": "Asia/Tokyo"}))
		at, shown = times()
		if _, off := at.Zone(); off != 9*3600 || !strings.Contains(shown, i18n.Time(i18n.En, at, mustZone(t, "Asia/Tokyo"))) {
			t.Errorf("in Tokyo time the page shows %s as %q", at, shown)
		}

		// the theme
		page = follow(t, sanna, saveSettings(t, sanna, map[string]string{"theme": "dark"}))
		if theme := htmlAttr(page.Body, "data-theme"); theme != "dark" {
			t.Errorf("after choosing dark: data-theme %q", theme)
		}
		if got := formFields(t, page.Body, "/settings"); got.Get("theme") != "dark" || got.Get("time_zone") != "Asia/Tokyo" || got.Get("language") != "en" {
			t.Errorf("the settings form shows %v", got)
		}
		page = follow(t, sanna, saveSettings(t, sanna, map[string]string{"theme": "system"}))
		if strings.Contains(string(page.Body[:min(len(page.Body), 300)]), "data-theme") {
			t.Error("the system theme still sets data-theme")
		}
		// a theme that does not exist is refused
		if r := saveSettings(t, sanna, map[string]string{"theme": "pink"}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("theme pink: %d", r.StatusCode)
		}

		// the language switch in the page's header is the user's setting too, and stays on this site
		r = form(sanna, "/language", url.Values{"lang": {"fi"}, "back": {"//evil.example/x"}})
		want(t, r, http.StatusSeeOther)
		if location(r) != "/" {
			t.Errorf("the language switch sends the user to %s", location(r))
		}
		if u, _ := w.app.Svc.Users.Get(context.Background(), bySystem, w.sanna.ID); u.Language != "fi" {
			t.Errorf("after switching to Finnish the user's language is %q", u.Language)
		}
		if lang := htmlAttr(w.browser(t, w.sanna).Do("GET", "/companies", nil, "Accept-Language", "en").Body, "lang"); lang != "fi" {
			t.Errorf("a new session after switching to Finnish: lang %q", lang)
		}
	})
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		sanna, laptop := w.browser(t, w.sanna), w.browser(t, w.sanna)
		const next = "uusi pitkä salasana ilman kaavaa"
		change := func(current, password, again string) *testutil.Response {
			return form(sanna, "/settings/password", url.Values{"username": {w.sanna.Email}, "current_password": {current},
				"password": {password}, "password2": {again}})
		}
		signInWith := func(password string) int {
			return form(w.app.Browser(), "/login", url.Values{"email": {w.sanna.Email}, "password": {password}, "next": {"/"}}).StatusCode
		}

		r := change("väärä salasana tämä on", next, next)
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "current_password") {
			t.Errorf("a wrong current password: invalid fields %v", anyInvalid(r.Body))
		}
		r = change(testutil.Password, next, next+"x")
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "password2") {
			t.Errorf("differing new passwords: invalid fields %v", anyInvalid(r.Body))
		}
		r = change(testutil.Password, "lyhyt", "lyhyt")
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "password") {
			t.Errorf("a short new password: invalid fields %v", anyInvalid(r.Body))
		}
		if signInWith(testutil.Password) != http.StatusSeeOther {
			t.Fatal("a refused change changed the password")
		}

		page := follow(t, sanna, change(testutil.Password, next, next))
		if flash(page.Body) != w.T(i18n.Fi, "settings.password_changed") {
			t.Errorf("after changing the password: flash %q", flash(page.Body))
		}
		if got := signInWith(testutil.Password); got != http.StatusUnauthorized {
			t.Errorf("the old password signs in: %d", got)
		}
		if got := signInWith(next); got != http.StatusSeeOther {
			t.Errorf("the new password does not sign in: %d", got)
		}
		// the session the change was made in goes on; the other one has ended
		want(t, sanna.Do("GET", "/companies", nil), http.StatusOK)
		if r := laptop.Do("GET", "/companies", nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location(r), "/login") {
			t.Errorf("the other session after a password change: %d %s", r.StatusCode, location(r))
		}

		// the failed change is in the audit log, and guessing the current password is throttled as a
		// sign-in is
		events, err := w.app.Svc.Users.AuditLog(context.Background(), bySystem, "password.change_failed", 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(events.Items) != 1 || events.Items[0].ActorID != w.sanna.ID {
			t.Errorf("audited failed password changes: %+v", events.Items)
		}
		throttled := false
		for i := 0; i < 12 && !throttled; i++ {
			r := change(fmt.Sprintf("arvaus numero %d tässä", i), "toinen pitkä salasana", "toinen pitkä salasana")
			throttled = r.StatusCode == http.StatusTooManyRequests && r.Header.Get("Retry-After") != ""
		}
		if !throttled {
			t.Error("twelve wrong current passwords in a row were not throttled")
		}
	})
}

func TestLanguageNegotiation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for header, lang := range map[string]string{
			"fi": "fi", "fi-FI,fi;q=0.9,en;q=0.8": "fi", "en-GB": "en", "en-GB,en;q=0.9": "en", "en-US,en;q=0.9,fi;q=0.8": "en",
			"sv-FI": "fi", "de-DE": "fi", "": "fi", "de,en;q=0.5": "en",
		} {
			r := w.app.Browser().Do("GET", "/login", nil, "Accept-Language", header)
			want(t, r, http.StatusOK)
			if got := htmlAttr(r.Body, "lang"); got != lang {
				t.Errorf("Accept-Language %q: <html lang=%q>, want %q", header, got, lang)
			}
			if title := w.T(i18n.Lang(lang), "sign.in"); !strings.Contains(string(r.Body), title) {
				t.Errorf("Accept-Language %q: the page does not say %q", header, title)
			}
		}
		// a page a link leads to from outside speaks the browser's language too
		r := w.app.Browser().Do("GET", "/set-password?token=nonsense", nil, "Accept-Language", "en-GB")
		want(t, r, http.StatusNotFound)
		if got := htmlAttr(r.Body, "lang"); got != "en" {
			t.Errorf("a dead link's page in English: lang %q", got)
		}
		// the language the user chose on the page wins over the browser's
		c := w.app.Browser()
		want(t, form(c, "/language", url.Values{"lang": {"en"}, "back": {"/login"}}), http.StatusSeeOther)
		if got := htmlAttr(c.Do("GET", "/login", nil, "Accept-Language", "fi").Body, "lang"); got != "en" {
			t.Errorf("after choosing English on the page: lang %q", got)
		}

		// dates: 29.11.2026 in Finnish, 29 Nov 2026 in English
		a := w.company(t, &crm.Account{Name: "Päiväys Oy", OwnerID: w.sanna.ID})
		created := w.account(t, a.ID).CreatedAt
		helsinki := mustZone(t, "Europe/Helsinki")
		sanna := w.browser(t, w.sanna)
		body := string(sanna.Do("GET", "/companies/"+itoa(a.ID), nil, "Accept-Language", "en").Body)
		fiDate := created.In(helsinki).Format("2.1.2006")
		if !regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.\d{4}\b`).MatchString(fiDate) || !strings.Contains(body, ">"+fiDate+"<") {
			t.Errorf("the Finnish company page does not show the date %s", fiDate)
		}
		w.setLanguage(t, w.sanna, "en")
		body = string(sanna.Do("GET", "/companies/"+itoa(a.ID), nil, "Accept-Language", "fi").Body)
		if enDate := created.In(helsinki).Format("2 Jan 2006"); !strings.Contains(body, ">"+enDate+"<") {
			t.Errorf("the English company page does not show the date %s", enDate)
		}
		if strings.Contains(body, ">"+fiDate+"<") {
			t.Error("the English company page shows a Finnish date")
		}
	})
}

// offset is the UTC offset of zone at t, in seconds.
func offset(t time.Time, zone string) int {
	loc, _ := time.LoadLocation(zone)
	_, off := t.In(loc).Zone()
	return off
}
