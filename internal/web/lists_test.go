package web_test

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/i18n"
	"tili/internal/services"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// listWorld is the world with companies whose every filtered and sorted column varies: eight named ones
// and 60 more (tag "massa") so that the list has more than one page.
type listWorld struct {
	*world
	all   []*crm.Account // as stored
	names map[int64]string
}

func newListWorld(t *testing.T, db *store.DB) *listWorld {
	t.Helper()
	w := &listWorld{world: newWorld(t, db), names: map[int64]string{}}
	add := func(a *crm.Account) *crm.Account {
		w.company(t, a)
		return a
	}
	addr := func(city string) crm.Address { return crm.Address{City: city} }
	add(&crm.Account{Name: "Äijälä Oy", BusinessID: "0112038-9", Stage: crm.Customer, Tier: "A", Segment: "Teollisuus",
		VisitingAddress: addr("Tampere"), OwnerID: w.sanna.ID, Tags: []string{"pirkanmaa", "vip"}})
	add(&crm.Account{Name: "Bertta Ab", Stage: crm.Prospect, Tier: "B", Segment: "Palvelut",
		VisitingAddress: addr("Helsinki"), OwnerID: w.jari.ID, Tags: []string{"vip"}})
	add(&crm.Account{Name: "Cesium Oy", Stage: crm.KeyAccount, Tier: "C", Segment: "Teollisuus",
		VisitingAddress: addr("Oulu"), OwnerID: w.paivi.ID})
	add(&crm.Account{Name: "Delta Oy", Stage: crm.Suspect, VisitingAddress: addr("Espoo")})
	add(&crm.Account{Name: "Eetu Tmi", Stage: crm.Former, Tier: "B", Segment: "Palvelut",
		VisitingAddress: addr("tampere"), OwnerID: w.sanna.ID, Tags: []string{"Pirkanmaa"}})
	add(&crm.Account{Name: "Fenix Oy", Stage: crm.Prospect, Tier: "A", VisitingAddress: addr("Helsinki"), OwnerID: w.paivi.ID})
	add(&crm.Account{Name: "Oy Äijäpuu Ab", Stage: crm.Prospect, OwnerID: w.jari.ID})
	add(&crm.Account{Name: "Gaija Oy", Stage: crm.Customer, OwnerID: w.paivi.ID, VisitingAddress: addr("Vantaa")})
	owners := []int64{w.sanna.ID, w.jari.ID, w.paivi.ID, 0}
	cities := []string{"Turku", "", "Lahti"}
	for i := range 60 {
		a := &crm.Account{Name: fmt.Sprintf("Massa %02d Oy", 60-i), Stage: crm.Stages[i%len(crm.Stages)],
			OwnerID: owners[i%len(owners)], Tags: []string{"massa"}, VisitingAddress: addr(cities[i%len(cities)])}
		if i%4 != 3 {
			a.Tier = crm.Tiers[i%len(crm.Tiers)]
		}
		add(a)
	}
	// read them back: the stored times are what the list sorts by
	page, err := w.app.Svc.Accounts.List(context.Background(), bySystem, services.AccountFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	w.all = page.Items
	if len(w.all) != 68 {
		t.Fatalf("%d companies, want 68", len(w.all))
	}
	for _, a := range w.all {
		w.names[a.ID] = a.Name
	}
	return w
}

// where returns the names of the companies that pass keep, by name as the list sorts them.
func (w *listWorld) where(keep func(a *crm.Account) bool) []string {
	var out []*crm.Account
	for _, a := range w.all {
		if keep(a) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *crm.Account) int {
		return cmp.Or(strings.Compare(crm.Fold(a.Name), crm.Fold(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	var names []string
	for _, a := range out {
		names = append(names, a.Name)
	}
	return names
}

// walk reads a companies list from path to its last page by its "next" links and returns the names in
// the order shown; it fails when a page repeats a company or the walk does not end.
func walk(t *testing.T, c *testutil.Client, path string) []string {
	t.Helper()
	var names []string
	seen := map[int64]bool{}
	for pages := 0; path != ""; pages++ {
		if pages > 20 {
			t.Fatalf("the pages of %s do not end", path)
		}
		r := c.Do("GET", path, nil)
		want(t, r, http.StatusOK)
		ids := listIDs(r.Body)
		if len(ids) > 50 {
			t.Errorf("GET %s: %d companies on one page", path, len(ids))
		}
		for i, id := range ids {
			if seen[id] {
				t.Errorf("GET %s: %s shown again", path, listNames(r.Body)[i])
			}
			seen[id] = true
		}
		names = append(names, listNames(r.Body)...)
		path = ""
		if next := nextLink(r.Body); next != "" {
			if !strings.HasPrefix(next, "?") {
				t.Fatalf("next link %q", next)
			}
			path = "/companies" + next
		}
	}
	return names
}

func TestCompaniesListFilters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newListWorld(t, db)
		sanna, admin := w.browser(t, w.sanna), w.browser(t, w.admin)
		south := func(a *crm.Account) bool { return a.TeamID == w.south }
		sees := func(a *crm.Account) bool { return a.OwnerID == w.sanna.ID || south(a) }
		tagged := func(a *crm.Account, tag string) bool {
			return slices.ContainsFunc(a.Tags, func(s string) bool { return crm.Fold(s) == tag })
		}
		cases := []struct {
			who   *testutil.Client
			query string
			keep  func(a *crm.Account) bool
		}{
			{sanna, "", sees},
			{sanna, "owner=me", func(a *crm.Account) bool { return a.OwnerID == w.sanna.ID }},
			{sanna, "team=mine", south},
			{admin, "owner=me", func(a *crm.Account) bool { return a.OwnerID == w.admin.ID }},
			{admin, "team=mine", func(a *crm.Account) bool { return false }}, // an administrator without a team
			{admin, "stage=customer", func(a *crm.Account) bool { return a.Stage == crm.Customer }},
			{admin, "stage=prospect&stage=key_account", func(a *crm.Account) bool { return a.Stage == crm.Prospect || a.Stage == crm.KeyAccount }},
			{admin, "tier=a", func(a *crm.Account) bool { return a.Tier == "A" }},
			{admin, "tier=C&stage=key_account", func(a *crm.Account) bool { return a.Tier == "C" && a.Stage == crm.KeyAccount }},
			{admin, "owner=" + itoa(w.jari.ID), func(a *crm.Account) bool { return a.OwnerID == w.jari.ID }},
			{admin, "owner=none", func(a *crm.Account) bool { return a.OwnerID == 0 }},
			{admin, "team=" + itoa(w.north), func(a *crm.Account) bool { return a.TeamID == w.north }},
			{admin, "segment=Teollisuus", func(a *crm.Account) bool { return a.Segment == "Teollisuus" }},
			{admin, "tag=pirkanmaa", func(a *crm.Account) bool { return tagged(a, "pirkanmaa") }},
			{admin, "tag=PIRKANMAA&tag=vip", func(a *crm.Account) bool { return tagged(a, "pirkanmaa") && tagged(a, "vip") }},
			{admin, "city=TAMPERE", func(a *crm.Account) bool { return crm.Fold(a.VisitingAddress.City) == "tampere" }},
			{admin, "q=aija", func(a *crm.Account) bool { return a.Name == "Äijälä Oy" || a.Name == "Oy Äijäpuu Ab" }},
			{admin, "q=%C3%84ij%C3%A4l%C3%A4", func(a *crm.Account) bool { return a.Name == "Äijälä Oy" }},
			{admin, "q=massa+0", func(a *crm.Account) bool { return strings.HasPrefix(a.Name, "Massa 0") }},
			{sanna, "tag=massa&stage=former", func(a *crm.Account) bool { return sees(a) && tagged(a, "massa") && a.Stage == crm.Former }},
		}
		for _, tc := range cases {
			got := walk(t, tc.who, "/companies?"+tc.query)
			if want := w.where(tc.keep); !slices.Equal(got, want) {
				t.Errorf("/companies?%s:\n got %q\nwant %q", tc.query, got, want)
			}
		}
		// the quick filters are links on the page, marked when in use
		r := sanna.Do("GET", "/companies?owner=me", nil)
		for link, on := range map[string]bool{"/companies?owner=me": true, "/companies?team=mine": false} {
			a := regexp.MustCompile(`<a\b[^>]*href="` + regexp.QuoteMeta(link) + `"[^>]*>`).Find(r.Body)
			marked := regexp.MustCompile(`aria-pressed="true"|aria-current="[a-z]+"`).Match(a)
			if a == nil || marked != on {
				t.Errorf("the list filtered by owner=me: the quick filter %s is %q", link, a)
			}
		}
		// a filter that names nothing real is refused, not ignored
		if r := admin.Do("GET", "/companies?stage=bogus", nil); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
			t.Errorf("stage=bogus: %d", r.StatusCode)
		}
	})
}

func TestCompaniesListSortAndPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newListWorld(t, db)
		admin := w.browser(t, w.admin)
		owner := map[int64]string{0: ""}
		for _, u := range []*crm.User{w.admin, w.sanna, w.jari, w.paivi, w.reader} {
			owner[u.ID] = strings.ToLower(u.Name)
		}
		stageRank := map[crm.Stage]int{}
		for i, s := range crm.Stages {
			stageRank[s] = i
		}
		tierKey := func(a *crm.Account) string { return cmp.Or(string(a.Tier), "Z") } // no tier after C
		keys := map[string]func(a, b *crm.Account) int{
			"name":  func(a, b *crm.Account) int { return strings.Compare(crm.Fold(a.Name), crm.Fold(b.Name)) },
			"stage": func(a, b *crm.Account) int { return cmp.Compare(stageRank[a.Stage], stageRank[b.Stage]) },
			"tier":  func(a, b *crm.Account) int { return strings.Compare(tierKey(a), tierKey(b)) },
			"owner": func(a, b *crm.Account) int { return strings.Compare(owner[a.OwnerID], owner[b.OwnerID]) },
			"city": func(a, b *crm.Account) int {
				return strings.Compare(crm.Fold(a.VisitingAddress.City), crm.Fold(b.VisitingAddress.City))
			},
			"updated": func(a, b *crm.Account) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
		}
		for _, col := range []string{"name", "stage", "tier", "owner", "city", "updated"} {
			asc := slices.Clone(w.all)
			slices.SortFunc(asc, func(a, b *crm.Account) int { return cmp.Or(keys[col](a, b), cmp.Compare(a.ID, b.ID)) })
			var wantAsc []string
			for _, a := range asc {
				wantAsc = append(wantAsc, a.Name)
			}
			wantDesc := slices.Clone(wantAsc)
			slices.Reverse(wantDesc)
			for sort, want := range map[string][]string{col: wantAsc, "-" + col: wantDesc} {
				got := walk(t, admin, "/companies?sort="+sort)
				if !slices.Equal(got, want) {
					t.Errorf("sort=%s over every page:\n got %q\nwant %q", sort, got, want)
				}
			}
			// the column's header sorts by it, and a second time the other way
			r := admin.Do("GET", "/companies?sort="+col, nil)
			header := regexp.MustCompile(`<th><a href="([^"]*)" aria-sort="ascending">`).FindSubmatch(r.Body)
			if header == nil {
				t.Errorf("sort=%s: no header marked ascending", col)
			} else if q, _ := url.ParseQuery(strings.TrimPrefix(html.UnescapeString(string(header[1])), "?")); q.Get("sort") != "-"+col {
				t.Errorf("sort=%s: the header links to %s", col, header[1])
			}
		}
		// paging keeps the filter and visits each company exactly once
		got := walk(t, admin, "/companies?tag=massa&sort=-stage")
		if len(got) != 60 {
			t.Errorf("tag=massa over every page: %d companies, want 60", len(got))
		}
		// a cursor of one sort given to another is at worst a wrong place to start, never an error page
		r := admin.Do("GET", "/companies?sort=updated", nil)
		next, _ := url.ParseQuery(strings.TrimPrefix(nextLink(r.Body), "?"))
		for _, sort := range []string{"name", "stage", "-owner"} {
			if r := admin.Do("GET", "/companies?sort="+sort+"&after="+url.QueryEscape(next.Get("after")), nil); r.StatusCode >= 500 {
				t.Errorf("sort=%s with an updated cursor: %d", sort, r.StatusCode)
			}
		}
	})
}

func TestCompaniesListColumnsBinAndReadOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newListWorld(t, db)
		admin := w.browser(t, w.admin)
		fi := func(key string) string { return w.T(i18n.Fi, key) }
		th := func(body []byte, key string) bool {
			return regexp.MustCompile(`<th>(<a [^>]*>)?` + regexp.QuoteMeta(fi(key)) + `(</a>)?</th>`).Match(body)
		}
		r := admin.Do("GET", "/companies?q=%C3%84ij%C3%A4l%C3%A4", nil)
		want(t, r, http.StatusOK)
		for _, col := range []string{"stage", "tier", "owner", "city", "updated"} {
			if !th(r.Body, "column."+col) {
				t.Errorf("the default columns lack %s", col)
			}
		}
		for _, col := range []string{"team", "business_id", "segment"} {
			if th(r.Body, "column."+col) {
				t.Errorf("the default columns show %s", col)
			}
		}
		r = admin.Do("GET", "/companies?q=%C3%84ij%C3%A4l%C3%A4&col=team&col=business_id&col=segment", nil)
		want(t, r, http.StatusOK)
		for _, col := range []string{"team", "business_id", "segment"} {
			if !th(r.Body, "column."+col) {
				t.Errorf("col=%s: not shown", col)
			}
		}
		for _, col := range []string{"stage", "tier", "owner", "city", "updated"} {
			if th(r.Body, "column."+col) {
				t.Errorf("col=team,business_id,segment: %s shown too", col)
			}
		}
		for _, cell := range []string{">Etelä</td>", ">0112038-9</td>", ">Teollisuus</td>"} {
			if !strings.Contains(string(r.Body), cell) {
				t.Errorf("the chosen columns lack the cell %s", cell)
			}
		}
		// the next page keeps the columns
		r = admin.Do("GET", "/companies?col=team", nil)
		if next := nextLink(r.Body); !strings.Contains(next, "col=team") {
			t.Errorf("the next page forgets the columns: %s", next)
		}

		// the bin: deleted companies there, and only there
		ctx := context.Background()
		byName := map[string]*crm.Account{}
		for _, a := range w.all {
			byName[a.Name] = a
		}
		for _, n := range []string{"Bertta Ab", "Cesium Oy"} {
			if _, err := w.app.Svc.Accounts.Delete(ctx, bySystem, byName[n].ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		if got := walk(t, admin, "/companies?bin=1"); !slices.Equal(got, []string{"Bertta Ab", "Cesium Oy"}) {
			t.Errorf("the bin holds %q", got)
		}
		if got := walk(t, admin, "/companies"); slices.Contains(got, "Bertta Ab") || len(got) != 66 {
			t.Errorf("the live list has %d companies, Bertta Ab among them: %v", len(got), slices.Contains(got, "Bertta Ab"))
		}
		sanna := w.browser(t, w.sanna)
		if got := walk(t, sanna, "/companies?bin=1"); !slices.Equal(got, []string{"Bertta Ab"}) {
			t.Errorf("sanna's bin holds %q; she sees only her team's", got)
		}
		r = admin.Do("GET", "/companies?bin=1", nil)
		if !strings.Contains(string(r.Body), `<input type="hidden" name="bin" value="1">`) {
			t.Error("filtering in the bin leaves the bin")
		}

		// a read-only user sees their team's companies, and nothing else exists for them
		reader := w.browser(t, w.reader)
		got := walk(t, reader, "/companies")
		if want := w.where(func(a *crm.Account) bool { return a.TeamID == w.north && a.DeletedAt == nil && a.Name != "Cesium Oy" }); !slices.Equal(got, want) {
			t.Errorf("the read-only user sees\n%q\nwant\n%q", got, want)
		}
		want(t, reader.Do("GET", "/companies/"+itoa(byName["Äijälä Oy"].ID), nil), http.StatusNotFound)
		want(t, reader.Do("GET", "/companies/"+itoa(byName["Fenix Oy"].ID), nil), http.StatusOK)
		r = reader.Do("GET", "/companies", nil)
		if strings.Contains(string(r.Body), `href="/companies/new"`) {
			t.Error("a read-only user is offered a new company")
		}
	})
}

func TestSavedViews(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newListWorld(t, db)
		sanna, jari := w.browser(t, w.sanna), w.browser(t, w.jari)
		viewRE := regexp.MustCompile(`<a\b[^>]*href="/companies\?([^"]*)"[^>]*>([^<]*)</a>\s*<form\b[^>]*action="/companies/views/(\d+)/delete"`)
		views := func(c *testutil.Client) map[string][2]string { // name → query, id
			out := map[string][2]string{}
			r := c.Do("GET", "/companies", nil)
			want(t, r, http.StatusOK)
			for _, m := range viewRE.FindAllSubmatch(r.Body, -1) {
				out[html.UnescapeString(string(m[2]))] = [2]string{html.UnescapeString(string(m[1])), string(m[3])}
			}
			return out
		}

		// the list filtered offers to save the filter; the form carries it
		r := sanna.Do("GET", "/companies?team=mine&stage=prospect&sort=-name", nil)
		want(t, r, http.StatusOK)
		query, ok := hidden(r.Body)["query"]
		if !ok {
			t.Fatal("a filtered list offers no saving of the view")
		}
		r = form(sanna, "/companies/views", url.Values{"name": {"  Etelän  prospektit "}, "query": {query}})
		page := follow(t, sanna, r)
		if !strings.Contains(flash(page.Body), "Etelän prospektit") {
			t.Errorf("after saving a view: flash %q", flash(page.Body))
		}
		mine := views(sanna)
		v, ok := mine["Etelän prospektit"]
		if !ok {
			t.Fatalf("the saved view is not listed: %v", mine)
		}
		if len(views(jari)) != 0 {
			t.Errorf("jari sees sanna's views: %v", views(jari))
		}
		// opening it applies the filter and the sort
		got := walk(t, sanna, "/companies?"+v[0])
		wantNames := w.where(func(a *crm.Account) bool { return a.TeamID == w.south && a.Stage == crm.Prospect })
		slices.Reverse(wantNames)
		if !slices.Equal(got, wantNames) {
			t.Errorf("the view shows %q, want %q", got, wantNames)
		}
		// someone else cannot delete it
		if r := form(jari, "/companies/views/"+v[1]+"/delete", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("jari deleting sanna's view: %d", r.StatusCode)
		}
		if _, ok := views(sanna)["Etelän prospektit"]; !ok {
			t.Fatal("jari deleted sanna's view")
		}
		// a name that is empty or too long is refused with a message, and nothing is saved
		for _, name := range []string{"   ", strings.Repeat("ä", 61)} {
			r := form(sanna, "/companies/views", url.Values{"name": {name}, "query": {"stage=customer"}})
			page := follow(t, sanna, r)
			if flash(page.Body) == "" || strings.Contains(flash(page.Body), w.T(i18n.Fi, "views.saved", "name", name)) {
				t.Errorf("view name %q: flash %q", name, flash(page.Body))
			}
			if q, _ := url.ParseQuery(strings.SplitN(location(r), "?", 2)[1]); q.Get("stage") != "customer" {
				t.Errorf("view name %q: back to %s, not to the filter", name, location(r))
			}
		}
		if n := len(views(sanna)); n != 1 {
			t.Errorf("%d views after refused names", n)
		}
		if _, ok := views(sanna)[strings.Repeat("ä", 60)]; ok {
			t.Fatal("a 60-character view exists before it was saved")
		}
		follow(t, sanna, form(sanna, "/companies/views", url.Values{"name": {strings.Repeat("ä", 60)}, "query": {"stage=customer"}}))
		if _, ok := views(sanna)[strings.Repeat("ä", 60)]; !ok {
			t.Error("a 60-character name was refused")
		}
		// deleting removes it
		page = follow(t, sanna, form(sanna, "/companies/views/"+v[1]+"/delete", nil))
		if flash(page.Body) == "" {
			t.Error("no message after deleting a view")
		}
		if _, ok := views(sanna)["Etelän prospektit"]; ok {
			t.Error("the deleted view is still listed")
		}
	})
}

func itoa(n int64) string { return fmt.Sprint(n) }

var personRowRE = regexp.MustCompile(`<td data-label="[^"]*"><a href="/people/(\d+)">([^<]*)</a>`)

// walkPeople reads a people list from path to its last page and returns the names in the order shown.
func walkPeople(t *testing.T, c *testutil.Client, path string) []string {
	t.Helper()
	var names []string
	seen := map[string]bool{}
	for pages := 0; path != ""; pages++ {
		if pages > 20 {
			t.Fatalf("the pages of %s do not end", path)
		}
		r := c.Do("GET", path, nil)
		want(t, r, http.StatusOK)
		for _, m := range personRowRE.FindAllSubmatch(r.Body, -1) {
			if seen[string(m[1])] {
				t.Errorf("GET %s: %s shown again", path, m[2])
			}
			seen[string(m[1])] = true
			names = append(names, html.UnescapeString(string(m[2])))
		}
		path = ""
		if next := nextLink(r.Body); next != "" {
			path = "/people" + next
		}
	}
	return names
}

func TestPeopleList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		vaki := w.company(t, &crm.Account{Name: "Väki Oy", OwnerID: w.sanna.ID})
		north := w.company(t, &crm.Account{Name: "Pohjoisen Oy", OwnerID: w.paivi.ID})
		var all []*crm.Contact
		for i := range 55 {
			all = append(all, w.person(t, &crm.Contact{FirstName: fmt.Sprintf("Etu%02d", 55-i), LastName: fmt.Sprintf("Suku%02d", i%7),
				AccountID: vaki.ID}))
		}
		all = append(all,
			w.person(t, &crm.Contact{FirstName: "Päivi", LastName: "Hämäläinen", AccountID: north.ID, Role: crm.BuyingRole("decision_maker")}),
			w.person(t, &crm.Contact{FirstName: "Åsa", LastName: "Öberg", AccountID: north.ID}),
			w.person(t, &crm.Contact{FirstName: "Irrallinen", LastName: "Ihminen", OwnerID: w.sanna.ID}))
		for i, c := range all { // read back the stored times
			got, err := w.app.Svc.Contacts.Get(context.Background(), bySystem, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			all[i] = got
		}
		names := func(keep func(c *crm.Contact) bool, by func(a, b *crm.Contact) int) []string {
			var list []*crm.Contact
			for _, c := range all {
				if keep(c) {
					list = append(list, c)
				}
			}
			slices.SortFunc(list, func(a, b *crm.Contact) int { return cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID)) })
			var out []string
			for _, c := range list {
				out = append(out, c.Name())
			}
			return out
		}
		byName := func(a, b *crm.Contact) int { return strings.Compare(a.SortNorm(), b.SortNorm()) }
		byUpdated := func(a, b *crm.Contact) int { return a.UpdatedAt.Compare(b.UpdatedAt) }
		everyone := func(*crm.Contact) bool { return true }

		admin := w.browser(t, w.admin)
		if got, want := walkPeople(t, admin, "/people"), names(everyone, byName); !slices.Equal(got, want) {
			t.Errorf("/people over every page:\n got %q\nwant %q", got, want)
		}
		wantDesc := names(everyone, byUpdated)
		slices.Reverse(wantDesc)
		if got := walkPeople(t, admin, "/people?sort=-updated"); !slices.Equal(got, wantDesc) {
			t.Errorf("/people?sort=-updated:\n got %q\nwant %q", got, wantDesc)
		}
		for query, keep := range map[string]func(c *crm.Contact) bool{
			"account=" + itoa(vaki.ID): func(c *crm.Contact) bool { return c.AccountID == vaki.ID },
			"q=hamalainen":             func(c *crm.Contact) bool { return c.LastName == "Hämäläinen" },
			"q=oberg":                  func(c *crm.Contact) bool { return c.LastName == "Öberg" },
			"q=asa":                    func(c *crm.Contact) bool { return c.FirstName == "Åsa" },
			"role=decision_maker":      func(c *crm.Contact) bool { return c.Role == "decision_maker" },
			"team=" + itoa(w.north):    func(c *crm.Contact) bool { return c.TeamID == w.north },
			"owner=none":               func(c *crm.Contact) bool { return c.OwnerID == 0 },
		} {
			if got, want := walkPeople(t, admin, "/people?"+query), names(keep, byName); !slices.Equal(got, want) {
				t.Errorf("/people?%s:\n got %q\nwant %q", query, got, want)
			}
		}
		// a person is seen as their company is: the read-only user of the north team sees its people
		reader := w.browser(t, w.reader)
		if got, want := walkPeople(t, reader, "/people"), names(func(c *crm.Contact) bool { return c.AccountID == north.ID }, byName); !slices.Equal(got, want) {
			t.Errorf("the read-only user's people:\n got %q\nwant %q", got, want)
		}
		sanna := w.browser(t, w.sanna)
		if got := walkPeople(t, sanna, "/people?owner=me"); !slices.Equal(got, []string{"Irrallinen Ihminen"}) {
			t.Errorf("sanna's own people: %q", got)
		}
	})
}

func TestListsTakeAnyTypedFilter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.company(t, &crm.Account{Name: "Äijälä Oy", OwnerID: w.sanna.ID, Segment: "Teollisuus", Tags: []string{"vip"},
			VisitingAddress: crm.Address{City: "Tampere"}})
		admin := w.browser(t, w.admin)
		pages := []string{"/companies?q=", "/companies?city=", "/companies?segment=", "/companies?tag=", "/people?q=", "/search?q=",
			"/search/suggest?q=", "/companies/export?format=csv&q=", "/people/export?format=csv&q="}
		// what a user may type or paste, or a link may carry: none of it is an error on our side
		for _, typed := range []string{`"`, `*`, `-`, `a"b`, `OR`, `NEAR(`, `^`, `:`, `a:b`, `'`, `\`, `%`, `_`, "\x00", "a\x00b",
			"\xff", "\xc3", `(`, `aija*`, `AND NOT`, `{}`, "ä-ö", "🙂", strings.Repeat("a", 3000)} {
			for _, p := range pages {
				if r := admin.Do("GET", p+url.QueryEscape(typed), nil); r.StatusCode >= 500 {
					t.Errorf("GET %s%q: %d", p, typed, r.StatusCode)
				}
			}
		}
		// a stray NUL or broken byte does not hide what the rest of the filter finds
		for _, p := range []string{"/companies?q=%C3%84ij%00", "/companies?segment=Teollisuus%00", "/companies?tag=vip%FF", "/companies?city=tampere%00"} {
			r := admin.Do("GET", p, nil)
			want(t, r, http.StatusOK)
			if got := listNames(r.Body); !slices.Equal(got, []string{"Äijälä Oy"}) {
				t.Errorf("GET %s: %q", p, got)
			}
		}
		// broken cursors, sorts and ids are the user's error, not ours
		for _, p := range []string{"/companies?after=zzz", "/companies?after=eyJrIjoxfQ", "/people?after=zzz", "/search?q=a&after=zzz",
			"/companies?sort=bogus", "/companies?owner=abc", "/companies?team=abc", "/people?account=abc", "/companies/abc",
			"/companies/99999999999999999999", "/companies/1/history?after=zzz", "/companies?limit=-5", "/companies?col=bogus"} {
			if r := admin.Do("GET", p, nil); r.StatusCode >= 500 {
				t.Errorf("GET %s: %d", p, r.StatusCode)
			}
		}
	})
}

func TestSearchPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.company(t, &crm.Account{Name: "Äijälä Oy", OwnerID: w.sanna.ID})
		w.company(t, &crm.Account{Name: "Aijan Paja Oy", OwnerID: w.paivi.ID})
		w.company(t, &crm.Account{Name: "Muu Yhtiö Oy", OwnerID: w.paivi.ID})
		work := w.company(t, &crm.Account{Name: "Työnantaja Oy", OwnerID: w.sanna.ID})
		for i := range 60 {
			w.person(t, &crm.Contact{FirstName: "Aija", LastName: fmt.Sprintf("Ihminen%02d", i), AccountID: work.ID})
		}
		hitRE := regexp.MustCompile(`<a href="/(companies|people)/(\d+)">([^<]*)</a>`)
		search := func(c *testutil.Client, q string) (companies []string, people int) {
			t.Helper()
			seen := map[string]bool{}
			path := "/search?q=" + url.QueryEscape(q)
			for pages := 0; path != ""; pages++ {
				if pages > 10 {
					t.Fatal("the search pages do not end")
				}
				r := c.Do("GET", path, nil)
				want(t, r, http.StatusOK)
				main := r.Body[strings.Index(string(r.Body), `<main`):]
				for _, m := range hitRE.FindAllSubmatch(main, -1) {
					key := string(m[1]) + string(m[2])
					if seen[key] {
						t.Errorf("search %q: %s twice", q, m[3])
					}
					seen[key] = true
					if string(m[1]) == "companies" {
						companies = append(companies, html.UnescapeString(string(m[3])))
					} else {
						people++
					}
				}
				path = ""
				if next := nextLink(r.Body); next != "" {
					path = "/search" + next
				}
			}
			slices.Sort(companies)
			return companies, people
		}
		for _, tc := range []struct {
			who       *crm.User
			companies []string
			people    int
		}{
			{w.admin, []string{"Aijan Paja Oy", "Äijälä Oy"}, 60},
			{w.sanna, []string{"Äijälä Oy"}, 60},
			{w.reader, []string{"Aijan Paja Oy"}, 0},
		} {
			c := w.browser(t, tc.who)
			if companies, people := search(c, "aija"); !slices.Equal(companies, tc.companies) || people != tc.people {
				t.Errorf("%s searching aija: companies %q, %d people; want %q, %d", tc.who.Email, companies, people, tc.companies, tc.people)
			}
		}

		// the picker's suggestions: companies only, whatever else matches
		admin := w.browser(t, w.admin)
		r := admin.Do("GET", "/search/suggest?kind=account&q=aija", nil)
		want(t, r, http.StatusOK)
		var out struct {
			Items []struct {
				Kind string `json:"kind"`
				ID   int64  `json:"id"`
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"items"`
		}
		r.JSON(t, &out)
		var names []string
		for _, it := range out.Items {
			if it.Kind != "account" || it.URL != "/companies/"+itoa(it.ID) {
				t.Errorf("a company suggestion: %+v", it)
			}
			names = append(names, it.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"Aijan Paja Oy", "Äijälä Oy"}) {
			t.Errorf("the company picker suggests %q for aija", names)
		}
		r = admin.Do("GET", "/search/suggest?q=aija", nil)
		r.JSON(t, &out)
		if len(out.Items) != 8 {
			t.Errorf("the search box suggests %d hits, want 8", len(out.Items))
		}
	})
}
