package contacts

// Helpers of the external tests, kept here because they build on the benchmarks' raw inserts.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
)

// Namesakes returns n people whose first names all start with "Mat", their surnames drawn from a few
// stems, as a big Finnish customer base has them; 150 of them are the same Matti Korhonen.
func Namesakes(n int) []*crm.Contact {
	firsts := []string{"Matti", "Mathias", "Matias", "Matilda", "Matleena", "Mattias"}
	stems := []string{"Mei", "Meri", "Mäki", "Vir", "Kor", "Niemi", "Hei", "Lai"}
	r := rand.New(rand.NewPCG(uint64(n), 7))
	people := make([]*crm.Contact, n)
	for i := range people {
		first := firsts[r.IntN(len(firsts))]
		last := stems[r.IntN(len(stems))] + benchSuffixes[r.IntN(len(benchSuffixes))]
		if i%(n/150) == 0 && i/(n/150) < 150 {
			first, last = "Matti", "Korhonen"
		}
		people[i] = &crm.Contact{FirstName: first, LastName: last, Kind: "b2b",
			Emails: []string{fmt.Sprintf("namesake.%d@example.fi", i)}, Phones: []string{fmt.Sprintf("040 %03d %04d", i/10000, i%10000)}}
	}
	return people
}

// InsertNamesakes writes people with plain INSERTs: the duplicate check reads only the people's rows.
func InsertNamesakes(t *testing.T, db *store.DB, people []*crm.Contact) {
	t.Helper()
	cols, _ := contactRow(&crm.Contact{})
	cols = append(cols, "created_at", "updated_at", "created_by", "updated_by")
	now := time.Now().UTC()
	rows := make([][]any, len(people))
	for i, c := range people {
		if err := c.Validate("FI"); err != nil {
			t.Fatal(err)
		}
		_, vals := contactRow(c)
		rows[i] = append(vals, now, now, nil, nil)
	}
	if err := rawInsert(context.Background(), db, cols, rows, people); err != nil {
		t.Fatal(err)
	}
}
