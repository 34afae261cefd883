// Package e2e_test drives the tili binary with a real Chromium: the paths a newcomer and an account
// manager take through the web pages.
package e2e_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	adminEmail = "helena@example.fi"
	password   = "oikea hevonen akku niitti"
	nokiaID    = "0112038-9" // a valid Y-tunnus
)

var companyURL = regexp.MustCompile(`/companies/(\d+)$`)

// setUp takes a fresh server through the first-administrator page and returns the signed-in tab.
func setUp(t *testing.T) (*server, *tab) {
	srv := startServer(t)
	b := newTab(t, newBrowser(t), srv.URL)

	// a page asked for before anyone exists sends the visitor to sign in
	if st := b.open("/companies"); st != 200 || !strings.HasPrefix(b.location(), "/login") {
		t.Fatalf("an anonymous visit to /companies: %d at %s", st, b.location())
	}
	b.open(srv.link(t, "/setup"))
	b.fill("#name", "Helena Ylönen")
	b.fill("#email", adminEmail)
	b.fill("#password", "lyhyt")
	b.fill("#password2", "lyhyt")
	if st := b.click("form.form button.primary"); st != 422 && st != 400 {
		t.Fatalf("a too short password: status %d", st)
	}
	if !b.has("#password[aria-invalid=true]") || b.value("#email") != adminEmail {
		t.Fatal("the set-up page must show the password problem next to the field and keep the e-mail address")
	}
	b.fill("#password", password)
	b.fill("#password2", password)
	if st := b.click("form.form button.primary"); st != 200 || b.location() != "/" {
		t.Fatalf("after set-up: %d at %s", st, b.location())
	}
	b.shot("home-empty")
	return srv, b
}

func TestNewcomerAndAccountManagerDay(t *testing.T) {
	srv, b := setUp(t)

	// sign out and in again through the form
	b.press("form[action='/logout'] button")
	b.waitFor("#email")
	b.fill("#email", adminEmail)
	b.fill("#password", "wrong password here")
	if st := b.click("form.form button.primary"); st != 401 {
		t.Fatalf("a wrong password: %d", st)
	}
	b.fill("#password", password)
	if st := b.click("form.form button.primary"); st != 200 || b.location() != "/" {
		t.Fatalf("sign-in: %d at %s", st, b.location())
	}

	// a company: first with a Y-tunnus whose check digit is wrong, then with a right one
	b.open("/companies/new")
	b.fill("#name", "Äijälä Oy")
	b.fill("#business_id", "0112038-8")
	b.fill("#visit_city", "Tampere")
	if st := b.click("form.form button.primary"); st != 422 {
		t.Fatalf("a wrong Y-tunnus: %d", st)
	}
	if !b.has("#business_id[aria-invalid=true]") || !b.has("#business_id-error") {
		t.Fatal("the Y-tunnus problem is not shown next to its field")
	}
	if got := b.value("#name"); got != "Äijälä Oy" {
		t.Fatalf("the form lost the name: %q", got)
	}
	b.shot("company-form-error")
	b.fill("#business_id", nokiaID)
	if st := b.click("form.form button.primary"); st != 200 || !companyURL.MatchString(b.location()) {
		t.Fatalf("saving the company: %d at %s", st, b.location())
	}
	company := b.location()
	if h := b.text("h1"); h != "Äijälä Oy" {
		t.Fatalf("company page heading %q", h)
	}

	// two people from the company page: one through the full form, one with the quick add
	b.open(company)
	b.click("a.btn[href^='/people/new?account=']")
	b.fill("#first_name", "Päivi")
	b.fill("#last_name", "Öhman")
	b.fill("#emails", "paivi.ohman@aijala.fi")
	if st := b.click("form.form button.primary"); st != 200 || !strings.HasPrefix(b.location(), "/people/") {
		t.Fatalf("saving Päivi: %d at %s", st, b.location())
	}
	b.shot("person")
	b.open(company)
	b.press("details.quick-add summary")
	b.fill("#qa-first", "Jussi")
	b.fill("#qa-last", "Kärkkäinen")
	b.fill("#qa-email", "jussi@aijala.fi")
	if st := b.click("details.quick-add button.primary"); st != 200 || b.location() != company {
		t.Fatalf("the quick add: %d at %s", st, b.location())
	}
	people := b.text("table.people")
	if !strings.Contains(people, "Päivi Öhman") || !strings.Contains(people, "Jussi Kärkkäinen") {
		t.Fatalf("the company's people: %q", people)
	}
	b.shot("company")

	// search without the diacritics, on the search page and in the live search box
	b.open("/search?q=aija")
	if !strings.Contains(b.text("main table"), "Äijälä Oy") {
		t.Fatal("searching for 'aija' does not find Äijälä Oy")
	}
	b.open("/search?q=ohm")
	if !strings.Contains(b.text("main table"), "Päivi Öhman") {
		t.Fatal("searching for 'ohm' does not find Päivi Öhman")
	}
	b.shot("search")
	b.open("/")
	b.typeIn("form.search input[name=q]", "karkk")
	b.waitFor("form.search .suggest [role=option]")
	if s := b.text("form.search .suggest"); !strings.Contains(s, "Jussi Kärkkäinen") {
		t.Fatalf("live search for 'karkk': %q", s)
	}
	b.shot("live-search")

	// the same company edited in two tabs: the second save meets the first one's change
	other := b.another()
	b.open(company + "/edit")
	other.open(company + "/edit")
	b.fill("#segment", "Teollisuus")
	if st := b.click("form.form button.primary"); st != 200 {
		t.Fatalf("first save: %d", st)
	}
	other.fill("#segment", "Kauppa")
	if st := other.click("form.form button.primary"); st != 409 {
		t.Fatalf("the stale save: status %d, want the conflict page (409)", st)
	}
	conflict := other.text("table.conflict")
	if !strings.Contains(conflict, "Teollisuus") || !strings.Contains(conflict, "Kauppa") {
		t.Fatalf("the conflict page must show both values: %q", conflict)
	}
	other.shot("conflict")
	if st := other.click("form.form button.primary"); st != 200 || other.location() != company {
		t.Fatalf("saving again after the conflict: %d at %s", st, other.location())
	}
	if !strings.Contains(other.text("main"), "Kauppa") {
		t.Fatal("the re-applied change is not on the company page")
	}

	// a duplicate: the form warns before saving it, then the two are merged
	b.open("/companies/new")
	b.fill("#name", "Äijälä Oy")
	b.fill("#visit_city", "Tampere")
	b.fill("#website", "https://aijala.example")
	b.click("form.form button.primary")
	if !b.has("input[name=confirm_duplicate]") || !strings.Contains(b.text(".alert.warn"), "Äijälä Oy") {
		t.Fatal("no duplicate warning for a second Äijälä Oy")
	}
	b.shot("duplicate-warning")
	if st := b.click("form.form button.primary"); st != 200 || !companyURL.MatchString(b.location()) {
		t.Fatalf("saving the duplicate anyway: %d at %s", st, b.location())
	}
	dup := b.location()
	b.open(company)
	b.click("a[href*='/merge?with=']")
	b.shot("merge")
	b.press("input[name=take_website][value=dup]")
	b.press("form[action$='/merge'] button.primary")
	b.waitFor("dialog.confirm[open]")
	if st := b.click("dialog.confirm button[value=ok]"); st != 200 || b.location() != company {
		t.Fatalf("merging: %d at %s", st, b.location())
	}
	if !strings.Contains(b.text("main"), "aijala.example") {
		t.Fatal("the website picked from the duplicate is not on the kept company")
	}
	b.open(dup)
	if !b.has(".badge.bad") {
		t.Fatal("the merged duplicate is not marked as binned")
	}

	// Finnish: the language switch changes labels and formats
	b.open("/companies")
	b.shot("companies-en")
	if lang := eval[string](b, "document.documentElement.lang"); lang != "en" {
		t.Fatalf("the page language is %q before switching", lang)
	}
	b.click("form[action='/language'] button[value=fi]")
	if lang := eval[string](b, "document.documentElement.lang"); lang != "fi" {
		t.Fatalf("after switching to Finnish the page language is %q", lang)
	}
	if nav := b.text("nav.nav"); !strings.Contains(nav, "Yritykset") || !strings.Contains(nav, "Henkilöt") {
		t.Fatalf("Finnish navigation: %q", nav)
	}
	b.open(company + "/history")
	if !regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.20\d\d\b`).MatchString(b.text("main")) {
		t.Fatalf("no Finnish date (29.11.2026) on the history page: %q", b.text("main"))
	}
	b.shot("history-fi")
	b.open("/companies/new")
	b.fill("#name", "Toinen Oy")
	b.fill("#business_id", "1234567-8")
	b.click("form.form button.primary")
	if msg := b.text("#business_id-error"); !strings.Contains(msg, "Y-tunnus") || !strings.Contains(msg, "tarkistusnumero") {
		t.Fatalf("the Y-tunnus problem in Finnish: %q", msg)
	}
	if label := b.text("label[for=business_id]"); label != "Y-tunnus" {
		t.Fatalf("the Finnish label of the business ID: %q", label)
	}
	b.shot("company-form-error-fi")
	b.open("/companies")
	b.shot("companies-fi")

	// a phone-sized screen: the list becomes cards
	if err := emulatePhone(b); err != nil {
		t.Fatal(err)
	}
	b.open("/companies")
	b.shot("companies-phone")
	_ = srv
}

// emulatePhone makes the tab a 375 px wide phone screen.
func emulatePhone(b *tab) error {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
}

func TestReadOnlyUserAndEscaping(t *testing.T) {
	srv, b := setUp(t)

	// a company whose name and notes carry markup meant to run
	const payload = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`
	b.open("/admin/teams")
	b.fill("#name", "Etelä")
	if st := b.click("form[action='/admin/teams'] button.primary"); st != 200 {
		t.Fatalf("adding a team: %d", st)
	}
	b.open("/companies/new")
	if err := setSelectByText(b, "#team", "Etelä"); err != nil {
		t.Fatal(err)
	}
	b.fill("#name", "Paha "+payload)
	b.fill("#description", payload)
	b.fill("#tags", `"><svg onload=window.pwned=3>`)
	if st := b.click("form.form button.primary"); st != 200 || !companyURL.MatchString(b.location()) {
		t.Fatalf("saving the company: %d at %s", st, b.location())
	}
	company := b.location()
	for _, p := range []string{company, "/companies", "/search?q=paha", company + "/history", company + "/edit"} {
		b.open(p)
		if got := eval[any](b, "window.pwned === undefined ? null : window.pwned"); got != nil {
			t.Fatalf("markup from a field ran on %s (window.pwned = %v)", p, got)
		}
	}
	b.open(company)
	if h := b.text("h1"); !strings.Contains(h, "<img src=x") {
		t.Fatalf("the name is not shown as text: %q", h)
	}
	b.shot("xss-company")

	// an administrator invites a read-only colleague, who chooses a password through the link
	b.open("/admin/users")
	b.fill("#email", "lukija@example.fi")
	b.fill("#name", "Lauri Lukija")
	if err := setSelect(b, "#role", "read_only"); err != nil {
		t.Fatal(err)
	}
	if err := setSelectByText(b, "#team", "Etelä"); err != nil {
		t.Fatal(err)
	}
	if st := b.click("form[action='/admin/users'] button.primary"); st != 200 {
		t.Fatalf("inviting: %d", st)
	}
	link := b.text(".alert.ok code")
	if !strings.HasPrefix(link, srv.URL+"/set-password?token=") {
		t.Fatalf("the invitation link: %q", link)
	}
	b.shot("admin-users")

	r := newTab(t, newBrowser(t), srv.URL)
	r.open(link)
	r.fill("#password", "lukijan oma salasana")
	r.fill("#password2", "lukijan oma salasana")
	if st := r.click("form.form button.primary"); st != 200 {
		t.Fatalf("choosing the password: %d at %s", st, r.location())
	}
	if strings.HasPrefix(r.location(), "/login") {
		r.fill("#email", "lukija@example.fi")
		r.fill("#password", "lukijan oma salasana")
		r.click("form.form button.primary")
	}
	if st := r.open(company); st != 200 {
		t.Fatalf("a read-only user opening a company: %d", st)
	}
	if r.has("a[href$='/edit']") || r.has("form[action$='/delete']") || r.has("a[href='/people/new']") {
		t.Fatal("a read-only user is offered an edit, delete or add")
	}
	r.shot("read-only-company")
	// posting the edit form anyway, with the browser's own cookies, is refused
	status := eval[float64](r, `fetch(location.pathname + "/edit", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "name=Taken&version=1"}).then(r => r.status)`)
	if status != 403 {
		t.Fatalf("a read-only user's edit POST: %v, want 403", status)
	}
	if st := r.open(company + "/edit"); st != 403 {
		t.Fatalf("a read-only user opening the edit form: %d, want 403", st)
	}
	b.open(company)
	if h := b.text("h1"); strings.Contains(h, "Taken") {
		t.Fatal("the refused edit changed the company")
	}
}

// setSelect chooses an option of a select by its value.
func setSelect(b *tab, sel, value string) error {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value))
}

// setSelectByText chooses the option of a select whose text is text.
func setSelectByText(b *tab, sel, text string) error {
	ok := eval[bool](b, fmt.Sprintf(`(() => { const s = document.querySelector(%q);
		const o = [...s.options].find(o => o.text.trim() === %q); if (!o) return false; s.value = o.value; return true })()`, sel, text))
	if !ok {
		return fmt.Errorf("%s has no option %q", sel, text)
	}
	return nil
}

// TestDemoPages walks the main pages of the demo data as its administrator, on a wide and a phone
// screen and in the dark theme, failing on an error status or a script error, and keeps a screenshot
// of each.
func TestDemoPages(t *testing.T) {
	srv := startServer(t, "--demo")
	ctx := newBrowser(t)
	var mu sync.Mutex
	var problems []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m))
				mu.Unlock()
			}
		}
	}()
	b := newTab(t, ctx, srv.URL)
	b.open(srv.link(t, "/set-password"))
	b.fill("#password", password)
	b.fill("#password2", password)
	if st := b.click("form.form button.primary"); st != 200 {
		t.Fatalf("choosing the demo administrator's password: %d at %s", st, b.location())
	}
	if strings.HasPrefix(b.location(), "/login") {
		b.fill("#email", "admin@demo.tili")
		b.fill("#password", password)
		b.click("form.form button.primary")
	}
	visit := func(name, path string) {
		t.Helper()
		if st := b.open(path); st != 200 {
			t.Fatalf("%s: %d", path, st)
		}
		b.shot(name)
	}
	visit("demo-home", "/")
	visit("demo-companies", "/companies")
	b.click("table.list tbody tr:first-child td:nth-child(2) a")
	company := b.location()
	b.shot("demo-company")
	b.click("table.people tbody tr:first-child a")
	b.shot("demo-person")
	visit("demo-people", "/people")
	visit("demo-key-accounts", "/companies?stage=key_account&sort=-updated")
	visit("demo-search", "/search?q=oy")
	visit("demo-settings", "/settings")
	visit("demo-admin-users", "/admin/users")
	visit("demo-admin-tokens", "/admin/tokens")
	visit("demo-history", company+"/history")
	visit("demo-edit", company+"/edit")
	b.open("/")
	b.keys("?")
	b.waitFor("dialog.help[open]")
	b.shot("demo-shortcuts")

	if err := emulatePhone(b); err != nil {
		t.Fatal(err)
	}
	visit("demo-phone-company", company)
	visit("demo-phone-people", "/people")

	b.open("/settings")
	if err := setSelect(b, "#theme", "dark"); err != nil {
		t.Fatal(err)
	}
	b.click("form[action='/settings'] button.primary")
	if theme := eval[string](b, "document.documentElement.dataset.theme || ''"); theme != "dark" {
		t.Fatalf("after choosing the dark theme the page has %q", theme)
	}
	visit("demo-dark-company", company)

	// the pages wrote nothing to the console: no script error, no failed request
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("console: %s", p)
	}
}
