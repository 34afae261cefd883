package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// bulk posts the bulk form of the companies list: ids, an action and its value.
func bulk(c *testutil.Client, action, value string, confirm bool, ids ...int64) *testutil.Response {
	v := url.Values{"action": {action}, action: {value}, "back": {"/companies?stage=prospect"}}
	for _, id := range ids {
		v.Add("id", itoa(id))
	}
	if confirm {
		v.Set("confirm", "1")
	}
	return form(c, "/companies/bulk", v)
}

func TestBulkActions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		own1 := w.company(t, &crm.Account{Name: "Sannan Oy", Stage: crm.Prospect, OwnerID: w.sanna.ID, Tags: []string{"vanha"}})
		own2 := w.company(t, &crm.Account{Name: "Sannan Toinen Oy", Stage: crm.Prospect, OwnerID: w.sanna.ID})
		teams := w.company(t, &crm.Account{Name: "Jarin Oy", Stage: crm.Prospect, OwnerID: w.jari.ID})
		secret := w.company(t, &crm.Account{Name: "Päivin Salainen Oy", Stage: crm.Prospect, OwnerID: w.paivi.ID})
		sanna := w.browser(t, w.sanna)
		versions := func() map[int64]int64 {
			out := map[int64]int64{}
			for _, a := range []*crm.Account{own1, own2, teams, secret} {
				out[a.ID] = w.account(t, a.ID).Version
			}
			return out
		}
		before := versions()

		// first a page that says what will change, changing nothing
		r := bulk(sanna, "stage", "customer", false, own1.ID, own2.ID, teams.ID, secret.ID)
		want(t, r, http.StatusOK)
		body := string(r.Body)
		for _, n := range []string{"Sannan Oy", "Sannan Toinen Oy", "Jarin Oy"} {
			if !strings.Contains(body, n) {
				t.Errorf("the confirmation does not name %s", n)
			}
		}
		if strings.Contains(body, "Päivin") {
			t.Error("the confirmation names a company sanna may not see")
		}
		if h := hidden(r.Body); h["confirm"] != "1" || h["action"] != "stage" || h["stage"] != "customer" || h["back"] != "/companies?stage=prospect" {
			t.Errorf("the confirmation form carries %v", h)
		}
		var confirmIDs []string
		for _, m := range regexp.MustCompile(`name="id" value="(\d+)"`).FindAllSubmatch(r.Body, -1) {
			confirmIDs = append(confirmIDs, string(m[1]))
		}
		if !slices.Equal(confirmIDs, []string{itoa(own1.ID), itoa(own2.ID), itoa(teams.ID)}) {
			t.Errorf("the confirmation carries the ids %v", confirmIDs)
		}
		if !maps.Equal(versions(), before) {
			t.Fatal("the confirmation page changed something")
		}

		// then the change: her own companies change; the teammate's she may only see is refused and
		// named; the one she may not see is not named
		r = bulk(sanna, "stage", "customer", true, own1.ID, own2.ID, teams.ID, secret.ID)
		want(t, r, http.StatusSeeOther)
		if location(r) != "/companies?stage=prospect" {
			t.Errorf("after the change: to %s", location(r))
		}
		msg := flash(sanna.Do("GET", location(r), nil).Body)
		if !strings.Contains(msg, "2") || !strings.Contains(msg, "Jarin Oy") {
			t.Errorf("the result says %q; it must count 2 changed and name Jarin Oy as refused", msg)
		}
		if strings.Contains(msg, "Päivin") {
			t.Errorf("the result names a company sanna may not see: %q", msg)
		}
		for _, a := range []*crm.Account{own1, own2} {
			if got := w.account(t, a.ID); got.Stage != crm.Customer {
				t.Errorf("%s: stage %s", a.Name, got.Stage)
			}
		}
		after := versions()
		for _, a := range []*crm.Account{teams, secret} {
			if after[a.ID] != before[a.ID] || w.account(t, a.ID).Stage != crm.Prospect {
				t.Errorf("%s was changed by someone who may not change it", a.Name)
			}
		}

		// add a tag: kept tags stay, and adding it again does not double it
		for range 2 {
			want(t, bulk(sanna, "tag", "kampanja", true, own1.ID, own2.ID), http.StatusSeeOther)
		}
		if got := w.account(t, own1.ID).Tags; !slices.Equal(sorted(got), []string{"kampanja", "vanha"}) {
			t.Errorf("tags of Sannan Oy: %q", got)
		}
		if got := w.account(t, own2.ID).Tags; !slices.Equal(got, []string{"kampanja"}) {
			t.Errorf("tags of Sannan Toinen Oy: %q", got)
		}

		// change the owner: she may give her own away, not her teammate's
		r = bulk(sanna, "owner", itoa(w.jari.ID), true, own2.ID, teams.ID)
		msg = flash(sanna.Do("GET", location(r), nil).Body)
		if got := w.account(t, own2.ID); got.OwnerID != w.jari.ID || got.TeamID != w.south {
			t.Errorf("Sannan Toinen Oy after reassigning to jari: owner %d team %d", got.OwnerID, got.TeamID)
		}
		if !strings.Contains(msg, "1") || !strings.Contains(msg, "Jarin Oy") {
			t.Errorf("reassigning: the result says %q", msg)
		}

		// an administrator moves them all; the team follows the new owner
		admin := w.browser(t, w.admin)
		r = bulk(admin, "owner", itoa(w.paivi.ID), false, own1.ID, teams.ID, secret.ID)
		want(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), w.paivi.Name) {
			t.Error("the confirmation does not name the new owner")
		}
		want(t, bulk(admin, "owner", itoa(w.paivi.ID), true, own1.ID, teams.ID, secret.ID), http.StatusSeeOther)
		for _, a := range []*crm.Account{own1, teams, secret} {
			if got := w.account(t, a.ID); got.OwnerID != w.paivi.ID || got.TeamID != w.north {
				t.Errorf("%s after the administrator's change: owner %d team %d", a.Name, got.OwnerID, got.TeamID)
			}
		}

		// a read-only user changes nothing, and is told so
		before = versions()
		reader := w.browser(t, w.reader)
		r = bulk(reader, "stage", "former", true, own1.ID, teams.ID, secret.ID)
		want(t, r, http.StatusSeeOther)
		if msg := flash(reader.Do("GET", location(r), nil).Body); !strings.Contains(msg, "0") {
			t.Errorf("a read-only user's bulk change: %q", msg)
		}
		// a stage that does not exist changes nothing either
		r = bulk(admin, "stage", "bogus", true, own1.ID, teams.ID)
		want(t, r, http.StatusSeeOther)
		if !maps.Equal(versions(), before) {
			t.Error("a refused bulk change changed something")
		}

		// nothing chosen, or a way out of the site: back to the list with a message
		r = bulk(sanna, "stage", "customer", true)
		want(t, r, http.StatusSeeOther)
		if msg := flash(sanna.Do("GET", location(r), nil).Body); msg == "" {
			t.Error("no message when nothing was chosen")
		}
		r = form(sanna, "/companies/bulk", url.Values{"action": {"stage"}, "stage": {"customer"}, "id": {itoa(own2.ID)},
			"confirm": {"1"}, "back": {"//evil.example/x"}})
		if loc := location(r); strings.Contains(loc, "evil") {
			t.Errorf("bulk sends the user to %s", loc)
		}
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
