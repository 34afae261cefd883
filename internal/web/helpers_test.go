package web_test

import (
	"bytes"
	"cmp"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tili/internal/app"
	"tili/internal/crm"
	"tili/internal/i18n"
	"tili/internal/store"
	"tili/internal/testutil"
	"tili/internal/web"
)

// world is a small company: two teams, an administrator, three account managers and a read-only user,
// and companies made by the system with the owners the tests name.
//
//	Etelä:     sanna, jari (account managers)
//	Pohjoinen: paivi (account manager), lukija (read-only)
//
// Sharing is the default team_read: an account manager sees their team's companies and changes only
// their own; the read-only user sees their team's.
type world struct {
	app                               *testutil.App
	south, north                      int64
	admin, sanna, jari, paivi, reader *crm.User
	cat                               *i18n.Catalog
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	app := newApp(t, db)
	w := &world{app: app}
	w.south, w.north = app.Team("Etelä"), app.Team("Pohjoinen")
	w.admin = app.User("admin@example.fi", crm.Admin, nil, 0)
	w.sanna = app.User("sanna@example.fi", crm.AccountManager, []int64{w.south}, 0)
	w.jari = app.User("jari@example.fi", crm.AccountManager, []int64{w.south}, 0)
	w.paivi = app.User("paivi@example.fi", crm.AccountManager, []int64{w.north}, 0)
	w.reader = app.User("lukija@example.fi", crm.ReadOnly, []int64{w.north}, 0)
	w.cat = catalog(t, app)
	return w
}

var bySystem = crm.System(crm.SourceCLI)

// company adds a company as the system; its owner is whoever a names (the system leaves it unassigned).
func (w *world) company(t *testing.T, a *crm.Account) *crm.Account {
	t.Helper()
	if _, err := w.app.Svc.Accounts.Create(context.Background(), bySystem, a); err != nil {
		t.Fatalf("add %s: %v", a.Name, err)
	}
	return a
}

// person adds a person as the system.
func (w *world) person(t *testing.T, c *crm.Contact) *crm.Contact {
	t.Helper()
	if _, err := w.app.Svc.Contacts.Create(context.Background(), bySystem, c); err != nil {
		t.Fatalf("add %s: %v", c.Name(), err)
	}
	return c
}

// account reads a company back as the system, bin included.
func (w *world) account(t *testing.T, id int64) *crm.Account {
	t.Helper()
	a, err := w.app.Svc.Accounts.Get(context.Background(), bySystem, id)
	if err != nil {
		t.Fatalf("company #%d: %v", id, err)
	}
	return a
}

// browser is a browser signed in as u.
func (w *world) browser(t *testing.T, u *crm.User) *testutil.Client {
	t.Helper()
	c := w.app.Browser()
	signIn(t, c, u.Email)
	return c
}

// setLanguage makes u's pages speak lang.
func (w *world) setLanguage(t *testing.T, u *crm.User, lang string) {
	t.Helper()
	ctx := context.Background()
	cur, err := w.app.Svc.Users.Get(ctx, bySystem, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	cur.Language = lang
	if err := w.app.Svc.Users.Update(ctx, bySystem, cur); err != nil {
		t.Fatal(err)
	}
}

// catalog is the catalog the pages speak from: the shared messages and every room's.
func catalog(t *testing.T, tili *testutil.App) *i18n.Catalog {
	t.Helper()
	pages, err := web.New(web.Options{Services: tili.Svc, Rooms: app.WebRooms()})
	if err != nil {
		t.Fatal(err)
	}
	return pages.Catalog()
}

// T is a message of the catalog, for finding labels in pages.
func (w *world) T(lang i18n.Lang, key string, args ...any) string { return w.cat.T(lang, key, args...) }

// want fails the test when the response's status is not status.
func want(t *testing.T, r *testutil.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		body := string(r.Body)
		if len(body) > 3000 {
			body = body[:3000] + "…"
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.RequestURI(), r.StatusCode, status, body)
	}
}

// location is where a redirect points.
func location(r *testutil.Response) string { return r.Header.Get("Location") }

var (
	rowNameRE = regexp.MustCompile(`<td data-label="[^"]*"><a href="/companies/(\d+)">([^<]*)</a>`)
	nextRE    = regexp.MustCompile(`<a class="btn small" href="([^"]*)" rel="next">`)
	flashRE   = regexp.MustCompile(`(?s)<div class="flash ok" role="status">(.*?) <button`)
	hiddenRE  = regexp.MustCompile(`<input type="hidden" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)">`)
)

// listNames returns the companies of a companies list page, in the order shown.
func listNames(body []byte) []string {
	var out []string
	for _, m := range rowNameRE.FindAllStringSubmatch(string(body), -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

// listIDs returns the ids of the companies of a companies list page, in the order shown.
func listIDs(body []byte) []int64 {
	var out []int64
	for _, m := range rowNameRE.FindAllStringSubmatch(string(body), -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// nextLink is the address of a list's next page ("" on the last page), relative to /companies.
func nextLink(body []byte) string {
	m := nextRE.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// flash is the message a page shows from the previous action.
func flash(body []byte) string {
	m := flashRE.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// hidden returns the hidden inputs of a page by name (the last one of a name wins).
func hidden(body []byte) map[string]string {
	out := map[string]string{}
	for _, m := range hiddenRE.FindAllSubmatch(body, -1) {
		out[string(m[1])] = html.UnescapeString(string(m[2]))
	}
	return out
}

// follow GETs where a see-other answer points and returns that page.
func follow(t *testing.T, c *testutil.Client, r *testutil.Response) *testutil.Response {
	t.Helper()
	want(t, r, http.StatusSeeOther)
	return c.Do("GET", location(r), nil)
}

// invalid reports whether the form control with id is marked aria-invalid.
func invalid(body []byte, id string) bool {
	re := regexp.MustCompile(`<(?:input|textarea|select) id="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	m := re.Find(body)
	return m != nil && strings.Contains(string(m), `aria-invalid="true"`)
}

// anyInvalid lists the ids of the controls marked aria-invalid.
func anyInvalid(body []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<(?:input|textarea|select) id="([^"]+)"[^>]*aria-invalid="true"`).FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// inputValue is the value of the input with id, "" when there is none.
func inputValue(body []byte, id string) string {
	re := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]* value="([^"]*)"`)
	m := re.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// textareaValue is the text of the textarea with id.
func textareaValue(body []byte, id string) string {
	re := regexp.MustCompile(`(?s)<textarea id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</textarea>`)
	m := re.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// htmlAttr returns an attribute of the page's <html> element ("" when it has none).
func htmlAttr(body []byte, name string) string {
	m := regexp.MustCompile(`<html[^>]*\s` + regexp.QuoteMeta(name) + `="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		return ""
	}
	return string(m[1])
}

var (
	tagRE      = regexp.MustCompile(`(?s)<input\b[^>]*>|<select\b[^>]*>.*?</select>|<textarea\b[^>]*>.*?</textarea>`)
	attrRE     = regexp.MustCompile(`\s([a-z_-]+)(?:="([^"]*)")?`)
	optionRE   = regexp.MustCompile(`<option value="([^"]*)"([^>]*)>`)
	textareaRE = regexp.MustCompile(`(?s)^<textarea\b[^>]*>(.*?)</textarea>$`)
)

// formFields returns what a browser sends for the form with action on a page, as it stands: its inputs,
// the selected options of its selects and its textareas. Checkboxes count when checked.
func formFields(t *testing.T, body []byte, action string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form\b[^>]*action="` + regexp.QuoteMeta(action) + `"[^>]*>(.*?)</form>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no form to %s on the page", action)
	}
	out := url.Values{}
	for _, tag := range tagRE.FindAll(m[1], -1) {
		open := tag
		if i := bytes.IndexByte(tag, '>'); i >= 0 {
			open = tag[:i]
		}
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllSubmatch(open, -1) {
			attrs[string(a[1])] = html.UnescapeString(string(a[2]))
		}
		name, ok := attrs["name"]
		if !ok || name == "" {
			continue
		}
		switch {
		case bytes.HasPrefix(tag, []byte("<select")):
			opts := optionRE.FindAllSubmatch(tag, -1)
			value := ""
			for i, o := range opts {
				if i == 0 || bytes.Contains(o[2], []byte("selected")) {
					value = html.UnescapeString(string(o[1]))
				}
			}
			out.Add(name, value)
		case bytes.HasPrefix(tag, []byte("<textarea")):
			out.Add(name, html.UnescapeString(string(textareaRE.FindSubmatch(tag)[1])))
		default:
			if typ := attrs["type"]; typ == "checkbox" || typ == "radio" {
				if _, checked := attrs["checked"]; checked {
					out.Add(name, cmp.Or(attrs["value"], "on"))
				}
				continue
			}
			out.Add(name, attrs["value"])
		}
	}
	return out
}
