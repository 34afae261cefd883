package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/i18n"
	"tili/internal/store"
	"tili/internal/store/storetest"
)

// TestFormRoundTrips holds the web form's create of a person and of a company to the statements it
// sends, beside the API's (internal/api's TestRoundTrips); a change that adds one fails with the list.
func TestFormRoundTrips(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for i := range 50 {
			w.company(t, &crm.Account{Name: fmt.Sprintf("Yritys %02d Oy", i), OwnerID: w.sanna.ID})
			w.person(t, &crm.Contact{FirstName: "Matti", LastName: fmt.Sprintf("Virta%02d", i), OwnerID: w.sanna.ID})
		}
		sanna := w.browser(t, w.sanna)
		creates := []struct {
			name, path string
			form       func(i int) url.Values
			most       int
		}{
			// the session, its user, the viewer's hierarchy and sharing; the duplicate check (before
			// saving: the record page shows it after); the e-mail's holder, the person, the e-mail, the
			// history line; the session again, with the message for the next page
			{"create a person through the form", "/people/new", func(i int) url.Values {
				return url.Values{"first_name": {"Liisa"}, "last_name": {[]string{"Koskinen", "Lindqvist"}[i]}, "emails": {fmt.Sprintf("liisa%d@example.fi", i)}}
			}, 9},
			{"create a company through the form", "/companies/new", func(i int) url.Values {
				return url.Values{"name": {[]string{"Aallokko Oy", "Kivijalka Oy"}[i]}}
			}, 7},
		}
		for _, c := range creates {
			want(t, form(sanna, c.path, c.form(0)), http.StatusSeeOther) // the first prepares its statements
			log := w.app.Queries(func() { want(t, form(sanna, c.path, c.form(1)), http.StatusSeeOther) })
			if log.Len() > c.most {
				t.Errorf("%s sends %d statements, more than %d:\n%s", c.name, log.Len(), c.most, log)
			} else {
				t.Logf("%s: %d statements\n%s", c.name, log.Len(), log)
			}
		}
	})
}

// TestFormListsTenLookalikes checks that the form lists the first ten people of the same name and
// tells how many more there are.
func TestFormListsTenLookalikes(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	w := newWorld(t, db)
	for range 13 {
		w.person(t, &crm.Contact{FirstName: "Aino", LastName: "Ahonen", OwnerID: w.sanna.ID})
	}
	r := form(w.browser(t, w.sanna), "/people/new", url.Values{"first_name": {"Aino"}, "last_name": {"Ahonen"}})
	want(t, r, http.StatusOK)
	body := string(r.Body)
	if n := strings.Count(body, "Aino Ahonen</a>"); n != 10 {
		t.Errorf("%d namesakes listed, want 10", n)
	}
	if more := w.cat.N(i18n.Fi, "duplicates.more", 3); !strings.Contains(body, more) {
		t.Errorf("the form does not say %q", more)
	}
}
