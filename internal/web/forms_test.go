package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// countCompanies counts the live companies, for telling that a refused form saved nothing.
func (w *world) countCompanies(t *testing.T) int {
	t.Helper()
	page, err := w.app.Svc.Accounts.List(context.Background(), bySystem, services.AccountFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func (w *world) countPeople(t *testing.T) int {
	t.Helper()
	page, err := w.app.Svc.Contacts.List(context.Background(), bySystem, services.ContactFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

// createdID is the id of the record a create form redirected to.
func createdID(t *testing.T, r *testutil.Response, prefix string) int64 {
	t.Helper()
	want(t, r, http.StatusSeeOther)
	m := regexp.MustCompile(`^` + prefix + `(\d+)$`).FindStringSubmatch(location(r))
	if m == nil {
		t.Fatalf("after saving: to %q, want %sID", location(r), prefix)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestCompanyFormErrorsAndDuplicates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		existing := w.company(t, &crm.Account{Name: "Äijälä Oy", OwnerID: w.sanna.ID})
		sanna := w.browser(t, w.sanna)
		page := sanna.Do("GET", "/companies/new", nil)
		want(t, page, http.StatusOK)
		blank := formFields(t, page.Body, "/companies/new")
		typed := func(change map[string]string) url.Values {
			v := url.Values{}
			for k, vs := range blank {
				v[k] = slices.Clone(vs)
			}
			for k, s := range map[string]string{"name": "Testi Oy", "business_id": "0112038-9", "phones": "040 123 4567",
				"emails": "info@testi.fi", "visit_city": "Tampere", "tier": "B", "segment": "Teollisuus",
				"description": "Kirjoitettu <kuvaus> & muuta"} {
				v.Set(k, s)
			}
			for k, s := range change {
				v.Set(k, s)
			}
			return v
		}
		before := w.countCompanies(t)
		for _, tc := range []struct {
			field, value, control string
		}{
			{"business_id", "0112038-8", "business_id"}, // a wrong check digit
			{"phones", "040 123 4567\n12", "phones"},
			{"emails", "info@testi.fi\nei-osoite", "emails"},
			{"website", "http://", "website"},
		} {
			v := typed(map[string]string{tc.field: tc.value})
			r := form(sanna, "/companies/new", v)
			want(t, r, http.StatusUnprocessableEntity)
			if got := anyInvalid(r.Body); !slices.Equal(got, []string{tc.control}) {
				t.Errorf("%s %q: the fields marked invalid are %v", tc.field, tc.value, got)
			}
			if !strings.Contains(string(r.Body), `class="field-error"`) {
				t.Errorf("%s %q: no message next to the field", tc.field, tc.value)
			}
			// what was typed comes back as typed
			if got := inputValue(r.Body, "name"); got != "Testi Oy" {
				t.Errorf("%s: name %q", tc.field, got)
			}
			if tc.field != "business_id" && inputValue(r.Body, "business_id") != "0112038-9" {
				t.Errorf("%s: business id %q", tc.field, inputValue(r.Body, "business_id"))
			}
			if got := inputValue(r.Body, "visit_city"); got != "Tampere" {
				t.Errorf("%s: city %q", tc.field, got)
			}
			if got := textareaValue(r.Body, "description"); got != "Kirjoitettu <kuvaus> & muuta" {
				t.Errorf("%s: description %q", tc.field, got)
			}
			if got := formFields(t, r.Body, "/companies/new"); got.Get(tc.field) != tc.value || got.Get("tier") != "B" {
				t.Errorf("%s: the form holds %s=%q tier=%q", tc.field, tc.field, got.Get(tc.field), got.Get("tier"))
			}
			if n := w.countCompanies(t); n != before {
				t.Fatalf("%s %q: a refused form saved a company", tc.field, tc.value)
			}
		}

		// valid: saved, and the browser goes to the company
		id := createdID(t, form(sanna, "/companies/new", typed(nil)), "/companies/")
		a := w.account(t, id)
		if a.Name != "Testi Oy" || a.BusinessID != "0112038-9" || !slices.Equal(a.Phones, []string{"+358401234567"}) ||
			a.OwnerID != w.sanna.ID || a.TeamID != w.south || a.Tier != "B" || a.VisitingAddress.City != "Tampere" {
			t.Errorf("saved: %+v", a)
		}
		if r := sanna.Do("GET", "/companies/"+itoa(id), nil); !strings.Contains(string(r.Body), "Testi Oy") || flash(r.Body) == "" {
			t.Errorf("the new company's page: %d, flash %q", r.StatusCode, flash(r.Body))
		}
		// a business ID in use is refused on its field
		r := form(sanna, "/companies/new", typed(map[string]string{"name": "Toinen Testi Oy", "confirm_duplicate": "1"}))
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "business_id") {
			t.Errorf("a business ID in use: invalid fields %v", anyInvalid(r.Body))
		}

		// a name like an existing company's asks first, and saves nothing
		before = w.countCompanies(t)
		v := typed(map[string]string{"name": "Äijälä Oy", "business_id": "", "emails": ""})
		r = form(sanna, "/companies/new", v)
		want(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), `href="/companies/`+itoa(existing.ID)+`"`) || !strings.Contains(string(r.Body), `class="alert warn"`) {
			t.Error("the duplicate warning does not link the existing Äijälä Oy")
		}
		if w.countCompanies(t) != before {
			t.Fatal("a possible duplicate was saved before the user confirmed")
		}
		again := formFields(t, r.Body, "/companies/new")
		if again.Get("confirm_duplicate") != "1" || again.Get("name") != "Äijälä Oy" || again.Get("visit_city") != "Tampere" {
			t.Errorf("the warning's form: %v", again)
		}
		// a similar name warns too
		if r := form(sanna, "/companies/new", typed(map[string]string{"name": "Oy Äijälä Ab", "business_id": "", "emails": ""})); !strings.Contains(string(r.Body), `class="alert warn"`) {
			t.Errorf("Oy Äijälä Ab: %d, no warning", r.StatusCode)
		}
		id = createdID(t, form(sanna, "/companies/new", again), "/companies/")
		if id == existing.ID || w.account(t, id).Name != "Äijälä Oy" || w.countCompanies(t) != before+1 {
			t.Error("saving anyway did not add the second Äijälä Oy")
		}

		// a read-only user may not add a company
		reader := w.browser(t, w.reader)
		if r := form(reader, "/companies/new", typed(map[string]string{"name": "Lukijan Oy", "business_id": ""})); r.StatusCode != http.StatusForbidden {
			t.Errorf("a read-only user adding a company: %d", r.StatusCode)
		}
	})
}

func TestCompanyEditConflict(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.company(t, &crm.Account{Name: "Kiista Oy", Segment: "Alkuperäinen", OwnerID: w.sanna.ID,
			InternalNotes: "salainen", Tags: []string{"pysyy"}})
		sanna := w.browser(t, w.sanna)
		page := sanna.Do("GET", "/companies/"+itoa(a.ID)+"/edit", nil)
		want(t, page, http.StatusOK)
		mine := formFields(t, page.Body, "/companies/"+itoa(a.ID)+"/edit")
		if mine.Get("version") != itoa(a.Version) {
			t.Fatalf("the edit form carries version %q, want %d", mine.Get("version"), a.Version)
		}

		// someone else saves in between
		theirs := w.account(t, a.ID)
		theirs.Segment = "Heidän segmentti"
		if _, err := w.app.Svc.Accounts.Update(context.Background(), bySystem, theirs); err != nil {
			t.Fatal(err)
		}
		mine.Set("segment", "Minun segmenttini")
		r := form(sanna, "/companies/"+itoa(a.ID)+"/edit", mine)
		want(t, r, http.StatusConflict)
		table := regexp.MustCompile(`(?s)<table class="conflict">.*?</table>`).Find(r.Body)
		if !strings.Contains(string(table), "Heidän segmentti") || !strings.Contains(string(table), "Minun segmenttini") {
			t.Errorf("the conflict page does not show both values: %s", table)
		}
		if got := w.account(t, a.ID); got.Segment != "Heidän segmentti" || got.Version != theirs.Version {
			t.Errorf("a stale save changed the company: segment %q version %d", got.Segment, got.Version)
		}
		// the form holds the user's values with the new version: saving again applies them
		again := formFields(t, r.Body, "/companies/"+itoa(a.ID)+"/edit")
		if again.Get("segment") != "Minun segmenttini" || again.Get("version") != itoa(theirs.Version) {
			t.Errorf("the conflict form holds segment %q version %q", again.Get("segment"), again.Get("version"))
		}
		want(t, form(sanna, "/companies/"+itoa(a.ID)+"/edit", again), http.StatusSeeOther)
		got := w.account(t, a.ID)
		if got.Segment != "Minun segmenttini" || got.InternalNotes != "salainen" || !slices.Equal(got.Tags, []string{"pysyy"}) || got.OwnerID != w.sanna.ID {
			t.Errorf("after saving again: %+v", got)
		}
		// the old version is refused again
		want(t, form(sanna, "/companies/"+itoa(a.ID)+"/edit", mine), http.StatusConflict)

		// a teammate may look, not edit
		jari := w.browser(t, w.jari)
		want(t, jari.Do("GET", "/companies/"+itoa(a.ID)+"/edit", nil), http.StatusForbidden)
		mine.Set("version", itoa(got.Version))
		mine.Set("segment", "Jarin")
		want(t, form(jari, "/companies/"+itoa(a.ID)+"/edit", mine), http.StatusForbidden)
		if w.account(t, a.ID).Segment != "Minun segmenttini" {
			t.Error("a teammate without the right changed the company")
		}
	})
}

func TestCompanyParentByName(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		emo := w.company(t, &crm.Account{Name: "Emo Oy", OwnerID: w.sanna.ID})
		w.company(t, &crm.Account{Name: "Emo Holding Oy", OwnerID: w.sanna.ID})
		w.company(t, &crm.Account{Name: "Emo Holding Ab", OwnerID: w.jari.ID})
		only := w.company(t, &crm.Account{Name: "Ainoa Emoyhtiö Oy", OwnerID: w.sanna.ID})
		secretParent := w.company(t, &crm.Account{Name: "Salainen Konserni Oy", OwnerID: w.paivi.ID}) // sanna does not see it
		sanna := w.browser(t, w.sanna)
		blank := formFields(t, sanna.Do("GET", "/companies/new", nil).Body, "/companies/new")
		child := func(name, parent string) *testutil.Response {
			v := url.Values{}
			for k, vs := range blank {
				v[k] = slices.Clone(vs)
			}
			v.Set("name", name)
			v.Set("parent_name", parent)
			v.Set("parent_id", "") // no JavaScript: the picker gave no id
			v.Set("confirm_duplicate", "1")
			return form(sanna, "/companies/new", v)
		}
		for parent, wantID := range map[string]int64{"Emo Oy": emo.ID, "emo oy": emo.ID, "ainoa emo": only.ID} {
			id := createdID(t, child("Tytär "+parent, parent), "/companies/")
			if got := w.account(t, id).ParentID; got != wantID {
				t.Errorf("parent typed as %q: parent #%d, want #%d", parent, got, wantID)
			}
		}
		for _, parent := range []string{"Emo Holding", "Tuntematon", "Salainen Konserni Oy"} {
			before := w.countCompanies(t)
			r := child("Orpo "+parent, parent)
			want(t, r, http.StatusUnprocessableEntity)
			if !invalid(r.Body, "parent_name") || inputValue(r.Body, "parent_name") != parent {
				t.Errorf("parent typed as %q: invalid fields %v, parent field %q", parent, anyInvalid(r.Body), inputValue(r.Body, "parent_name"))
			}
			if w.countCompanies(t) != before {
				t.Errorf("parent typed as %q: saved anyway", parent)
			}
		}

		// on the edit form without JavaScript the old parent's id stays in the hidden field: the name the
		// user typed over it, or cleared, is what counts
		kid := w.company(t, &crm.Account{Name: "Lapsi Oy", OwnerID: w.sanna.ID, ParentID: emo.ID})
		edit := func(parentName string) {
			t.Helper()
			v := formFields(t, sanna.Do("GET", "/companies/"+itoa(kid.ID)+"/edit", nil).Body, "/companies/"+itoa(kid.ID)+"/edit")
			if v.Get("parent_id") == "" {
				t.Fatal("the edit form does not carry the parent's id")
			}
			v.Set("parent_name", parentName)
			want(t, form(sanna, "/companies/"+itoa(kid.ID)+"/edit", v), http.StatusSeeOther)
		}
		// a parent the user may not see is shown without its name, and saving keeps it
		hidden := w.company(t, &crm.Account{Name: "Piilo Oy", OwnerID: w.sanna.ID, ParentID: secretParent.ID})
		hpath := "/companies/" + itoa(hidden.ID) + "/edit"
		hv := formFields(t, sanna.Do("GET", hpath, nil).Body, hpath)
		if hv.Get("parent_name") != "" || hv.Get("parent_id") != itoa(secretParent.ID) {
			t.Errorf("the edit form of a company with a parent sanna may not see: %q %q", hv.Get("parent_name"), hv.Get("parent_id"))
		}
		hv.Set("segment", "Uusi")
		want(t, form(sanna, hpath, hv), http.StatusSeeOther)
		if got := w.account(t, hidden.ID); got.ParentID != secretParent.ID || got.Segment != "Uusi" {
			t.Errorf("saving a company with a parent sanna may not see: parent #%d segment %q", got.ParentID, got.Segment)
		}

		edit("Ainoa Emoyhtiö Oy")
		if got := w.account(t, kid.ID).ParentID; got != only.ID {
			t.Errorf("parent retyped without JavaScript: parent #%d, want #%d", got, only.ID)
		}
		edit("")
		if got := w.account(t, kid.ID).ParentID; got != 0 {
			t.Errorf("parent cleared without JavaScript: parent #%d", got)
		}
	})
}

func TestPersonForm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		vaki := w.company(t, &crm.Account{Name: "Väki Oy", OwnerID: w.sanna.ID})
		w.company(t, &crm.Account{Name: "Väkevä Oy", OwnerID: w.sanna.ID})
		secret := w.company(t, &crm.Account{Name: "Salainen Oy", OwnerID: w.paivi.ID})
		sanna := w.browser(t, w.sanna)
		page := sanna.Do("GET", "/people/new?account="+itoa(vaki.ID), nil)
		want(t, page, http.StatusOK)
		blank := formFields(t, page.Body, "/people/new")
		if blank.Get("account_id") != itoa(vaki.ID) || blank.Get("account_name") != "Väki Oy" {
			t.Errorf("the new person form from a company: account %q %q", blank.Get("account_id"), blank.Get("account_name"))
		}
		typed := func(change map[string]string) url.Values {
			v := url.Values{}
			for k, vs := range blank {
				v[k] = slices.Clone(vs)
			}
			for k, s := range map[string]string{"first_name": "Päivi", "last_name": "Hämäläinen", "title": "Hankintajohtaja",
				"emails": "paivi@vaki.fi", "phones": "040-1234567"} {
				v.Set(k, s)
			}
			for k, s := range change {
				v.Set(k, s)
			}
			return v
		}
		before := w.countPeople(t)
		for _, tc := range []struct{ field, value, control string }{
			{"emails", "paivi@", "emails"},
			{"phones", "040", "phones"},
			{"first_name", "", "last_name"}, // no name at all
			{"account_id", itoa(secret.ID), "account_name"},
			{"account_id", "999999", "account_name"},
		} {
			change := map[string]string{tc.field: tc.value}
			if tc.field == "first_name" {
				change["last_name"] = ""
			}
			r := form(sanna, "/people/new", typed(change))
			want(t, r, http.StatusUnprocessableEntity)
			if got := anyInvalid(r.Body); !slices.Equal(got, []string{tc.control}) {
				t.Errorf("%s %q: the fields marked invalid are %v", tc.field, tc.value, got)
			}
			if tc.field != "first_name" && (inputValue(r.Body, "first_name") != "Päivi" || inputValue(r.Body, "title") != "Hankintajohtaja") {
				t.Errorf("%s %q: the typed values are lost", tc.field, tc.value)
			}
			if got := formFields(t, r.Body, "/people/new").Get(tc.field); got != tc.value {
				t.Errorf("%s %q: the form holds %q", tc.field, tc.value, got)
			}
			if w.countPeople(t) != before {
				t.Fatalf("%s %q: a refused form saved a person", tc.field, tc.value)
			}
		}
		id := createdID(t, form(sanna, "/people/new", typed(nil)), "/people/")
		c, err := w.app.Svc.Contacts.Get(context.Background(), bySystem, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.AccountID != vaki.ID || !slices.Equal(c.Emails, []string{"paivi@vaki.fi"}) || !slices.Equal(c.Phones, []string{"+358401234567"}) || c.OwnerID != w.sanna.ID {
			t.Errorf("saved: %+v", c)
		}

		// the same name again asks first
		before = w.countPeople(t)
		r := form(sanna, "/people/new", typed(map[string]string{"emails": "", "phones": ""}))
		want(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), `href="/people/`+itoa(id)+`"`) {
			t.Error("the duplicate warning does not link the existing person")
		}
		if w.countPeople(t) != before {
			t.Fatal("a possible duplicate was saved before the user confirmed")
		}
		second := createdID(t, form(sanna, "/people/new", formFields(t, r.Body, "/people/new")), "/people/")
		if second == id || w.countPeople(t) != before+1 {
			t.Error("saving anyway did not add the person")
		}

		// edit with a stale version: a conflict, nothing overwritten; saving again applies
		edit := formFields(t, sanna.Do("GET", "/people/"+itoa(id)+"/edit", nil).Body, "/people/"+itoa(id)+"/edit")
		theirs, _ := w.app.Svc.Contacts.Get(context.Background(), bySystem, id)
		theirs.Title = "Toimitusjohtaja"
		if _, err := w.app.Svc.Contacts.Update(context.Background(), bySystem, theirs); err != nil {
			t.Fatal(err)
		}
		edit.Set("title", "Ostopäällikkö")
		r = form(sanna, "/people/"+itoa(id)+"/edit", edit)
		want(t, r, http.StatusConflict)
		table := regexp.MustCompile(`(?s)<table class="conflict">.*?</table>`).Find(r.Body)
		if !strings.Contains(string(table), "Toimitusjohtaja") || !strings.Contains(string(table), "Ostopäällikkö") {
			t.Errorf("the conflict page does not show both values: %s", table)
		}
		if got, _ := w.app.Svc.Contacts.Get(context.Background(), bySystem, id); got.Title != "Toimitusjohtaja" {
			t.Errorf("a stale save changed the title to %q", got.Title)
		}
		want(t, form(sanna, "/people/"+itoa(id)+"/edit", formFields(t, r.Body, "/people/"+itoa(id)+"/edit")), http.StatusSeeOther)
		if got, _ := w.app.Svc.Contacts.Get(context.Background(), bySystem, id); got.Title != "Ostopäällikkö" || got.AccountID != vaki.ID {
			t.Errorf("after saving again: title %q company #%d", got.Title, got.AccountID)
		}

		// the company typed by name without JavaScript: found when one matches, a field error otherwise
		for name, wantID := range map[string]int64{"Väki Oy": vaki.ID, "väki oy": vaki.ID} {
			v := typed(map[string]string{"account_id": "", "account_name": name, "first_name": "Nimellä " + name, "emails": "", "phones": "",
				"confirm_duplicate": "1"})
			pid := createdID(t, form(sanna, "/people/new", v), "/people/")
			if got, _ := w.app.Svc.Contacts.Get(context.Background(), bySystem, pid); got.AccountID != wantID {
				t.Errorf("company typed as %q: #%d, want #%d", name, got.AccountID, wantID)
			}
		}
		for _, name := range []string{"Väk", "Salainen Oy", "Ei Ole Oy"} {
			before := w.countPeople(t)
			v := typed(map[string]string{"account_id": "", "account_name": name, "emails": "", "phones": "", "confirm_duplicate": "1"})
			r := form(sanna, "/people/new", v)
			if r.StatusCode != http.StatusUnprocessableEntity || !invalid(r.Body, "account_name") || w.countPeople(t) != before {
				t.Errorf("company typed as %q: %d, invalid fields %v, saved %v", name, r.StatusCode, anyInvalid(r.Body), w.countPeople(t) != before)
			}
			if got := inputValue(r.Body, "account_name"); got != name {
				t.Errorf("company typed as %q: the form holds %q", name, got)
			}
		}

		// on the edit form the company's id stays in the hidden field without JavaScript: the name typed
		// over it, or cleared, is what counts
		other := w.company(t, &crm.Account{Name: "Uusi Työpaikka Oy", OwnerID: w.sanna.ID})
		editTo := func(accountName string) *testutil.Response {
			t.Helper()
			v := formFields(t, sanna.Do("GET", "/people/"+itoa(id)+"/edit", nil).Body, "/people/"+itoa(id)+"/edit")
			if v.Get("account_id") == "" && accountName != "" {
				t.Fatal("the edit form does not carry the company's id")
			}
			v.Set("account_name", accountName)
			return form(sanna, "/people/"+itoa(id)+"/edit", v)
		}
		company := func() int64 {
			c, err := w.app.Svc.Contacts.Get(context.Background(), bySystem, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.AccountID
		}
		want(t, editTo("uusi työpaikka"), http.StatusSeeOther)
		if got := company(); got != other.ID {
			t.Errorf("company retyped without JavaScript: #%d, want #%d", got, other.ID)
		}
		r = editTo("Ei Ole Oy")
		want(t, r, http.StatusUnprocessableEntity)
		if !invalid(r.Body, "account_name") || company() != other.ID {
			t.Errorf("an unknown company typed over the old one: invalid fields %v, company #%d", anyInvalid(r.Body), company())
		}
		want(t, editTo(""), http.StatusSeeOther)
		if got := company(); got != 0 {
			t.Errorf("company cleared without JavaScript: #%d", got)
		}
		// a company the user may not see is shown without its name, and saving the person keeps it
		hers := w.person(t, &crm.Contact{FirstName: "Oma", LastName: "Yhteyshenkilö", AccountID: secret.ID, OwnerID: w.sanna.ID})
		path := "/people/" + itoa(hers.ID) + "/edit"
		v := formFields(t, sanna.Do("GET", path, nil).Body, path)
		if v.Get("account_name") != "" || v.Get("account_id") != itoa(secret.ID) {
			t.Errorf("the edit form of a person at a company sanna may not see: %q %q", v.Get("account_name"), v.Get("account_id"))
		}
		v.Set("title", "Myyjä")
		want(t, form(sanna, path, v), http.StatusSeeOther)
		if got, _ := w.app.Svc.Contacts.Get(context.Background(), bySystem, hers.ID); got.AccountID != secret.ID || got.Title != "Myyjä" {
			t.Errorf("saving a person at a company sanna may not see: company #%d title %q", got.AccountID, got.Title)
		}
	})
}

func TestFormsTakeAnyTypedText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.company(t, &crm.Account{Name: "Äijälä Oy", OwnerID: w.sanna.ID})
		p := w.person(t, &crm.Contact{FirstName: "Aino", LastName: "Aalto", AccountID: a.ID})
		admin := w.browser(t, w.admin)
		// a NUL or a byte that is not UTF-8, pasted or sent by a broken client, is at worst refused: never an
		// error on our side, never a response a browser cannot read
		for _, bad := range []string{"x\x00y", "x\xffy"} {
			for path, v := range map[string]url.Values{
				"/companies/views":                      {"name": {bad}, "query": {"q=" + bad}},
				"/people/views":                         {"name": {"Näkymä"}, "query": {"q=" + bad + "&x\x00=1"}},
				"/settings":                             {"name": {bad}, "language": {"fi"}, "time_zone": {bad}, "theme": {"system"}},
				"/settings/password":                    {"current_password": {bad}, "password": {bad}, "password2": {bad}},
				"/admin/teams":                          {"name": {bad}},
				"/admin/users":                          {"email": {bad + "@example.fi"}, "name": {bad}, "role": {"read_only"}},
				"/admin/tokens":                         {"user": {itoa(w.sanna.ID)}, "scope": {"read"}, "name": {bad}},
				"/companies/bulk":                       {"action": {"tag"}, "tag": {bad}, "id": {itoa(a.ID)}, "confirm": {"1"}},
				"/companies/new":                        {"name": {bad}, "segment": {bad}},
				"/people/new":                           {"first_name": {"Nimi"}, "account_name": {bad}},
				"/people/" + itoa(p.ID) + "/edit":       {"first_name": {"Aino"}, "last_name": {bad}, "version": {"1"}},
				"/companies/" + itoa(a.ID) + "/share":   {"with": {"user:" + bad}, "level": {bad}},
				"/admin/sharing":                        {"account": {bad}},
				"/language":                             {"lang": {bad}, "back": {"/" + bad}},
				"/set-password":                         {"token": {bad}, "password": {"pitkä salasana tässä"}, "password2": {"pitkä salasana tässä"}},
				"/companies/" + itoa(a.ID) + "/restore": {"version": {bad}},
			} {
				if r := form(admin, path, v); r.StatusCode >= 500 {
					t.Errorf("POST %s with %q: %d", path, bad, r.StatusCode)
				}
			}
			for _, path := range []string{"/set-password?token=" + url.QueryEscape(bad), "/setup?token=" + url.QueryEscape(bad),
				"/login?next=" + url.QueryEscape(bad), "/companies/new?parent=" + url.QueryEscape(bad)} {
				if r := admin.Do("GET", path, nil); r.StatusCode >= 500 {
					t.Errorf("GET %s: %d", path, r.StatusCode)
				}
			}
		}
		// the saved view keeps its filter in one spelling
		views, err := w.app.Svc.Views.List(context.Background(), crm.Principal{UserID: w.admin.ID, Role: crm.Admin}, "people")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range views {
			if strings.ContainsAny(v.Query, "\x00\xff") {
				t.Errorf("a saved view keeps the bytes %q", v.Query)
			}
		}

		for _, bad := range []string{"x\x00y", "x\xffy"} {
			if r := form(admin, "/companies/new", url.Values{"name": {"Hyvä Oy"}, "parent_name": {bad}}); r.StatusCode >= 500 {
				t.Errorf("POST /companies/new with the parent %q: %d", bad, r.StatusCode)
			}
			if r := form(w.app.Browser(), "/login", url.Values{"email": {bad}, "password": {bad}}); r.StatusCode >= 500 {
				t.Errorf("signing in as %q: %d", bad, r.StatusCode)
			}
		}
	})
}

func TestCompanyDeleteAndRestore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.company(t, &crm.Account{Name: "Roskis Oy", OwnerID: w.sanna.ID})
		sanna := w.browser(t, w.sanna)
		page := sanna.Do("GET", "/companies/"+itoa(a.ID), nil)
		del := formFields(t, page.Body, "/companies/"+itoa(a.ID)+"/delete")

		// someone saves in between: the delete names an older version and is refused
		cur := w.account(t, a.ID)
		cur.Segment = "Muutettu"
		if _, err := w.app.Svc.Accounts.Update(context.Background(), bySystem, cur); err != nil {
			t.Fatal(err)
		}
		r := form(sanna, "/companies/"+itoa(a.ID)+"/delete", del)
		if r.StatusCode == http.StatusSeeOther {
			if msg := flash(sanna.Do("GET", location(r), nil).Body); msg == "" {
				t.Error("a refused delete says nothing")
			}
		}
		if w.account(t, a.ID).DeletedAt != nil {
			t.Fatal("a delete of an older version went through")
		}
		// the current version goes to the bin, and comes back
		del = formFields(t, sanna.Do("GET", "/companies/"+itoa(a.ID), nil).Body, "/companies/"+itoa(a.ID)+"/delete")
		page = follow(t, sanna, form(sanna, "/companies/"+itoa(a.ID)+"/delete", del))
		if w.account(t, a.ID).DeletedAt == nil || flash(page.Body) == "" {
			t.Fatal("the delete did not go through")
		}
		if got := walk(t, sanna, "/companies?bin=1"); !slices.Equal(got, []string{"Roskis Oy"}) {
			t.Errorf("the bin after deleting: %q", got)
		}
		if got := walk(t, sanna, "/companies"); slices.Contains(got, "Roskis Oy") {
			t.Error("a deleted company is still in the list")
		}
		// a teammate who may only look cannot restore it
		want(t, form(w.browser(t, w.jari), "/companies/"+itoa(a.ID)+"/restore", nil), http.StatusForbidden)
		follow(t, sanna, form(sanna, "/companies/"+itoa(a.ID)+"/restore", formFields(t, page.Body, "/companies/"+itoa(a.ID)+"/restore")))
		if w.account(t, a.ID).DeletedAt != nil {
			t.Error("the restore did not go through")
		}
		if got := walk(t, sanna, "/companies"); !slices.Equal(got, []string{"Roskis Oy"}) {
			t.Errorf("the list after restoring: %q", got)
		}
	})
}

// The pages read and show phone numbers in the installation's phone region (--phone-region), as the
// command line and the API do: in Sweden, 08-123 456 78 is a Stockholm number, shown without +46.
func TestPagesUseThePhoneRegion(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	app := testutil.NewTestApp(t, db, testutil.Options{PhoneRegion: "SE"})
	admin := app.User("admin@example.se", crm.Admin, nil, 0)
	c := app.Browser()
	signIn(t, c, admin.Email)
	r := form(c, "/companies/new", url.Values{"name": {"Stockholms Lås AB"}, "phones": {"08-123 456 78"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%.500s", r.StatusCode, r.Body)
	}
	page, err := app.Svc.Accounts.List(context.Background(), crm.System(crm.SourceCLI), services.AccountFilter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %v %v", page.Items, err)
	}
	a := page.Items[0]
	if len(a.Phones) != 1 || a.Phones[0] != "+46812345678" {
		t.Fatalf("a Swedish installation read 08-123 456 78 as %v, want +46812345678", a.Phones)
	}
	body := string(c.Do("GET", fmt.Sprintf("/companies/%d", a.ID), nil).Body)
	if !strings.Contains(body, "08-123 456 78") || strings.Contains(body, "+46 8") {
		t.Fatalf("the company page does not show the number in the national format of the region:\n%.2000s", body)
	}
}
