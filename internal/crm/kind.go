package crm

import "strings"

// Kind describes one kind of record for the code that every kind shares: field history, sharing and its
// settings, saved views, visibility in Go and SQL, search results, links between pages. Shared code reads
// these facts instead of switching on names; a new kind of record adds an entry to Kinds.
type Kind struct {
	// Name is how the kind is named in history, shares, sharing settings, the audit log, search hits and
	// the API's entity fields: "account".
	Name string
	// Noun is what people call a record of the kind, in English: "company".
	Noun string
	// Table is the kind's table; its rows have the columns id, owner_id, team_id, version, created_at,
	// updated_at, created_by, updated_by and deleted_at.
	Table string
	// Path is where the kind's pages are: its list, and each record at Path/{id}.
	Path string
	// ListPage names the kind's list page, for the views users save of it: "companies".
	ListPage string
	// Parent is the kind whose records this kind's records belong to, through ParentColumn: a record is
	// seen and changed as its parent record is, or by its own owner, team and shares. nil for none.
	Parent       *Kind
	ParentColumn string
	// Shareable kinds take explicit shares and have a sharing setting.
	Shareable bool
	// Merges tells that two records of the kind can be merged: the kept one's merged_into column points
	// the history of the merged one at it.
	Merges bool
	// MergeFields are the fields whose surviving value a person may pick when merging two records.
	MergeFields []string
	// Confidential names the fields only the owner, their managers and administrators see.
	Confidential []string
}

// The kinds of record.
var (
	KindAccount = &Kind{Name: "account", Noun: "company", Table: "accounts", Path: "/companies", ListPage: "companies",
		Shareable: true, Merges: true, MergeFields: AccountMergeFields, Confidential: []string{"internal_notes"}}
	KindContact = &Kind{Name: "contact", Noun: "person", Table: "contacts", Path: "/people", ListPage: "people",
		Parent: KindAccount, ParentColumn: "account_id", Shareable: true, Merges: true, MergeFields: ContactMergeFields}
)

// Kinds lists every kind of record, each after its parent.
func Kinds() []*Kind { return []*Kind{KindAccount, KindContact} }

// KindNamed returns the kind called name, or an Invalid error naming field and the kinds there are.
func KindNamed(field, name string) (*Kind, error) {
	for _, k := range Kinds() {
		if k.Name == name {
			return k, nil
		}
	}
	return nil, FieldError(field, "%q is not a kind of record; use one of: %s", name, kindNames(nil))
}

// ShareableKindNamed is KindNamed for the kinds that take shares and sharing settings.
func ShareableKindNamed(field, name string) (*Kind, error) {
	k, err := KindNamed(field, name)
	if err == nil && !k.Shareable {
		err = FieldError(field, "%s records cannot be shared; share one of: %s", name, kindNames(func(k *Kind) bool { return k.Shareable }))
	}
	return k, err
}

// ShareableKinds lists the kinds that take shares and sharing settings.
func ShareableKinds() []*Kind {
	var out []*Kind
	for _, k := range Kinds() {
		if k.Shareable {
			out = append(out, k)
		}
	}
	return out
}

// KindOfListPage returns the kind whose list page is called page, or an Invalid error.
func KindOfListPage(page string) (*Kind, error) {
	for _, k := range Kinds() {
		if k.ListPage == page {
			return k, nil
		}
	}
	var pages []string
	for _, k := range Kinds() {
		pages = append(pages, k.ListPage)
	}
	return nil, FieldError("page", "views are saved for these lists: %s; not for %q", strings.Join(pages, ", "), page)
}

// IsConfidential tells whether field is one of the kind's confidential fields.
func (k *Kind) IsConfidential(field string) bool {
	for _, f := range k.Confidential {
		if f == field {
			return true
		}
	}
	return false
}

// kindNames lists the names of the kinds keep keeps (all for nil), separated by commas.
func kindNames(keep func(*Kind) bool) string {
	var names []string
	for _, k := range Kinds() {
		if keep == nil || keep(k) {
			names = append(names, k.Name)
		}
	}
	return strings.Join(names, ", ")
}
