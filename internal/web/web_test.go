package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tili/internal/app"
	"tili/internal/crm"
	"tili/internal/demo"
	"tili/internal/services"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// logTo writes the server's log into the test's output.
type logTo struct{ t testing.TB }

func (l logTo) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// newApp starts tili on db with its log in the test output.
func newApp(t *testing.T, db *store.DB) *testutil.App {
	return testutil.NewTestApp(t, db, testutil.Options{Handler: app.HandlerOptions{
		Log: slog.New(slog.NewTextHandler(logTo{t}, &slog.HandlerOptions{Level: slog.LevelError}))}})
}

// form posts an HTML form the way a browser does.
func form(c *testutil.Client, path string, v url.Values) *testutil.Response {
	return c.Do("POST", path, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// signIn signs a browser in through the sign-in form and fails the test when it does not work.
func signIn(t *testing.T, c *testutil.Client, email string) {
	t.Helper()
	r := form(c, "/login", url.Values{"email": {email}, "password": {testutil.Password}, "next": {"/"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: %d %s", email, r.StatusCode, r.Body)
	}
}

func setPassword(t *testing.T, app *testutil.App, email string) {
	t.Helper()
	ctx, system := context.Background(), crm.System(crm.SourceCLI)
	u, err := app.Svc.Users.ByEmail(ctx, system, email)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Svc.Auth.SetPassword(ctx, system, u.ID, testutil.Password); err != nil {
		t.Fatal(err)
	}
}

var (
	hrefRE    = regexp.MustCompile(`href="(/[^"#]*)"`)
	missingRE = regexp.MustCompile(`![a-z_]+(\.[a-z_0-9]+)+!`)
)

// crawl follows every link of the site from start, breadth first, up to limit pages, and checks that
// each page answers 200 with HTML that has no missing message and no template debris. It returns the
// paths it visited.
func crawl(t *testing.T, c *testutil.Client, start string, limit int) map[string]bool {
	t.Helper()
	seen := map[string]bool{start: true}
	queue := []string{start}
	perShape := map[string]int{} // /companies/12 and /companies/13 are the same page: a few of each
	shape := regexp.MustCompile(`\d+`)
	for len(queue) > 0 && len(seen) <= limit {
		p := queue[0]
		queue = queue[1:]
		r := c.Do("GET", p, nil)
		if strings.Contains(p, "/export") {
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d", p, r.StatusCode)
			}
			continue
		}
		if r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d\n%s", p, r.StatusCode, r.Body)
			continue
		}
		body := string(r.Body)
		if m := missingRE.FindString(body); m != "" {
			t.Errorf("GET %s: missing message %s", p, m)
		}
		for _, debris := range []string{"<no value>", "%!", "map[", "&lt;nil&gt;", "ZgotmplZ"} {
			if strings.Contains(body, debris) {
				i := strings.Index(body, debris)
				t.Errorf("GET %s: %q in the page: …%s…", p, debris, body[max(0, i-120):min(len(body), i+80)])
			}
		}
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(link, "/static/") || seen[link] {
				continue
			}
			s := shape.ReplaceAllString(strings.SplitN(link, "?", 2)[0], "N")
			if u, err := url.Parse(link); err == nil {
				keys := slices.Sorted(maps.Keys(u.Query()))
				s += "?" + strings.Join(keys, "&")
			}
			if perShape[s] >= 3 {
				continue
			}
			perShape[s]++
			seen[link] = true
			queue = append(queue, link)
		}
	}
	return seen
}

func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := newApp(t, db)
		if _, err := demo.Fill(context.Background(), app.Svc, demo.Options{Accounts: 40, Contacts: 120}); err != nil {
			t.Fatal(err)
		}
		setPassword(t, app, demo.AdminEmail)
		reader := app.User("lukija@example.fi", crm.ReadOnly, nil, 0)

		for _, lang := range []string{"fi", "en"} {
			t.Run("admin-"+lang, func(t *testing.T) {
				c := app.Browser()
				signIn(t, c, demo.AdminEmail)
				c.SetCookie(app.Server.URL, &http.Cookie{Name: "tili_lang", Value: lang, Path: "/"})
				seen := crawl(t, c, "/", 400)
				for _, must := range []string{"/companies", "/people", "/admin/users", "/admin/teams", "/admin/tokens", "/admin/sharing", "/settings", "/companies/new", "/people/new"} {
					if !seen[must] {
						t.Errorf("no link leads to %s", must)
					}
				}
				var company, person, edit, history bool
				for p := range seen {
					company = company || regexp.MustCompile(`^/companies/\d+$`).MatchString(p)
					person = person || regexp.MustCompile(`^/people/\d+$`).MatchString(p)
					edit = edit || regexp.MustCompile(`^/companies/\d+/edit$`).MatchString(p)
					history = history || regexp.MustCompile(`^/companies/\d+/history$`).MatchString(p)
				}
				if !company || !person || !edit || !history {
					t.Errorf("the crawl missed a page: company %v person %v edit %v history %v", company, person, edit, history)
				}
				t.Logf("%d pages", len(seen))
				if len(seen) < 30 {
					t.Errorf("only %d pages reached", len(seen))
				}
			})
		}
		t.Run("read-only", func(t *testing.T) {
			c := app.Browser()
			signIn(t, c, reader.Email)
			seen := crawl(t, c, "/", 200)
			for p := range seen {
				if strings.HasSuffix(p, "/edit") || strings.HasSuffix(p, "/new") || strings.HasPrefix(p, "/admin") || strings.HasSuffix(p, "/merge") {
					t.Errorf("a read-only user is offered %s", p)
				}
			}
		})
	})
}

// The recently viewed list is the user's own: signing out clears it, and another user on the same
// browser does not see it.
func TestRecentlyViewedBelongsToItsUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := newApp(t, db)
		anna := app.User("anna@example.fi", crm.Admin, nil, 0)
		app.User("ville@example.fi", crm.Admin, nil, 0)
		a := &crm.Account{Name: "Salainen Kohde Oy", OwnerID: anna.ID}
		if _, err := app.Svc.Accounts.Create(context.Background(), crm.System(crm.SourceCLI), a); err != nil {
			t.Fatal(err)
		}
		c := app.Browser()
		signIn(t, c, "anna@example.fi")
		c.Do("GET", fmt.Sprintf("/companies/%d", a.ID), nil)
		if home := c.Do("GET", "/", nil); !strings.Contains(string(home.Body), "Salainen Kohde Oy") {
			t.Fatal("the company Anna opened is not on her home page")
		}
		// Ville signs in on the same browser without Anna signing out
		signIn(t, c, "ville@example.fi")
		if home := c.Do("GET", "/", nil); strings.Contains(string(home.Body), "Salainen Kohde Oy") {
			t.Fatal("Ville sees what Anna opened")
		}
		form(c, "/logout", nil)
		for _, ck := range c.Cookies(app.Server.URL) {
			if ck.Name == "tili_recent" {
				t.Fatalf("the recently viewed cookie outlives sign-out: %q", ck.Value)
			}
		}
	})
}

// The quick add on a company page saves a person at the company and returns to the company; a back
// address elsewhere is not followed.
func TestQuickAddPerson(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := newApp(t, db)
		anna := app.User("anna@example.fi", crm.AccountManager, nil, 0)
		a := &crm.Account{Name: "Pikalisäys Oy", OwnerID: anna.ID}
		if _, err := app.Svc.Accounts.Create(context.Background(), crm.System(crm.SourceCLI), a); err != nil {
			t.Fatal(err)
		}
		c := app.Browser()
		signIn(t, c, anna.Email)
		page := c.Do("GET", fmt.Sprintf("/companies/%d", a.ID), nil)
		if !strings.Contains(string(page.Body), `name="back" value="/companies/`) {
			t.Fatal("the company page has no quick add")
		}
		back := fmt.Sprintf("/companies/%d", a.ID)
		r := form(c, "/people/new", url.Values{"first_name": {"Pia"}, "last_name": {"Pikainen"}, "emails": {"pia@pika.fi"},
			"account_id": {fmt.Sprint(a.ID)}, "back": {back}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != back {
			t.Fatalf("quick add: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		people, err := app.Svc.Contacts.List(context.Background(), crm.System(crm.SourceCLI), services.ContactFilter{AccountID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(people.Items) != 1 || people.Items[0].Name() != "Pia Pikainen" {
			t.Fatalf("the company's people after the quick add: %+v", people.Items)
		}
		r = form(c, "/people/new", url.Values{"first_name": {"Olli"}, "last_name": {"Ohjattu"}, "back": {"https://evil.example/"}})
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/people/") {
			t.Fatalf("a back address elsewhere was followed: %q", loc)
		}
	})
}
