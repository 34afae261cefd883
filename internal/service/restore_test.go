package service_test

import (
	"testing"

	"tili/internal/crm"
)

// A record comes back from the bin unless what identifies it — a business ID, an e-mail address — was
// given to another record meanwhile: then restoring is refused as a duplicate, with the advice to merge
// the two, and the record stays in the bin.
func restoreRefusesWhatWasTakenMeanwhile(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.am)
	byID := w.companyWith(t, &crm.Account{Name: "Palautus Tunnus Oy", OwnerID: w.am.ID, BusinessID: "1234560-4"}, "")
	_, err := w.svc.Accounts.Delete(ctx, p, byID.ID, 0)
	mustNot(t, "bin a company", err)
	w.companyWith(t, &crm.Account{Name: "Uusi Tunnus Oy", OwnerID: w.am.ID, BusinessID: "1234560-4"}, "")
	_, err = w.svc.Accounts.Restore(ctx, p, byID.ID)
	wantCode(t, "restore a company whose business ID is taken", err, crm.Duplicate, "")
	if !contains(err, "merge") {
		t.Errorf("the refusal %q does not suggest merging", err)
	}
	if got := w.account(t, byID.ID); got.DeletedAt == nil {
		t.Errorf("the company with a taken business ID is out of the bin after a refused restore")
	}

	byEmail := w.companyWith(t, &crm.Account{Name: "Palautus Posti Oy", OwnerID: w.am.ID, Emails: []string{"myynti@palautus.fi"}}, "")
	_, err = w.svc.Accounts.Delete(ctx, p, byEmail.ID, 0)
	mustNot(t, "bin a company", err)
	w.companyWith(t, &crm.Account{Name: "Uusi Posti Oy", OwnerID: w.am.ID, Emails: []string{"Myynti@Palautus.fi"}}, "")
	_, err = w.svc.Accounts.Restore(ctx, p, byEmail.ID)
	wantCode(t, "restore a company whose e-mail address is taken", err, crm.Duplicate, "")
	if !contains(err, "merge") {
		t.Errorf("the refusal %q does not suggest merging", err)
	}
	if got := w.account(t, byEmail.ID); got.DeletedAt == nil {
		t.Errorf("the company with a taken e-mail address is out of the bin after a refused restore")
	}

	person := w.personWith(t, &crm.Contact{FirstName: "Pekka", LastName: "Palautettava", OwnerID: w.am.ID, Emails: []string{"pekka@palautus.fi"}})
	_, err = w.svc.Contacts.Delete(ctx, p, person.ID, 0)
	mustNot(t, "bin a person", err)
	w.personWith(t, &crm.Contact{FirstName: "Pekka", LastName: "Uusi", OwnerID: w.am.ID, Emails: []string{"pekka@palautus.fi"}})
	_, err = w.svc.Contacts.Restore(ctx, p, person.ID)
	wantCode(t, "restore a person whose e-mail address is taken", err, crm.Duplicate, "emails")
	if !contains(err, "merge") {
		t.Errorf("the refusal %q does not suggest merging", err)
	}
	if got := w.contact(t, person.ID); got.DeletedAt == nil {
		t.Errorf("the person with a taken e-mail address is out of the bin after a refused restore")
	}

	// what nobody took comes back
	free := w.companyWith(t, &crm.Account{Name: "Palautus Vapaa Oy", OwnerID: w.am.ID, BusinessID: "1234561-2", Emails: []string{"info@vapaa.fi"}}, "")
	_, err = w.svc.Accounts.Delete(ctx, p, free.ID, 0)
	mustNot(t, "bin a company", err)
	_, err = w.svc.Accounts.Restore(ctx, p, free.ID)
	wantOK(t, "restore a company nobody took anything of", err)
	if got := w.account(t, free.ID); got.DeletedAt != nil {
		t.Errorf("the restored company is still in the bin")
	}
}

// A merged record went to the bin as part of another; it cannot come back on its own.
func restoreRefusesAMergedRecord(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.am)
	keep := w.company(t, "Sulautus Oy", w.am, "")
	dup := w.company(t, "Sulautus Ab", w.am, "")
	_, err := w.svc.Accounts.Merge(ctx, p, keep.ID, dup.ID)
	mustNot(t, "merge the companies", err)
	_, err = w.svc.Accounts.Restore(ctx, p, dup.ID)
	wantCode(t, "restore a merged company", err, crm.Conflict, "")
	if got := w.account(t, dup.ID); got.DeletedAt == nil {
		t.Errorf("the merged company is out of the bin")
	}

	keepPerson := w.person(t, "Sulo", "Sulautus", w.am, 0)
	dupPerson := w.person(t, "Sulo", "Sulautus", w.am, 0)
	_, err = w.svc.Contacts.Merge(ctx, p, keepPerson.ID, dupPerson.ID)
	mustNot(t, "merge the people", err)
	_, err = w.svc.Contacts.Restore(ctx, p, dupPerson.ID)
	wantCode(t, "restore a merged person", err, crm.Conflict, "")
	if got := w.contact(t, dupPerson.ID); got.DeletedAt == nil {
		t.Errorf("the merged person is out of the bin")
	}
}
