package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"tili/internal/crm"
	"tili/internal/store"
)

const accountColumns = `a.id, a.name, COALESCE(a.business_id, ''), COALESCE(a.vat_id, ''), a.stage, COALESCE(a.tier, ''),
	COALESCE(a.segment, ''), COALESCE(a.industry_code, ''), COALESCE(a.industry, ''), a.employees,
	COALESCE(a.revenue_band, ''), COALESCE(a.website, ''),
	COALESCE(a.visit_street, ''), COALESCE(a.visit_postal_code, ''), COALESCE(a.visit_city, ''), COALESCE(a.visit_country, ''),
	COALESCE(a.post_street, ''), COALESCE(a.post_postal_code, ''), COALESCE(a.post_city, ''), COALESCE(a.post_country, ''),
	COALESCE(a.bill_street, ''), COALESCE(a.bill_postal_code, ''), COALESCE(a.bill_city, ''), COALESCE(a.bill_country, ''),
	COALESCE(a.einvoice_address, ''), COALESCE(a.einvoice_operator, ''), COALESCE(a.parent_id, 0), COALESCE(a.owner_id, 0),
	COALESCE(a.team_id, 0), COALESCE(a.description, ''), COALESCE(a.internal_notes, ''), a.deleted_at, COALESCE(a.merged_into, 0), a.version,
	a.created_at, a.updated_at, COALESCE(a.created_by, 0), COALESCE(a.updated_by, 0)`

func scanAccount(s store.Scanner, extra ...any) (*crm.Account, error) {
	var a crm.Account
	var employees sql.NullInt64
	var deleted sql.NullTime
	v, p, b := &a.VisitingAddress, &a.PostalAddress, &a.BillingAddress
	dest := []any{&a.ID, &a.Name, &a.BusinessID, &a.VATID, &a.Stage, &a.Tier, &a.Segment, &a.IndustryCode, &a.Industry,
		&employees, &a.RevenueBand, &a.Website,
		&v.Street, &v.PostalCode, &v.City, &v.Country, &p.Street, &p.PostalCode, &p.City, &p.Country,
		&b.Street, &b.PostalCode, &b.City, &b.Country,
		&a.EInvoiceAddress, &a.EInvoiceOperator, &a.ParentID, &a.OwnerID, &a.TeamID, &a.Description, &a.InternalNotes, &deleted,
		&a.MergedInto, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.CreatedBy, &a.UpdatedBy}
	err := s.Scan(append(dest, extra...)...)
	if err != nil {
		return nil, err
	}
	if employees.Valid {
		a.Employees = &employees.Int64
	}
	a.DeletedAt = store.TimePtr(deleted)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// accountRow is the editable columns of a and their values, in one order for INSERT and UPDATE.
func accountRow(a *crm.Account) ([]string, []any) {
	v, p, b := a.VisitingAddress, a.PostalAddress, a.BillingAddress
	cols := []string{"name", "name_norm", "name_key", "business_id", "vat_id", "stage", "tier", "segment",
		"industry_code", "industry", "employees", "revenue_band", "website", "web_domain",
		"visit_street", "visit_postal_code", "visit_city", "visit_country",
		"post_street", "post_postal_code", "post_city", "post_country",
		"bill_street", "bill_postal_code", "bill_city", "bill_country",
		"einvoice_address", "einvoice_operator", "parent_id", "owner_id", "team_id", "description", "internal_notes",
		"search_text", "city_norm"}
	vals := []any{a.Name, crm.Fold(a.Name), crm.NameKey(a.Name), store.NullString(a.BusinessID), store.NullString(a.VATID),
		string(a.Stage), store.NullString(string(a.Tier)), store.NullString(a.Segment), store.NullString(a.IndustryCode),
		store.NullString(a.Industry), store.NullIntPtr(a.Employees), store.NullString(string(a.RevenueBand)), store.NullString(a.Website),
		store.NullString(crm.WebsiteDomain(a.Website)),
		store.NullString(v.Street), store.NullString(v.PostalCode), store.NullString(v.City), store.NullString(v.Country),
		store.NullString(p.Street), store.NullString(p.PostalCode), store.NullString(p.City), store.NullString(p.Country),
		store.NullString(b.Street), store.NullString(b.PostalCode), store.NullString(b.City), store.NullString(b.Country),
		store.NullString(a.EInvoiceAddress), store.NullString(a.EInvoiceOperator), store.NullInt(a.ParentID), store.NullInt(a.OwnerID),
		store.NullInt(a.TeamID), store.NullString(a.Description), store.NullString(a.InternalNotes), a.SearchText(), store.NullString(crm.Fold(a.VisitingAddress.City))}
	return cols, vals
}

// accountFields lists what field history compares, in a fixed order.
func accountFields(a *crm.Account) []store.FieldValue {
	emp := ""
	if a.Employees != nil {
		emp = strconv.FormatInt(*a.Employees, 10)
	}
	id := func(i int64) string {
		if i == 0 {
			return ""
		}
		return strconv.FormatInt(i, 10)
	}
	return store.Fields(
		"name", a.Name, "business_id", a.BusinessID, "vat_id", a.VATID, "stage", string(a.Stage),
		"tier", string(a.Tier), "segment", a.Segment, "industry_code", a.IndustryCode, "industry", a.Industry,
		"employees", emp, "revenue_band", string(a.RevenueBand), "website", a.Website,
		"phones", store.JoinList(a.Phones), "emails", store.JoinList(a.Emails),
		"visiting_address", a.VisitingAddress.Line(), "postal_address", a.PostalAddress.Line(),
		"billing_address", a.BillingAddress.Line(),
		"einvoice_address", a.EInvoiceAddress, "einvoice_operator", a.EInvoiceOperator,
		"parent_id", id(a.ParentID), "owner_id", id(a.OwnerID), "team_id", id(a.TeamID),
		"tags", store.JoinList(a.Tags), "description", a.Description, "internal_notes", a.InternalNotes,
	)
}

// Create inserts a (already validated) with its e-mails, phones, tags and a history line, and fills
// in ID, Version and the times.
func Create(ctx context.Context, tx *store.Tx, by store.Actor, a *crm.Account) error {
	if err := checkAccountUnique(ctx, tx.Reader, a); err != nil {
		return err
	}
	if err := checkParent(ctx, tx.Reader, a); err != nil {
		return err
	}
	cols, vals := accountRow(a)
	var err error
	if a.ID, a.Version, err = tx.InsertRecord(ctx, crm.KindAccount.Table, by, cols, vals); err != nil {
		if store.IsUniqueViolation(err) {
			return crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company", a.BusinessID)
		}
		return fmt.Errorf("store: create account %q: %w", a.Name, err)
	}
	a.CreatedAt, a.UpdatedAt, a.CreatedBy, a.UpdatedBy = tx.Now(), tx.Now(), by.UserID, by.UserID
	if err := tx.SaveLists(ctx, crm.KindAccount.Name, a.ID, nil, lists(a)); err != nil {
		return err
	}
	return tx.WriteHistory(ctx, by, crm.KindAccount.Name, a.ID, []store.Change{{Field: "created", New: a.Name}})
}

// checkAccountUnique refuses a business ID or an e-mail address another live company holds.
func checkAccountUnique(ctx context.Context, r store.Reader, a *crm.Account) error {
	if a.BusinessID != "" {
		var id int64
		var name string
		err := r.QueryRow(ctx, `SELECT id, name FROM accounts WHERE business_id = $1 AND deleted_at IS NULL AND id <> $2`,
			a.BusinessID, a.ID).Scan(&id, &name)
		if err == nil {
			return crm.FieldErrorf(crm.Duplicate, "business_id", "the business ID %s already belongs to %s (#%d)", a.BusinessID, name, id)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: business ID %s: %w", a.BusinessID, err)
		}
	}
	holder, email, err := r.EmailHolder(ctx, crm.KindAccount.Name, a.ID, a.Emails)
	if err != nil || holder == 0 {
		return err
	}
	var name string
	if err := r.QueryRow(ctx, `SELECT name FROM accounts WHERE id = $1`, holder).Scan(&name); err != nil {
		return fmt.Errorf("store: account %d: %w", holder, err)
	}
	return crm.FieldErrorf(crm.Duplicate, "emails", "the e-mail address %s already belongs to %s (#%d)", email, name, holder)
}

// checkParent refuses a parent company that does not exist, is in the bin, or is a's own subsidiary at
// any depth (which would make a cycle).
func checkParent(ctx context.Context, r store.Reader, a *crm.Account) error {
	if a.ParentID == 0 {
		return nil
	}
	id := a.ParentID
	for depth := 0; id != 0; depth++ {
		if a.ID != 0 && id == a.ID {
			return crm.FieldError("parent_id", "company #%d is a subsidiary of %s; a company cannot be its own parent", a.ParentID, a.Name)
		}
		if depth > 1000 {
			return crm.FieldError("parent_id", "the chain of parent companies above #%d is too deep", a.ParentID)
		}
		var next int64
		var deleted sql.NullTime
		err := r.QueryRow(ctx, `SELECT COALESCE(parent_id, 0), deleted_at FROM accounts WHERE id = $1`, id).Scan(&next, &deleted)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.FieldError("parent_id", "there is no company #%d to be the parent company", id)
		}
		if err != nil {
			return fmt.Errorf("store: parent of account %d: %w", id, err)
		}
		if depth == 0 && deleted.Valid {
			return crm.FieldError("parent_id", "company #%d is in the bin; restore it first or choose another parent company", id)
		}
		id = next
	}
	return nil
}

// Get returns the company with id, in the bin or not, or a crm.NotFound error.
func Get(ctx context.Context, r store.Reader, id int64) (*crm.Account, error) {
	return account(ctx, r, id, "")
}

// Ref is what decides who sees a company, and whether it is in the bin: what a check of a link to it
// needs, without the rest of the company.
type Ref struct {
	Access crm.Access
	Binned bool
}

// GetRef returns the access and bin state of company id, or a crm.NotFound error.
func GetRef(ctx context.Context, r store.Reader, id int64) (Ref, error) {
	ref := Ref{Access: crm.Access{Entity: crm.KindAccount.Name, ID: id}}
	var owner, team sql.NullInt64
	err := r.CachedRow(ctx, `SELECT owner_id, team_id, deleted_at IS NOT NULL FROM accounts WHERE id = $1`, id).Scan(&owner, &team, &ref.Binned)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	if err != nil {
		return ref, fmt.Errorf("store: account %d: %w", id, err)
	}
	ref.Access.OwnerID, ref.Access.TeamID = owner.Int64, team.Int64
	return ref, nil
}

// accountForUpdate is Get with the row locked until the transaction ends.
func accountForUpdate(ctx context.Context, tx *store.Tx, id int64) (*crm.Account, error) {
	return account(ctx, tx.Reader, id, tx.ForUpdate())
}

func account(ctx context.Context, r store.Reader, id int64, lock string) (*crm.Account, error) {
	a, err := scanAccount(r.CachedRow(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: account %d: %w", id, err)
	}
	mv, err := r.LoadMultiValues(ctx, crm.KindAccount.Name, []int64{id})
	if err != nil {
		return nil, err
	}
	a.Emails, a.Phones, a.Tags = mv.Emails[id], mv.Phones[id], mv.Tags[id]
	return a, nil
}

// ByID returns the companies with the given ids that exist, by id.
func ByID(ctx context.Context, r store.Reader, ids []int64) (map[int64]*crm.Account, error) {
	return store.LoadByID(ids, (*crm.Account).Key, func(in string, args []any) ([]*crm.Account, error) {
		return queryAccounts(ctx, r, `SELECT `+accountColumns+` FROM accounts a WHERE a.id IN `+in, args...)
	})
}

// lists are a company's e-mail addresses, phone numbers and tags.
func lists(a *crm.Account) store.Lists {
	return store.Lists{Emails: a.Emails, Phones: a.Phones, Tags: a.Tags, HasTags: true}
}

// Live returns which of the companies ids exist and are not in the bin.
func Live(ctx context.Context, r store.Reader, ids []int64) (map[int64]bool, error) {
	live := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return live, nil
	}
	var b store.Buf
	found, err := r.IDs(ctx, `SELECT id FROM accounts WHERE deleted_at IS NULL AND id IN `+store.In(&b, ids), b.Args...)
	for _, id := range found {
		live[id] = true
	}
	if err != nil {
		return nil, fmt.Errorf("store: live companies: %w", err)
	}
	return live, nil
}

// queryAccounts runs a query selecting accountColumns and loads the e-mails, phones and tags of the rows.
func queryAccounts(ctx context.Context, r store.Reader, query string, args ...any) ([]*crm.Account, error) {
	return queryAccountsFrom(ctx, r, query, nil, args...)
}

// queryAccountsKeyed is queryAccounts for a list whose query selects one more column, the sort key of
// each row, which it collects into keys.
func queryAccountsKeyed(ctx context.Context, r store.Reader, query string, keys *[]any, args ...any) ([]*crm.Account, error) {
	return queryAccountsFrom(ctx, r, query, keys, args...)
}

func queryAccountsFrom(ctx context.Context, r store.Reader, query string, keys *[]any, args ...any) ([]*crm.Account, error) {
	rows, err := r.Cached(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	var list []*crm.Account
	var ids []int64
	for rows.Next() {
		var extra []any
		var key any
		if keys != nil {
			extra = []any{&key}
		}
		a, err := scanAccount(rows, extra...)
		if keys != nil {
			*keys = append(*keys, key)
		}
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: accounts: %w", err)
		}
		list = append(list, a)
		ids = append(ids, a.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	mv, err := r.LoadMultiValues(ctx, crm.KindAccount.Name, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		a.Emails, a.Phones, a.Tags = mv.Emails[a.ID], mv.Phones[a.ID], mv.Tags[a.ID]
	}
	return list, nil
}

// Update saves a (already validated) if a.Version is still current, records what changed, and
// bumps a.Version. A stale version changes nothing and returns a crm.Stale error.
func Update(ctx context.Context, tx *store.Tx, by store.Actor, a *crm.Account) error {
	return updateAccount(ctx, tx, by, nil, a, nil)
}

// UpdateFrom is Update over old, the company as the caller has just read it in tx, which is not read
// again. A change another transaction made meanwhile still fails as stale, on the version.
func UpdateFrom(ctx context.Context, tx *store.Tx, by store.Actor, old, a *crm.Account) error {
	return updateAccount(ctx, tx, by, old, a, nil)
}

// updateAccount writes a over old (read in tx, with its row locked; nil to read it here) with history;
// extra changes are recorded with it.
func updateAccount(ctx context.Context, tx *store.Tx, by store.Actor, old, a *crm.Account, extra []store.Change) error {
	if old == nil {
		var err error
		if old, err = accountForUpdate(ctx, tx, a.ID); err != nil {
			return err
		}
	}
	if old.Version != a.Version {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you edited version %d, it is now at version %d); reload it and make your change again", old.Name, a.Version, old.Version)
	}
	if old.DeletedAt != nil {
		return crm.Errorf(crm.Conflict, "%s is in the bin; restore it before changing it", old.Name)
	}
	if a.BusinessID != old.BusinessID || store.JoinList(a.Emails) != store.JoinList(old.Emails) {
		if err := checkAccountUnique(ctx, tx.Reader, a); err != nil {
			return err
		}
	}
	if err := checkParent(ctx, tx.Reader, a); err != nil {
		return err
	}
	changes := append(extra, store.Diff(accountFields(old), accountFields(a))...)
	if len(changes) == 0 { // nothing to save: the version stays
		a.Version, a.UpdatedAt, a.UpdatedBy, a.CreatedAt, a.CreatedBy = old.Version, old.UpdatedAt, old.UpdatedBy, old.CreatedAt, old.CreatedBy
		return nil
	}
	cols, vals := accountRow(a)
	_, oldVals := accountRow(old)
	ok, err := tx.UpdateRecord(ctx, crm.KindAccount.Table, by, a.ID, old.Version, cols, oldVals, vals)
	if err != nil {
		if store.IsUniqueViolation(err) {
			return crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company", a.BusinessID)
		}
		return fmt.Errorf("store: update account %d: %w", a.ID, err)
	}
	if !ok {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile; reload it and make your change again", old.Name)
	}
	was := lists(old)
	if err := tx.SaveLists(ctx, crm.KindAccount.Name, a.ID, &was, lists(a)); err != nil {
		return err
	}
	a.Version, a.UpdatedAt, a.UpdatedBy, a.CreatedAt, a.CreatedBy = old.Version+1, tx.Now(), by.UserID, old.CreatedAt, old.CreatedBy
	return tx.WriteHistory(ctx, by, crm.KindAccount.Name, a.ID, changes)
}

// Delete moves the company to the bin. With version > 0 it must still be current. Its people
// and subsidiaries keep their link to it, so restoring brings everything back as it was.
func Delete(ctx context.Context, tx *store.Tx, by store.Actor, id, version int64) (*crm.Account, error) {
	a, err := accountForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt != nil {
		return nil, crm.Errorf(crm.Conflict, "%s is already in the bin", a.Name)
	}
	if version > 0 && version != a.Version {
		return nil, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you saw version %d, it is now at version %d); look at it again before deleting", a.Name, version, a.Version)
	}
	return a, binAccount(ctx, tx, by, a, 0)
}

// binAccount moves a to the bin, marked as merged into mergedInto when that is not 0.
func binAccount(ctx context.Context, tx *store.Tx, by store.Actor, a *crm.Account, mergedInto int64) error {
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE accounts SET deleted_at = $1, deleted_by = $2, merged_into = $3,
		version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4`,
		now, store.NullInt(by.UserID), store.NullInt(mergedInto), a.ID); err != nil {
		return fmt.Errorf("store: delete account %d: %w", a.ID, err)
	}
	if err := tx.SetEmailsLive(ctx, crm.KindAccount.Name, a.ID, false); err != nil {
		return err
	}
	a.DeletedAt, a.MergedInto, a.Version, a.UpdatedAt, a.UpdatedBy = &now, mergedInto, a.Version+1, now, by.UserID
	ch := store.Change{Field: "deleted", New: a.Name}
	if mergedInto != 0 {
		ch = store.Change{Field: "merged_into", New: strconv.FormatInt(mergedInto, 10)}
	}
	return tx.WriteHistory(ctx, by, crm.KindAccount.Name, a.ID, []store.Change{ch})
}

// Restore brings a company back from the bin. It is refused when its business ID or an e-mail
// address has been given to another company meanwhile, or when it was merged into another.
func Restore(ctx context.Context, tx *store.Tx, by store.Actor, id int64) (*crm.Account, error) {
	a, err := accountForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt == nil {
		return nil, crm.Errorf(crm.Conflict, "%s is not in the bin", a.Name)
	}
	if a.MergedInto != 0 {
		return nil, crm.Errorf(crm.Conflict, "%s was merged into company #%d; its people and links belong to that company now, so it cannot be restored", a.Name, a.MergedInto)
	}
	if err := checkAccountUnique(ctx, tx.Reader, a); err != nil {
		e, _ := crm.AsError(err)
		if e != nil && e.Code == crm.Duplicate {
			e.Message += fmt.Sprintf("; merge the two instead of restoring #%d", a.ID)
		}
		return nil, err
	}
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE accounts SET deleted_at = NULL, deleted_by = NULL, version = version + 1,
		updated_at = $1, updated_by = $2 WHERE id = $3`, now, store.NullInt(by.UserID), id); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company now; merge the two instead", a.BusinessID)
		}
		return nil, fmt.Errorf("store: restore account %d: %w", id, err)
	}
	if err := tx.SetEmailsLive(ctx, crm.KindAccount.Name, id, true); err != nil {
		return nil, err
	}
	a.DeletedAt, a.Version, a.UpdatedAt, a.UpdatedBy = nil, a.Version+1, now, by.UserID
	return a, tx.WriteHistory(ctx, by, crm.KindAccount.Name, id, []store.Change{{Field: "restored", New: a.Name}})
}
