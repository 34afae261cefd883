package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tili/internal/crm"
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

func scanAccount(s scanner, extra ...any) (*crm.Account, error) {
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
	a.DeletedAt = timePtr(deleted)
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
	vals := []any{a.Name, crm.Fold(a.Name), crm.NameKey(a.Name), nullString(a.BusinessID), nullString(a.VATID),
		string(a.Stage), nullString(string(a.Tier)), nullString(a.Segment), nullString(a.IndustryCode),
		nullString(a.Industry), nullIntPtr(a.Employees), nullString(string(a.RevenueBand)), nullString(a.Website),
		nullString(crm.WebsiteDomain(a.Website)),
		nullString(v.Street), nullString(v.PostalCode), nullString(v.City), nullString(v.Country),
		nullString(p.Street), nullString(p.PostalCode), nullString(p.City), nullString(p.Country),
		nullString(b.Street), nullString(b.PostalCode), nullString(b.City), nullString(b.Country),
		nullString(a.EInvoiceAddress), nullString(a.EInvoiceOperator), nullInt(a.ParentID), nullInt(a.OwnerID),
		nullInt(a.TeamID), nullString(a.Description), nullString(a.InternalNotes), a.SearchText(), nullString(crm.Fold(a.VisitingAddress.City))}
	return cols, vals
}

// accountFields lists what field history compares, in a fixed order.
func accountFields(a *crm.Account) []fieldValue {
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
	return []fieldValue{
		{"name", a.Name}, {"business_id", a.BusinessID}, {"vat_id", a.VATID}, {"stage", string(a.Stage)},
		{"tier", string(a.Tier)}, {"segment", a.Segment}, {"industry_code", a.IndustryCode}, {"industry", a.Industry},
		{"employees", emp}, {"revenue_band", string(a.RevenueBand)}, {"website", a.Website},
		{"phones", joinList(a.Phones)}, {"emails", joinList(a.Emails)},
		{"visiting_address", formatAddress(a.VisitingAddress)}, {"postal_address", formatAddress(a.PostalAddress)},
		{"billing_address", formatAddress(a.BillingAddress)},
		{"einvoice_address", a.EInvoiceAddress}, {"einvoice_operator", a.EInvoiceOperator},
		{"parent_id", id(a.ParentID)}, {"owner_id", id(a.OwnerID)}, {"team_id", id(a.TeamID)},
		{"tags", joinList(a.Tags)}, {"description", a.Description}, {"internal_notes", a.InternalNotes},
	}
}

func formatAddress(ad crm.Address) string {
	var parts []string
	if ad.Street != "" {
		parts = append(parts, ad.Street)
	}
	if pc := strings.TrimSpace(ad.PostalCode + " " + ad.City); pc != "" {
		parts = append(parts, pc)
	}
	if ad.Country != "" && (len(parts) > 0 || ad.Country != "FI") {
		parts = append(parts, ad.Country)
	}
	return strings.Join(parts, ", ")
}

// CreateAccount inserts a (already validated) with its e-mails, phones, tags and a history line, and fills
// in ID, Version and the times.
func (tx *Tx) CreateAccount(ctx context.Context, by Actor, a *crm.Account) error {
	if err := tx.checkAccountUnique(ctx, a); err != nil {
		return err
	}
	if err := tx.checkParent(ctx, a); err != nil {
		return err
	}
	now := tx.at
	cols, vals := accountRow(a)
	cols = append(cols, "created_at", "updated_at", "created_by", "updated_by")
	vals = append(vals, now, now, nullInt(by.UserID), nullInt(by.UserID))
	var b sqlBuf
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = b.arg(v)
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO accounts (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)
		RETURNING id, version`, b.args...).Scan(&a.ID, &a.Version)
	if err != nil {
		if isUniqueViolation(err) {
			return crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company", a.BusinessID)
		}
		return fmt.Errorf("store: create account %q: %w", a.Name, err)
	}
	a.CreatedAt, a.UpdatedAt, a.CreatedBy, a.UpdatedBy = now, now, by.UserID, by.UserID
	if err := tx.writeEmails(ctx, crm.KindAccount.Name, a.ID, a.Emails, true); err != nil {
		return err
	}
	if err := tx.writePhones(ctx, crm.KindAccount.Name, a.ID, a.Phones); err != nil {
		return err
	}
	if err := tx.writeTags(ctx, crm.KindAccount.Name, a.ID, a.Tags); err != nil {
		return err
	}
	return tx.writeHistory(ctx, by, crm.KindAccount.Name, a.ID, []change{{"created", "", a.Name}})
}

// checkAccountUnique refuses a business ID or an e-mail address another live company holds.
func (r Reader) checkAccountUnique(ctx context.Context, a *crm.Account) error {
	if a.BusinessID != "" {
		var id int64
		var name string
		err := r.q.QueryRowContext(ctx, `SELECT id, name FROM accounts WHERE business_id = $1 AND deleted_at IS NULL AND id <> $2`,
			a.BusinessID, a.ID).Scan(&id, &name)
		if err == nil {
			return crm.FieldErrorf(crm.Duplicate, "business_id", "the business ID %s already belongs to %s (#%d)", a.BusinessID, name, id)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: business ID %s: %w", a.BusinessID, err)
		}
	}
	holder, email, err := r.emailHolder(ctx, crm.KindAccount.Name, a.ID, a.Emails)
	if err != nil || holder == 0 {
		return err
	}
	var name string
	if err := r.q.QueryRowContext(ctx, `SELECT name FROM accounts WHERE id = $1`, holder).Scan(&name); err != nil {
		return fmt.Errorf("store: account %d: %w", holder, err)
	}
	return crm.FieldErrorf(crm.Duplicate, "emails", "the e-mail address %s already belongs to %s (#%d)", email, name, holder)
}

// checkParent refuses a parent company that does not exist, is in the bin, or is a's own subsidiary at
// any depth (which would make a cycle).
func (r Reader) checkParent(ctx context.Context, a *crm.Account) error {
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
		err := r.q.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0), deleted_at FROM accounts WHERE id = $1`, id).Scan(&next, &deleted)
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

// Account returns the company with id, in the bin or not, or a crm.NotFound error.
func (r Reader) Account(ctx context.Context, id int64) (*crm.Account, error) {
	return r.account(ctx, id, "")
}

// accountForUpdate is Account with the row locked until the transaction ends.
func (tx *Tx) accountForUpdate(ctx context.Context, id int64) (*crm.Account, error) {
	return tx.account(ctx, id, tx.db.dialect.forUpdate())
}

func (r Reader) account(ctx context.Context, id int64, lock string) (*crm.Account, error) {
	a, err := scanAccount(r.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: account %d: %w", id, err)
	}
	mv, err := r.loadMultiValues(ctx, crm.KindAccount.Name, []int64{id})
	if err != nil {
		return nil, err
	}
	a.Emails, a.Phones, a.Tags = mv.emails[id], mv.phones[id], mv.tags[id]
	return a, nil
}

// AccountsByID returns the companies with the given ids that exist, by id.
func (r Reader) AccountsByID(ctx context.Context, ids []int64) (map[int64]*crm.Account, error) {
	out := make(map[int64]*crm.Account, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var b sqlBuf
	list, err := r.queryAccounts(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id IN `+in(&b, ids), b.args...)
	for _, a := range list {
		out[a.ID] = a
	}
	return out, err
}

// LiveAccounts returns which of the companies ids exist and are not in the bin.
func (r Reader) LiveAccounts(ctx context.Context, ids []int64) (map[int64]bool, error) {
	live := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return live, nil
	}
	var b sqlBuf
	found, err := r.ids(ctx, `SELECT id FROM accounts WHERE deleted_at IS NULL AND id IN `+in(&b, ids), b.args...)
	for _, id := range found {
		live[id] = true
	}
	if err != nil {
		return nil, fmt.Errorf("store: live companies: %w", err)
	}
	return live, nil
}

// queryAccounts runs a query selecting accountColumns and loads the e-mails, phones and tags of the rows.
func (r Reader) queryAccounts(ctx context.Context, query string, args ...any) ([]*crm.Account, error) {
	return r.queryAccountsFrom(ctx, query, nil, args...)
}

// queryAccountsKeyed is queryAccounts for a list whose query selects one more column, the sort key of
// each row, which it collects into keys.
func (r Reader) queryAccountsKeyed(ctx context.Context, query string, keys *[]any, args ...any) ([]*crm.Account, error) {
	return r.queryAccountsFrom(ctx, query, keys, args...)
}

func (r Reader) queryAccountsFrom(ctx context.Context, query string, keys *[]any, args ...any) ([]*crm.Account, error) {
	rows, err := r.query(ctx, query, args...)
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
	mv, err := r.loadMultiValues(ctx, crm.KindAccount.Name, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		a.Emails, a.Phones, a.Tags = mv.emails[a.ID], mv.phones[a.ID], mv.tags[a.ID]
	}
	return list, nil
}

// UpdateAccount saves a (already validated) if a.Version is still current, records what changed, and
// bumps a.Version. A stale version changes nothing and returns a crm.Stale error.
func (tx *Tx) UpdateAccount(ctx context.Context, by Actor, a *crm.Account) error {
	old, err := tx.accountForUpdate(ctx, a.ID)
	if err != nil {
		return err
	}
	return tx.updateAccount(ctx, by, old, a, nil)
}

// updateAccount writes a over old (read in tx) with history; extra changes are recorded with it.
func (tx *Tx) updateAccount(ctx context.Context, by Actor, old, a *crm.Account, extra []change) error {
	if old.Version != a.Version {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you edited version %d, it is now at version %d); reload it and make your change again", old.Name, a.Version, old.Version)
	}
	if old.DeletedAt != nil {
		return crm.Errorf(crm.Conflict, "%s is in the bin; restore it before changing it", old.Name)
	}
	if err := tx.checkAccountUnique(ctx, a); err != nil {
		return err
	}
	if err := tx.checkParent(ctx, a); err != nil {
		return err
	}
	changes := append(extra, diff(accountFields(old), accountFields(a))...)
	if len(changes) == 0 { // nothing to save: the version stays
		a.Version, a.UpdatedAt, a.UpdatedBy, a.CreatedAt, a.CreatedBy = old.Version, old.UpdatedAt, old.UpdatedBy, old.CreatedAt, old.CreatedBy
		return nil
	}
	now := tx.at
	cols, vals := accountRow(a)
	var b sqlBuf
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + b.arg(vals[i])
	}
	query := `UPDATE accounts SET ` + strings.Join(sets, ", ") + `, version = version + 1, updated_at = ` + b.arg(now) +
		`, updated_by = ` + b.arg(nullInt(by.UserID)) + ` WHERE id = ` + b.arg(a.ID) + ` AND version = ` + b.arg(old.Version)
	res, err := tx.tx.ExecContext(ctx, query, b.args...)
	if err != nil {
		if isUniqueViolation(err) {
			return crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company", a.BusinessID)
		}
		return fmt.Errorf("store: update account %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile; reload it and make your change again", old.Name)
	}
	if joinList(old.Emails) != joinList(a.Emails) {
		if err := tx.writeEmails(ctx, crm.KindAccount.Name, a.ID, a.Emails, true); err != nil {
			return err
		}
	}
	if joinList(old.Phones) != joinList(a.Phones) {
		if err := tx.writePhones(ctx, crm.KindAccount.Name, a.ID, a.Phones); err != nil {
			return err
		}
	}
	if joinList(old.Tags) != joinList(a.Tags) {
		if err := tx.writeTags(ctx, crm.KindAccount.Name, a.ID, a.Tags); err != nil {
			return err
		}
	}
	a.Version, a.UpdatedAt, a.UpdatedBy, a.CreatedAt, a.CreatedBy = old.Version+1, now, by.UserID, old.CreatedAt, old.CreatedBy
	return tx.writeHistory(ctx, by, crm.KindAccount.Name, a.ID, changes)
}

// DeleteAccount moves the company to the bin. With version > 0 it must still be current. Its people
// and subsidiaries keep their link to it, so restoring brings everything back as it was.
func (tx *Tx) DeleteAccount(ctx context.Context, by Actor, id, version int64) (*crm.Account, error) {
	a, err := tx.accountForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt != nil {
		return nil, crm.Errorf(crm.Conflict, "%s is already in the bin", a.Name)
	}
	if version > 0 && version != a.Version {
		return nil, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you saw version %d, it is now at version %d); look at it again before deleting", a.Name, version, a.Version)
	}
	return a, tx.binAccount(ctx, by, a, 0)
}

// binAccount moves a to the bin, marked as merged into mergedInto when that is not 0.
func (tx *Tx) binAccount(ctx context.Context, by Actor, a *crm.Account, mergedInto int64) error {
	now := tx.at
	if _, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET deleted_at = $1, deleted_by = $2, merged_into = $3,
		version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4`,
		now, nullInt(by.UserID), nullInt(mergedInto), a.ID); err != nil {
		return fmt.Errorf("store: delete account %d: %w", a.ID, err)
	}
	if err := tx.setEmailsLive(ctx, crm.KindAccount.Name, a.ID, false); err != nil {
		return err
	}
	a.DeletedAt, a.MergedInto, a.Version, a.UpdatedAt, a.UpdatedBy = &now, mergedInto, a.Version+1, now, by.UserID
	ch := change{"deleted", "", a.Name}
	if mergedInto != 0 {
		ch = change{"merged_into", "", strconv.FormatInt(mergedInto, 10)}
	}
	return tx.writeHistory(ctx, by, crm.KindAccount.Name, a.ID, []change{ch})
}

// RestoreAccount brings a company back from the bin. It is refused when its business ID or an e-mail
// address has been given to another company meanwhile, or when it was merged into another.
func (tx *Tx) RestoreAccount(ctx context.Context, by Actor, id int64) (*crm.Account, error) {
	a, err := tx.accountForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt == nil {
		return nil, crm.Errorf(crm.Conflict, "%s is not in the bin", a.Name)
	}
	if a.MergedInto != 0 {
		return nil, crm.Errorf(crm.Conflict, "%s was merged into company #%d; its people and links belong to that company now, so it cannot be restored", a.Name, a.MergedInto)
	}
	if err := tx.checkAccountUnique(ctx, a); err != nil {
		e, _ := crm.AsError(err)
		if e != nil && e.Code == crm.Duplicate {
			e.Message += fmt.Sprintf("; merge the two instead of restoring #%d", a.ID)
		}
		return nil, err
	}
	now := tx.at
	if _, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET deleted_at = NULL, deleted_by = NULL, version = version + 1,
		updated_at = $1, updated_by = $2 WHERE id = $3`, now, nullInt(by.UserID), id); err != nil {
		if isUniqueViolation(err) {
			return nil, crm.Errorf(crm.Duplicate, "the business ID %s belongs to another company now; merge the two instead", a.BusinessID)
		}
		return nil, fmt.Errorf("store: restore account %d: %w", id, err)
	}
	if err := tx.setEmailsLive(ctx, crm.KindAccount.Name, id, true); err != nil {
		return nil, err
	}
	a.DeletedAt, a.Version, a.UpdatedAt, a.UpdatedBy = nil, a.Version+1, now, by.UserID
	return a, tx.writeHistory(ctx, by, crm.KindAccount.Name, id, []change{{"restored", "", a.Name}})
}
