package search_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	searchstore "tili/internal/store/search"
	"tili/internal/store/storetest"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, name := range []string{"Äijälä Oy", "Äijälä", "Aikio Ab", "Oy Øresund Äijälä Ab", "Nokia Oyj"} {
			storetest.Account(t, db, &crm.Account{Name: name})
		}
		storetest.Account(t, db, &crm.Account{Name: "Virta Energia Oy", BusinessID: "0112038-9", Emails: []string{"myynti@virta.fi"}})
		aijala := &crm.Contact{FirstName: "Matti", LastName: "Äijälä", Emails: []string{"matti.aijala@example.fi"},
			Phones: []string{"040 123 4567"}}
		storetest.Contact(t, db, aijala)
		storetest.Contact(t, db, &crm.Contact{FirstName: "Päivi", LastName: "Virtanen", Phones: []string{"+358 9 7654 321"}})
		storetest.Contact(t, db, &crm.Contact{FirstName: "Virve", LastName: "Mäki"})
		// found by the start of the address, not by the company domain everyone at Virta shares
		storetest.Contact(t, db, &crm.Contact{FirstName: "Kalle", LastName: "Kivi", Emails: []string{"kalle.kivi@virta.fi"}})
		for _, tc := range []struct {
			term string
			want []string
		}{
			// exact, then prefix, then word matches; a person's name read last-first counts as a prefix
			{"aijala", []string{"Äijälä", "Matti Äijälä", "Äijälä Oy", "Oy Øresund Äijälä Ab"}}, // "aijala matti" < "aijala oy"
			{"AIJALA oy", []string{"Äijälä Oy", "Oy Øresund Äijälä Ab"}},
			{"oresund", []string{"Oy Øresund Äijälä Ab"}},
			{"virt", []string{"Virta Energia Oy", "Päivi Virtanen"}},
			{"vir", []string{"Virta Energia Oy", "Päivi Virtanen", "Virve Mäki"}},
			{"mat aij", []string{"Matti Äijälä"}},
			{"matti.aijala@exa", []string{"Matti Äijälä"}},
			{"myynti@virta", []string{"Virta Energia Oy"}},
			{"kalle.kivi@VIRTA.fi", []string{"Kalle Kivi"}},
			{"@virta.fi", nil},
			{"0401234567", []string{"Matti Äijälä"}},
			{"+358 40 123", []string{"Matti Äijälä"}},
			{"040-123 45", []string{"Matti Äijälä"}},
			{"09 7654", []string{"Päivi Virtanen"}},
			{"0112038-9", []string{"Virta Energia Oy"}},
			{"0112038", []string{"Virta Energia Oy"}},
			{`"); drop table accounts; --`, nil},
			{`a* OR b NEAR(c) :* & | !`, nil},
			{"   ", nil},
		} {
			got, err := searchstore.Find(ctx, db.Reader, store.ScopeAll, tc.term, 10, "")
			if err != nil {
				t.Fatalf("search %q: %v", tc.term, err)
			}
			var names []string
			for _, h := range got.Items {
				names = append(names, h.Name)
			}
			if strings.Join(names, "|") != strings.Join(tc.want, "|") {
				t.Errorf("search %q: got %q, want %q", tc.term, names, tc.want)
			}
		}
		// pages: one hit at a time gives the same sequence
		var paged []string
		after := ""
		for i := 0; i < 10; i++ {
			got, err := searchstore.Find(ctx, db.Reader, store.ScopeAll, "aijala", 1, after)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range got.Items {
				paged = append(paged, h.Name)
			}
			if got.Next == "" {
				break
			}
			after = got.Next
		}
		if want := "Äijälä|Matti Äijälä|Äijälä Oy|Oy Øresund Äijälä Ab"; strings.Join(paged, "|") != want {
			t.Errorf("paged search: %q, want %q", paged, want)
		}
		// binned records are not found
		if _, err := storetest.Writes(db).DeleteContact(ctx, storetest.CLI, aijala.ID, 0); err != nil {
			t.Fatal(err)
		}
		got, _ := searchstore.Find(ctx, db.Reader, store.ScopeAll, "0401234567", 10, "")
		if len(got.Items) != 0 {
			t.Errorf("a binned person is still found: %+v", got.Items)
		}
	})
}

// TestSearchManyWordMatches pages through a word search that matches more people than the store's
// probe counts, and one that matches a few, and checks both come whole, once each, in name order.
func TestSearchManyWordMatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		firsts := []string{"Kaarina", "Kalle", "Kari", "Katja", "Kauko"}
		var people []*crm.Contact
		for i := range 1500 {
			c := &crm.Contact{FirstName: firsts[i%len(firsts)], LastName: fmt.Sprintf("Tervo%04d", (i*7919)%1500)}
			if i%300 == 0 {
				c.LastName = fmt.Sprintf("Teräs%04d", i)
			}
			if err := c.Validate("FI"); err != nil {
				t.Fatal(err)
			}
			people = append(people, c)
		}
		if _, err := storetest.Writes(db).CreateContacts(ctx, storetest.CLI, people); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			text string
			want int
		}{{"ka te", 1500}, {"ka ter", 1500}, {"ka terä", 5}, {"kal tervo", 300}} {
			var names []string
			seen := map[int64]bool{}
			after := ""
			for {
				page, err := searchstore.Find(ctx, db.Reader, store.ScopeAll, tc.text, 100, after)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range page.Items {
					if seen[h.ID] {
						t.Fatalf("%q: %s found twice", tc.text, h.Name)
					}
					seen[h.ID] = true
					names = append(names, crm.Fold(h.Name))
				}
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if len(names) != tc.want {
				t.Errorf("%q: found %d people, want %d", tc.text, len(names), tc.want)
			}
			if !slices.IsSorted(names) {
				t.Errorf("%q: not in name order", tc.text)
			}
		}
	})
}
