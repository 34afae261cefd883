package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tili/internal/crm"
)

const contactColumns = `c.id, c.first_name, c.last_name, COALESCE(c.title, ''), COALESCE(c.department, ''),
	COALESCE(c.account_id, 0), COALESCE(c.role, ''), COALESCE(c.influence, ''), COALESCE(c.attitude, ''),
	COALESCE(c.language, ''), COALESCE(c.channel, ''), c.kind, c.consent_email, c.consent_phone, c.consent_post,
	c.consent_sms, COALESCE(c.owner_id, 0), COALESCE(c.team_id, 0), COALESCE(c.description, ''), c.deleted_at,
	COALESCE(c.merged_into, 0), c.version, c.created_at, c.updated_at, COALESCE(c.created_by, 0), COALESCE(c.updated_by, 0)`

func scanContact(s scanner, extra ...any) (*crm.Contact, error) {
	var c crm.Contact
	var deleted sql.NullTime
	dest := []any{&c.ID, &c.FirstName, &c.LastName, &c.Title, &c.Department, &c.AccountID, &c.Role, &c.Influence,
		&c.Attitude, &c.Language, &c.Channel, &c.Kind, &c.Consent.Email, &c.Consent.Phone, &c.Consent.Post,
		&c.Consent.SMS, &c.OwnerID, &c.TeamID, &c.Description, &deleted, &c.MergedInto, &c.Version,
		&c.CreatedAt, &c.UpdatedAt, &c.CreatedBy, &c.UpdatedBy}
	err := s.Scan(append(dest, extra...)...)
	if err != nil {
		return nil, err
	}
	c.DeletedAt = timePtr(deleted)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// contactRow is the editable columns of c and their values, in one order for INSERT and UPDATE.
func contactRow(c *crm.Contact) ([]string, []any) {
	cols := []string{"first_name", "last_name", "name_norm", "sort_norm", "title", "department", "account_id", "role",
		"influence", "attitude", "language", "channel", "kind", "consent_email", "consent_phone", "consent_post",
		"consent_sms", "owner_id", "team_id", "description", "search_text"}
	vals := []any{c.FirstName, c.LastName, c.NameNorm(), c.SortNorm(), nullString(c.Title), nullString(c.Department),
		nullInt(c.AccountID), nullString(string(c.Role)), nullString(string(c.Influence)), nullString(string(c.Attitude)),
		nullString(c.Language), nullString(string(c.Channel)), string(c.Kind), string(c.Consent.Email),
		string(c.Consent.Phone), string(c.Consent.Post), string(c.Consent.SMS), nullInt(c.OwnerID), nullInt(c.TeamID),
		nullString(c.Description), c.SearchText()}
	return cols, vals
}

// contactFields lists what field history compares, in a fixed order.
func contactFields(c *crm.Contact) []fieldValue {
	id := func(i int64) string {
		if i == 0 {
			return ""
		}
		return strconv.FormatInt(i, 10)
	}
	return []fieldValue{
		{"first_name", c.FirstName}, {"last_name", c.LastName}, {"title", c.Title}, {"department", c.Department},
		{"emails", joinList(c.Emails)}, {"phones", joinList(c.Phones)}, {"account_id", id(c.AccountID)},
		{"role", string(c.Role)}, {"influence", string(c.Influence)}, {"attitude", string(c.Attitude)},
		{"language", c.Language}, {"channel", string(c.Channel)}, {"kind", string(c.Kind)},
		{"consent.email", string(c.Consent.Email)}, {"consent.phone", string(c.Consent.Phone)},
		{"consent.post", string(c.Consent.Post)}, {"consent.sms", string(c.Consent.SMS)},
		{"owner_id", id(c.OwnerID)}, {"team_id", id(c.TeamID)}, {"description", c.Description},
	}
}

// CreateContact inserts c (already validated) with its e-mails, phones and a history line in one
// transaction, and fills in ID, Version and the times.
func (db *DB) CreateContact(ctx context.Context, by Actor, c *crm.Contact) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createContact(ctx, tx, by, c, db.now().UTC()) })
}

func (db *DB) createContact(ctx context.Context, tx *sql.Tx, by Actor, c *crm.Contact, now time.Time) error {
	if err := db.checkContactLinks(ctx, tx, c); err != nil {
		return err
	}
	cols, vals := contactRow(c)
	cols = append(cols, "created_at", "updated_at", "created_by", "updated_by")
	vals = append(vals, now, now, nullInt(by.UserID), nullInt(by.UserID))
	var b sqlBuf
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = b.arg(v)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO contacts (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)
		RETURNING id, version`, b.args...).Scan(&c.ID, &c.Version)
	if err != nil {
		return fmt.Errorf("store: create contact %q: %w", c.Name(), err)
	}
	c.CreatedAt, c.UpdatedAt, c.CreatedBy, c.UpdatedBy = now, now, by.UserID, by.UserID
	if err := writeEmails(ctx, tx, "contact", c.ID, c.Emails, true); err != nil {
		return err
	}
	if err := writePhones(ctx, tx, "contact", c.ID, c.Phones); err != nil {
		return err
	}
	return writeHistory(ctx, tx, by, "contact", c.ID, now, []change{{"created", "", c.Name()}})
}

// checkContactLinks refuses an e-mail address another live person holds and a company that does not
// exist or is in the bin.
func (db *DB) checkContactLinks(ctx context.Context, q queryer, c *crm.Contact) error {
	holder, email, err := emailHolder(ctx, q, "contact", c.ID, c.Emails)
	if err != nil {
		return err
	}
	if holder != 0 {
		var first, last string
		if err := q.QueryRowContext(ctx, `SELECT first_name, last_name FROM contacts WHERE id = $1`, holder).Scan(&first, &last); err != nil {
			return fmt.Errorf("store: contact %d: %w", holder, err)
		}
		return crm.FieldErrorf(crm.Duplicate, "emails", "the e-mail address %s already belongs to %s (#%d)", email, strings.TrimSpace(first+" "+last), holder)
	}
	if c.AccountID != 0 {
		var deleted sql.NullTime
		err := q.QueryRowContext(ctx, `SELECT deleted_at FROM accounts WHERE id = $1`, c.AccountID).Scan(&deleted)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.FieldError("account_id", "there is no company #%d", c.AccountID)
		}
		if err != nil {
			return fmt.Errorf("store: account %d: %w", c.AccountID, err)
		}
		if deleted.Valid {
			return crm.FieldError("account_id", "company #%d is in the bin; restore it first or choose another company", c.AccountID)
		}
	}
	return nil
}

// Contact returns the person with id, in the bin or not, or a crm.NotFound error.
func (db *DB) Contact(ctx context.Context, id int64) (*crm.Contact, error) {
	return db.contact(ctx, db.read, id, "")
}

func (db *DB) contact(ctx context.Context, q queryer, id int64, lock string) (*crm.Contact, error) {
	list, err := db.queryContacts(ctx, q, `SELECT `+contactColumns+` FROM contacts c WHERE c.id = $1`+lock, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no person #%d", id)
	}
	return list[0], nil
}

// queryContacts runs a query selecting contactColumns and loads the e-mails, phones and past companies
// of the rows.
func (db *DB) queryContacts(ctx context.Context, q queryer, query string, args ...any) ([]*crm.Contact, error) {
	return db.queryContactsFrom(ctx, q, query, nil, args...)
}

// queryContactsFrom is queryContacts; with keys, the query selects one more column, each row's sort key,
// which it collects there.
func (db *DB) queryContactsFrom(ctx context.Context, q queryer, query string, keys *[]any, args ...any) ([]*crm.Contact, error) {
	rows, err := db.query(ctx, q, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	var list []*crm.Contact
	var ids []int64
	byID := map[int64]*crm.Contact{}
	for rows.Next() {
		var extra []any
		var key any
		if keys != nil {
			extra = []any{&key}
		}
		c, err := scanContact(rows, extra...)
		if keys != nil {
			*keys = append(*keys, key)
		}
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: contacts: %w", err)
		}
		list = append(list, c)
		ids = append(ids, c.ID)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	mv, err := db.loadMultiValues(ctx, q, "contact", ids)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		c.Emails, c.Phones = mv.emails[c.ID], mv.phones[c.ID]
	}
	var b sqlBuf
	pastRows, err := db.query(ctx, q, `SELECT contact_id, account_id, COALESCE(title, ''), until FROM contact_past_accounts
		WHERE contact_id IN `+in(&b, ids)+` ORDER BY contact_id, until DESC, account_id`, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: past companies: %w", err)
	}
	defer pastRows.Close()
	for pastRows.Next() {
		var cid int64
		var p crm.PastAccount
		if err := pastRows.Scan(&cid, &p.AccountID, &p.Title, &p.Until); err != nil {
			return nil, err
		}
		p.Until = p.Until.UTC()
		byID[cid].PastAccounts = append(byID[cid].PastAccounts, p)
	}
	return list, pastRows.Err()
}

// ContactsByID returns the people with the given ids that exist, by id.
func (db *DB) ContactsByID(ctx context.Context, ids []int64) (map[int64]*crm.Contact, error) {
	out := make(map[int64]*crm.Contact, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var b sqlBuf
	list, err := db.queryContacts(ctx, db.read, `SELECT `+contactColumns+` FROM contacts c WHERE c.id IN `+in(&b, ids), b.args...)
	for _, c := range list {
		out[c.ID] = c
	}
	return out, err
}

// UpdateContact saves c (already validated) if c.Version is still current, records what changed, and
// bumps c.Version. When the person's company changes, the one they leave joins their past companies.
func (db *DB) UpdateContact(ctx context.Context, by Actor, c *crm.Contact) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.contact(ctx, tx, c.ID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		return db.updateContact(ctx, tx, by, old, c, nil)
	})
}

func (db *DB) updateContact(ctx context.Context, tx *sql.Tx, by Actor, old, c *crm.Contact, extra []change) error {
	if old.Version != c.Version {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you edited version %d, it is now at version %d); reload and make your change again", old.Name(), c.Version, old.Version)
	}
	if old.DeletedAt != nil {
		return crm.Errorf(crm.Conflict, "%s is in the bin; restore them before changing", old.Name())
	}
	if old.AccountID != c.AccountID || joinList(old.Emails) != joinList(c.Emails) {
		if err := db.checkContactLinks(ctx, tx, c); err != nil {
			return err
		}
	}
	changes := append(extra, diff(contactFields(old), contactFields(c))...)
	c.PastAccounts = old.PastAccounts
	if len(changes) == 0 {
		c.Version, c.UpdatedAt, c.UpdatedBy, c.CreatedAt, c.CreatedBy = old.Version, old.UpdatedAt, old.UpdatedBy, old.CreatedAt, old.CreatedBy
		return nil
	}
	now := db.now().UTC()
	cols, vals := contactRow(c)
	var b sqlBuf
	sets := make([]string, len(cols))
	for i, col := range cols {
		sets[i] = col + " = " + b.arg(vals[i])
	}
	query := `UPDATE contacts SET ` + strings.Join(sets, ", ") + `, version = version + 1, updated_at = ` + b.arg(now) +
		`, updated_by = ` + b.arg(nullInt(by.UserID)) + ` WHERE id = ` + b.arg(c.ID) + ` AND version = ` + b.arg(old.Version)
	res, err := tx.ExecContext(ctx, query, b.args...)
	if err != nil {
		return fmt.Errorf("store: update contact %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile; reload and make your change again", old.Name())
	}
	if joinList(old.Emails) != joinList(c.Emails) {
		if err := writeEmails(ctx, tx, "contact", c.ID, c.Emails, true); err != nil {
			return err
		}
	}
	if joinList(old.Phones) != joinList(c.Phones) {
		if err := writePhones(ctx, tx, "contact", c.ID, c.Phones); err != nil {
			return err
		}
	}
	if old.AccountID != c.AccountID {
		if err := db.moveEmployment(ctx, tx, c, old.AccountID, old.Title, now); err != nil {
			return err
		}
	}
	c.Version, c.UpdatedAt, c.UpdatedBy, c.CreatedAt, c.CreatedBy = old.Version+1, now, by.UserID, old.CreatedAt, old.CreatedBy
	return writeHistory(ctx, tx, by, "contact", c.ID, now, changes)
}

// moveEmployment records that c left company from (with the title they had there) and, if c returns to
// a company they worked at before, takes that one off their past companies.
func (db *DB) moveEmployment(ctx context.Context, tx *sql.Tx, c *crm.Contact, from int64, title string, now time.Time) error {
	if from != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_past_accounts (contact_id, account_id, title, until)
			VALUES ($1, $2, $3, $4) ON CONFLICT (contact_id, account_id) DO UPDATE SET title = excluded.title, until = excluded.until`,
			c.ID, from, nullString(title), now); err != nil {
			return fmt.Errorf("store: past companies of contact %d: %w", c.ID, err)
		}
	}
	if c.AccountID != 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_past_accounts WHERE contact_id = $1 AND account_id = $2`, c.ID, c.AccountID); err != nil {
			return fmt.Errorf("store: past companies of contact %d: %w", c.ID, err)
		}
	}
	past, err := db.queryPast(ctx, tx, c.ID)
	c.PastAccounts = past
	return err
}

func (db *DB) queryPast(ctx context.Context, q queryer, id int64) ([]crm.PastAccount, error) {
	rows, err := q.QueryContext(ctx, `SELECT account_id, COALESCE(title, ''), until FROM contact_past_accounts
		WHERE contact_id = $1 ORDER BY until DESC, account_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: past companies of contact %d: %w", id, err)
	}
	defer rows.Close()
	var out []crm.PastAccount
	for rows.Next() {
		var p crm.PastAccount
		if err := rows.Scan(&p.AccountID, &p.Title, &p.Until); err != nil {
			return nil, err
		}
		p.Until = p.Until.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeleteContact moves the person to the bin. With version > 0 it must still be current.
func (db *DB) DeleteContact(ctx context.Context, by Actor, id, version int64) (*crm.Contact, error) {
	var c *crm.Contact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = db.contact(ctx, tx, id, db.dialect.forUpdate()); err != nil {
			return err
		}
		if c.DeletedAt != nil {
			return crm.Errorf(crm.Conflict, "%s is already in the bin", c.Name())
		}
		if version > 0 && version != c.Version {
			return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you saw version %d, it is now at version %d); look again before deleting", c.Name(), version, c.Version)
		}
		return db.binContact(ctx, tx, by, c, 0)
	})
	return c, err
}

func (db *DB) binContact(ctx context.Context, tx *sql.Tx, by Actor, c *crm.Contact, mergedInto int64) error {
	now := db.now().UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE contacts SET deleted_at = $1, deleted_by = $2, merged_into = $3,
		version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4`,
		now, nullInt(by.UserID), nullInt(mergedInto), c.ID); err != nil {
		return fmt.Errorf("store: delete contact %d: %w", c.ID, err)
	}
	if err := setEmailsLive(ctx, tx, "contact", c.ID, false); err != nil {
		return err
	}
	c.DeletedAt, c.MergedInto, c.Version, c.UpdatedAt, c.UpdatedBy = &now, mergedInto, c.Version+1, now, by.UserID
	ch := change{"deleted", "", c.Name()}
	if mergedInto != 0 {
		ch = change{"merged_into", "", strconv.FormatInt(mergedInto, 10)}
	}
	return writeHistory(ctx, tx, by, "contact", c.ID, now, []change{ch})
}

// RestoreContact brings a person back from the bin; refused when one of their e-mail addresses has been
// given to another person meanwhile, or when they were merged into another.
func (db *DB) RestoreContact(ctx context.Context, by Actor, id int64) (*crm.Contact, error) {
	var c *crm.Contact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = db.contact(ctx, tx, id, db.dialect.forUpdate()); err != nil {
			return err
		}
		if c.DeletedAt == nil {
			return crm.Errorf(crm.Conflict, "%s is not in the bin", c.Name())
		}
		if c.MergedInto != 0 {
			return crm.Errorf(crm.Conflict, "%s was merged into person #%d and cannot be restored", c.Name(), c.MergedInto)
		}
		holder, email, err := emailHolder(ctx, tx, "contact", c.ID, c.Emails)
		if err != nil {
			return err
		}
		if holder != 0 {
			return &crm.Error{Code: crm.Duplicate, Field: "emails", Message: fmt.Sprintf(
				"the e-mail address %s belongs to person #%d now; merge the two instead of restoring #%d", email, holder, c.ID)}
		}
		now := db.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET deleted_at = NULL, deleted_by = NULL, version = version + 1,
			updated_at = $1, updated_by = $2 WHERE id = $3`, now, nullInt(by.UserID), id); err != nil {
			return fmt.Errorf("store: restore contact %d: %w", id, err)
		}
		if err := setEmailsLive(ctx, tx, "contact", id, true); err != nil {
			return err
		}
		c.DeletedAt, c.Version, c.UpdatedAt, c.UpdatedBy = nil, c.Version+1, now, by.UserID
		return writeHistory(ctx, tx, by, "contact", id, now, []change{{"restored", "", c.Name()}})
	})
	return c, err
}

// MergeContacts merges person dup into keep in one transaction: keep takes what it lacks from dup
// (crm.MergeContacts), and dup goes to the bin marked as merged into keep; both histories show it.
// fromDup names fields whose value a person picked from the duplicate (crm.TakeContactFromDuplicate).
func (db *DB) MergeContacts(ctx context.Context, by Actor, keepID, dupID int64, fromDup ...string) (*crm.Contact, error) {
	if keepID == dupID {
		return nil, crm.Errorf(crm.Invalid, "a person cannot be merged into themselves; give two different people")
	}
	var merged *crm.Contact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		keep, err := db.contact(ctx, tx, keepID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		dup, err := db.contact(ctx, tx, dupID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		for _, c := range []*crm.Contact{keep, dup} {
			if c.DeletedAt != nil {
				return crm.Errorf(crm.Conflict, "%s (#%d) is in the bin; restore them first or merge another person", c.Name(), c.ID)
			}
		}
		if err := db.binContact(ctx, tx, by, dup, keepID); err != nil {
			return err
		}
		// dup's past companies become keep's, except the one keep works at now or already lists
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_past_accounts (contact_id, account_id, title, until)
			SELECT $1, account_id, title, until FROM contact_past_accounts WHERE contact_id = $2
			AND account_id <> $3 ON CONFLICT (contact_id, account_id) DO NOTHING`, keepID, dupID, keep.AccountID); err != nil {
			return fmt.Errorf("store: merge contact %d: %w", dupID, err)
		}
		merged = crm.MergeContacts(keep, dup)
		if err := crm.TakeContactFromDuplicate(merged, dup, fromDup); err != nil {
			return err
		}
		if err := merged.Validate(""); err != nil {
			return err
		}
		if err := db.updateContact(ctx, tx, by, keep, merged, []change{{"merged", "", strconv.FormatInt(dupID, 10) + " " + dup.Name()}}); err != nil {
			return err
		}
		merged.PastAccounts, err = db.queryPast(ctx, tx, keepID)
		return err
	})
	return merged, err
}
