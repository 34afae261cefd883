package service_test

import (
	"fmt"
	"testing"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/store"
)

// A merge of companies writes many rows before it knows whether the merged company is valid: the
// duplicate to the bin, its subsidiaries moved. When the result is invalid (here a Finnish VAT number of
// the kept company that does not match the business ID taken from the duplicate), none of it stays.
func failedCompanyMergeWritesNothing(t *testing.T, w *world) {
	ctx := t.Context()
	keep := w.companyWith(t, &crm.Account{Name: "Kesken Oy", OwnerID: w.am.ID, VATID: "FI12345639"}, "")
	dup := w.companyWith(t, &crm.Account{Name: "Kesken Ab", OwnerID: w.am.ID, BusinessID: "1234564-7"}, "")
	subsidiary := w.companyWith(t, &crm.Account{Name: "Keskeneräinen Tytär Oy", OwnerID: w.am.ID, ParentID: dup.ID}, "")
	person := w.person(t, "Kaija", "Keskeneräinen", w.am, dup.ID)

	_, err := w.svc.Accounts.Merge(ctx, as(w.am), keep.ID, dup.ID)
	wantCode(t, "merge into a company whose VAT number the merge contradicts", err, crm.Invalid, "vat_id")

	for _, a := range []*crm.Account{keep, dup, subsidiary} {
		got := w.account(t, a.ID)
		if got.Version != a.Version || got.DeletedAt != nil || got.MergedInto != 0 || got.ParentID != a.ParentID {
			t.Errorf("%s after the failed merge: version %d (was %d), binned %v, merged into #%d, parent #%d (was #%d)",
				a.Name, got.Version, a.Version, got.DeletedAt, got.MergedInto, got.ParentID, a.ParentID)
		}
		for _, e := range w.history(t, system, "account", a.ID) {
			if e.Field != "created" {
				t.Errorf("%s after the failed merge has the history line %+v", a.Name, e)
			}
		}
	}
	if got := w.contact(t, person.ID); got.AccountID != dup.ID || got.Version != person.Version {
		t.Errorf("the duplicate's person after the failed merge: at #%d version %d, want #%d version %d", got.AccountID, got.Version, dup.ID, person.Version)
	}
	// the duplicate still holds its business ID: nobody else may take it
	_, err = w.svc.Accounts.Create(ctx, system, &crm.Account{Name: "Kolmas Kesken Oy", BusinessID: "1234564-7"})
	wantCode(t, "another company with the duplicate's business ID", err, crm.Duplicate, "business_id")
}

// A merge of people bins the duplicate before it finds that the kept person would move to a company in
// the bin; the refusal leaves both people as they were.
func failedPersonMergeWritesNothing(t *testing.T, w *world) {
	ctx := t.Context()
	binned := w.company(t, "Roskakori Oy", w.am, "")
	keep := w.personWith(t, &crm.Contact{FirstName: "Rauni", LastName: "Roskakori", OwnerID: w.am.ID, Emails: []string{"rauni@example.com"}})
	dup := w.personWith(t, &crm.Contact{FirstName: "Rauni", LastName: "Roskakori", OwnerID: w.am.ID, AccountID: binned.ID, Emails: []string{"rauni@roskakori.fi"}})
	_, err := w.svc.Accounts.Delete(ctx, as(w.am), binned.ID, 0)
	mustNot(t, "bin the company", err)

	_, err = w.svc.Contacts.Merge(ctx, as(w.am), keep.ID, dup.ID)
	wantCode(t, "merge a person at a company in the bin", err, crm.Invalid, "account_id")
	if got := w.contact(t, keep.ID); got.Version != keep.Version || len(got.Emails) != 1 || got.AccountID != 0 {
		t.Errorf("the kept person after the failed merge: version %d (was %d), %v, at #%d", got.Version, keep.Version, got.Emails, got.AccountID)
	}
	if got := w.contact(t, dup.ID); got.Version != dup.Version || got.DeletedAt != nil || got.MergedInto != 0 {
		t.Errorf("the duplicate after the failed merge: version %d (was %d), binned %v, merged into #%d", got.Version, dup.Version, got.DeletedAt, got.MergedInto)
	}
	if h := w.history(t, system, "contact", dup.ID); changed(h, "merged_into") {
		t.Errorf("the duplicate's history shows a merge that failed: %+v", h)
	}
}

// Bulk adding people writes store.BatchSize to a transaction. Rows that fail only when written (an e-mail
// address someone already has) stop the call: the batches before stay saved, the failing batch is saved
// not at all, and the error names the row. A row that fails validation stops the call before anything is
// saved.
func createManyIsAtomicPerBatch(t *testing.T, w *world) {
	ctx := t.Context()
	taken := w.personWith(t, &crm.Contact{FirstName: "Varattu", LastName: "Osoite", OwnerID: w.am.ID, Emails: []string{"varattu@example.fi"}})
	rows := func(last string, n int) []*crm.Contact {
		cs := make([]*crm.Contact, n)
		for i := range cs {
			cs[i] = &crm.Contact{FirstName: fmt.Sprintf("Rivi%04d", i+1), LastName: last, Emails: []string{fmt.Sprintf("rivi%d@%s.fi", i+1, last)}}
		}
		return cs
	}

	const bad = store.BatchSize + 200 // in the second batch
	cs := rows("eraajo", store.BatchSize+500)
	cs[bad-1].Emails = []string{"Varattu@example.fi"}
	n, err := w.svc.Contacts.CreateMany(ctx, as(w.am), cs)
	wantCode(t, "a taken e-mail address in the second batch", err, crm.Duplicate, "emails")
	if !contains(err, fmt.Sprintf("row %d", bad)) {
		t.Errorf("the error %q does not name row %d", err, bad)
	}
	if n != store.BatchSize {
		t.Errorf("%d people reported saved, want the first batch of %d", n, store.BatchSize)
	}
	got := w.firstNames(t, "eraajo")
	if len(got) != store.BatchSize || !got["Rivi0001"] || !got[fmt.Sprintf("Rivi%04d", store.BatchSize)] {
		t.Errorf("%d people saved, want exactly the first batch of %d", len(got), store.BatchSize)
	}
	if got[fmt.Sprintf("Rivi%04d", store.BatchSize+1)] || got[fmt.Sprintf("Rivi%04d", bad-1)] {
		t.Errorf("rows of the failed batch before the bad row were saved")
	}
	holders, err := w.svc.Contacts.List(ctx, system, services.ContactFilter{Name: "Varattu Osoite"})
	mustNot(t, "who holds the taken address", err)
	if len(holders.Items) != 1 || holders.Items[0].ID != taken.ID {
		t.Errorf("the people called Varattu Osoite are %v, want only #%d", contactIDs(holders.Items), taken.ID)
	}

	cs = rows("validointi", store.BatchSize+500)
	cs[bad-1].Emails = []string{"ei osoite"}
	n, err = w.svc.Contacts.CreateMany(ctx, as(w.am), cs)
	wantCode(t, "an invalid e-mail address in the second batch", err, crm.Invalid, "")
	if !contains(err, fmt.Sprintf("row %d", bad)) {
		t.Errorf("the error %q does not name row %d", err, bad)
	}
	if got := w.firstNames(t, "validointi"); n != 0 || len(got) != 0 {
		t.Errorf("after an invalid row: %d reported and %d saved, want none", n, len(got))
	}
}

// Whatever refuses a row of a bulk add, the error names the row, so the file can be fixed; and a row
// refused before any batch is written leaves nothing saved.
func createManyNamesTheRowOfEveryRefusal(t *testing.T, w *world) {
	ctx := t.Context()
	strangers := w.company(t, "Tuonti Vieras Oy", w.stranger, "")
	binned := w.company(t, "Tuonti Roskakori Oy", w.am, "")
	_, err := w.svc.Accounts.Delete(ctx, system, binned.ID, 0)
	mustNot(t, "bin a company", err)

	const bad = 1500
	for i, tc := range []struct {
		what  string
		by    crm.Principal
		row   func(c *crm.Contact)
		code  crm.Code
		field string
	}{
		{"an owner who is no user", as(w.am), func(c *crm.Contact) { c.OwnerID = 987654 }, crm.Invalid, "owner"},
		{"a company the caller does not see", as(w.am), func(c *crm.Contact) { c.AccountID = strangers.ID }, crm.Invalid, "account_id"},
		{"a company in the bin", as(w.am), func(c *crm.Contact) { c.AccountID = binned.ID }, crm.Invalid, "account_id"},
		{"a company in the bin, added by an administrator", as(w.admin), func(c *crm.Contact) { c.AccountID = binned.ID }, crm.Invalid, "account_id"},
		{"a consumer at a company", as(w.am), func(c *crm.Contact) { c.Kind, c.AccountID = "b2c", binned.ID }, crm.Invalid, "kind"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			last := fmt.Sprintf("Tuontivirhe%d", i)
			cs := make([]*crm.Contact, bad+10)
			for i := range cs {
				cs[i] = &crm.Contact{FirstName: fmt.Sprintf("Rivi%04d", i+1), LastName: last}
			}
			tc.row(cs[bad-1])
			n, err := w.svc.Contacts.CreateMany(ctx, tc.by, cs)
			wantCode(t, "the bulk add", err, tc.code, tc.field)
			if !contains(err, fmt.Sprintf("row %d", bad)) {
				t.Errorf("the error %q does not name row %d", err, bad)
			}
			if got := w.firstNames(t, last); len(got) != n || n%store.BatchSize != 0 {
				t.Errorf("%d people reported saved and %d saved, want the same number of whole batches", n, len(got))
			}
		})
	}
}
