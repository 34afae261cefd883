package contacts

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/store"
)

const contactColumns = `c.id, c.first_name, c.last_name, COALESCE(c.title, ''), COALESCE(c.department, ''),
	COALESCE(c.account_id, 0), COALESCE(c.role, ''), COALESCE(c.influence, ''), COALESCE(c.attitude, ''),
	COALESCE(c.language, ''), COALESCE(c.channel, ''), c.kind, c.consent_email, c.consent_phone, c.consent_post,
	c.consent_sms, COALESCE(c.owner_id, 0), COALESCE(c.team_id, 0), COALESCE(c.description, ''), c.deleted_at,
	COALESCE(c.merged_into, 0), c.version, c.created_at, c.updated_at, COALESCE(c.created_by, 0), COALESCE(c.updated_by, 0)`

func scanContact(s store.Scanner, extra ...any) (*crm.Contact, error) {
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
	c.DeletedAt = store.TimePtr(deleted)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// contactRow is the editable columns of c and their values, in one order for INSERT and UPDATE.
func contactRow(c *crm.Contact) ([]string, []any) {
	cols := []string{"first_name", "last_name", "name_norm", "sort_norm", "title", "department", "account_id", "role",
		"influence", "attitude", "language", "channel", "kind", "consent_email", "consent_phone", "consent_post",
		"consent_sms", "owner_id", "team_id", "description", "search_text"}
	vals := []any{c.FirstName, c.LastName, c.NameNorm(), c.SortNorm(), store.NullString(c.Title), store.NullString(c.Department),
		store.NullInt(c.AccountID), store.NullString(string(c.Role)), store.NullString(string(c.Influence)), store.NullString(string(c.Attitude)),
		store.NullString(c.Language), store.NullString(string(c.Channel)), string(c.Kind), string(c.Consent.Email),
		string(c.Consent.Phone), string(c.Consent.Post), string(c.Consent.SMS), store.NullInt(c.OwnerID), store.NullInt(c.TeamID),
		store.NullString(c.Description), c.SearchText()}
	return cols, vals
}

// contactFields lists what field history compares, in a fixed order.
func contactFields(c *crm.Contact) []store.FieldValue {
	id := func(i int64) string {
		if i == 0 {
			return ""
		}
		return strconv.FormatInt(i, 10)
	}
	return store.Fields(
		"first_name", c.FirstName, "last_name", c.LastName, "title", c.Title, "department", c.Department,
		"emails", store.JoinList(c.Emails), "phones", store.JoinList(c.Phones), "account_id", id(c.AccountID),
		"role", string(c.Role), "influence", string(c.Influence), "attitude", string(c.Attitude),
		"language", c.Language, "channel", string(c.Channel), "kind", string(c.Kind),
		"consent.email", string(c.Consent.Email), "consent.phone", string(c.Consent.Phone),
		"consent.post", string(c.Consent.Post), "consent.sms", string(c.Consent.SMS),
		"owner_id", id(c.OwnerID), "team_id", id(c.TeamID), "description", c.Description,
	)
}

// Create inserts c (already validated; its company checked by the caller) with its e-mails,
// phones and a history line, and fills in ID, Version and the times.
func Create(ctx context.Context, tx *store.Tx, by store.Actor, c *crm.Contact) error {
	if err := checkContactEmails(ctx, tx.Reader, c); err != nil {
		return err
	}
	cols, vals := contactRow(c)
	var err error
	if c.ID, c.Version, err = tx.InsertRecord(ctx, crm.KindContact.Table, by, cols, vals); err != nil {
		return fmt.Errorf("store: create contact %q: %w", c.Name(), err)
	}
	c.CreatedAt, c.UpdatedAt, c.CreatedBy, c.UpdatedBy = tx.Now(), tx.Now(), by.UserID, by.UserID
	if err := tx.SaveLists(ctx, crm.KindContact.Name, c.ID, nil, lists(c)); err != nil {
		return err
	}
	return tx.WriteHistory(ctx, by, crm.KindContact.Name, c.ID, []store.Change{{Field: "created", New: c.Name()}})
}

// checkContactEmails refuses an e-mail address another live person holds.
func checkContactEmails(ctx context.Context, r store.Reader, c *crm.Contact) error {
	holder, email, err := r.EmailHolder(ctx, crm.KindContact.Name, c.ID, c.Emails)
	if err != nil || holder == 0 {
		return err
	}
	var first, last string
	if err := r.QueryRow(ctx, `SELECT first_name, last_name FROM contacts WHERE id = $1`, holder).Scan(&first, &last); err != nil {
		return fmt.Errorf("store: contact %d: %w", holder, err)
	}
	return crm.FieldErrorf(crm.Duplicate, "emails", "the e-mail address %s already belongs to %s (#%d)", email, strings.TrimSpace(first+" "+last), holder)
}

// Get returns the person with id, in the bin or not, or a crm.NotFound error.
func Get(ctx context.Context, r store.Reader, id int64) (*crm.Contact, error) {
	return contact(ctx, r, id, "")
}

// contactForUpdate is Get with the row locked until the transaction ends.
func contactForUpdate(ctx context.Context, tx *store.Tx, id int64) (*crm.Contact, error) {
	return contact(ctx, tx.Reader, id, tx.ForUpdate())
}

func contact(ctx context.Context, r store.Reader, id int64, lock string) (*crm.Contact, error) {
	list, err := queryContacts(ctx, r, `SELECT `+contactColumns+` FROM contacts c WHERE c.id = $1`+lock, id)
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
func queryContacts(ctx context.Context, r store.Reader, query string, args ...any) ([]*crm.Contact, error) {
	return queryContactsFrom(ctx, r, query, nil, args...)
}

// queryContactsFrom is queryContacts; with keys, the query selects one more column, each row's sort key,
// which it collects there.
func queryContactsFrom(ctx context.Context, r store.Reader, query string, keys *[]any, args ...any) ([]*crm.Contact, error) {
	rows, err := r.Cached(ctx, query, args...)
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
	if err := loadDetails(ctx, r, ids, byID); err != nil {
		return nil, err
	}
	return list, nil
}

// loadDetails reads the e-mail addresses, phone numbers and past companies of the people byID (whose ids
// are ids) in one query.
func loadDetails(ctx context.Context, r store.Reader, ids []int64, byID map[int64]*crm.Contact) error {
	var b store.Buf
	// the past companies come first: SQLite types a compound query's columns by its first SELECT, and
	// until must read as a time
	in := store.In(&b, ids)
	rows, err := r.Cached(ctx, `SELECT 0, contact_id, account_id, COALESCE(title, ''), until FROM contact_past_accounts WHERE contact_id IN `+in+`
		UNION ALL SELECT 1, entity_id, position, email, NULL FROM emails WHERE entity = 'contact' AND entity_id IN `+store.In(&b, ids)+`
		UNION ALL SELECT 2, entity_id, position, phone, NULL FROM phones WHERE entity = 'contact' AND entity_id IN `+store.In(&b, ids)+`
		ORDER BY 1, 2, 3`, b.Args...)
	if err != nil {
		return fmt.Errorf("store: details of people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var id, n int64
		var v string
		var until sql.NullTime
		if err := rows.Scan(&kind, &id, &n, &v, &until); err != nil {
			return fmt.Errorf("store: details of people: %w", err)
		}
		c := byID[id]
		switch kind {
		case 0:
			c.PastAccounts = append(c.PastAccounts, crm.PastAccount{AccountID: n, Title: v, Until: until.Time.UTC()})
		case 1:
			c.Emails = append(c.Emails, v)
		default:
			c.Phones = append(c.Phones, v)
		}
	}
	for _, c := range byID { // the latest first
		slices.SortStableFunc(c.PastAccounts, func(a, b crm.PastAccount) int {
			if d := b.Until.Compare(a.Until); d != 0 {
				return d
			}
			return cmp.Compare(a.AccountID, b.AccountID)
		})
	}
	return rows.Err()
}

// lists are a person's e-mail addresses and phone numbers.
func lists(c *crm.Contact) store.Lists { return store.Lists{Emails: c.Emails, Phones: c.Phones} }

// Update saves c (already validated; a new company checked by the caller) if c.Version is still
// current, records what changed, and bumps c.Version. When the person's company changes, the one they
// leave joins their past companies.
func Update(ctx context.Context, tx *store.Tx, by store.Actor, c *crm.Contact) error {
	return updateContact(ctx, tx, by, nil, c, nil)
}

// UpdateFrom is Update over old, the person as the caller has just read them in tx, who is not read
// again. A change another transaction made meanwhile still fails as stale, on the version.
func UpdateFrom(ctx context.Context, tx *store.Tx, by store.Actor, old, c *crm.Contact) error {
	return updateContact(ctx, tx, by, old, c, nil)
}

// updateContact writes c over old (read in tx, with its row locked; nil to read it here) with history;
// extra changes are recorded with it.
func updateContact(ctx context.Context, tx *store.Tx, by store.Actor, old, c *crm.Contact, extra []store.Change) error {
	if old == nil {
		var err error
		if old, err = contactForUpdate(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	if old.Version != c.Version {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you edited version %d, it is now at version %d); reload and make your change again", old.Name(), c.Version, old.Version)
	}
	if old.DeletedAt != nil {
		return crm.Errorf(crm.Conflict, "%s is in the bin; restore them before changing", old.Name())
	}
	if store.JoinList(old.Emails) != store.JoinList(c.Emails) {
		if err := checkContactEmails(ctx, tx.Reader, c); err != nil {
			return err
		}
	}
	changes := append(extra, store.Diff(contactFields(old), contactFields(c))...)
	c.PastAccounts = old.PastAccounts
	if len(changes) == 0 {
		c.Version, c.UpdatedAt, c.UpdatedBy, c.CreatedAt, c.CreatedBy = old.Version, old.UpdatedAt, old.UpdatedBy, old.CreatedAt, old.CreatedBy
		return nil
	}
	cols, vals := contactRow(c)
	_, oldVals := contactRow(old)
	ok, err := tx.UpdateRecord(ctx, crm.KindContact.Table, by, c.ID, old.Version, cols, oldVals, vals)
	if err != nil {
		return fmt.Errorf("store: update contact %d: %w", c.ID, err)
	}
	if !ok {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile; reload and make your change again", old.Name())
	}
	was := lists(old)
	if err := tx.SaveLists(ctx, crm.KindContact.Name, c.ID, &was, lists(c)); err != nil {
		return err
	}
	if old.AccountID != c.AccountID {
		if err := moveEmployment(ctx, tx, c, old.AccountID, old.Title); err != nil {
			return err
		}
	}
	c.Version, c.UpdatedAt, c.UpdatedBy, c.CreatedAt, c.CreatedBy = old.Version+1, tx.Now(), by.UserID, old.CreatedAt, old.CreatedBy
	return tx.WriteHistory(ctx, by, crm.KindContact.Name, c.ID, changes)
}

// moveEmployment records that c left company from (with the title they had there) and, if c returns to
// a company they worked at before, takes that one off their past companies.
func moveEmployment(ctx context.Context, tx *store.Tx, c *crm.Contact, from int64, title string) error {
	if from != 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO contact_past_accounts (contact_id, account_id, title, until)
			VALUES ($1, $2, $3, $4) ON CONFLICT (contact_id, account_id) DO UPDATE SET title = excluded.title, until = excluded.until`,
			c.ID, from, store.NullString(title), tx.Now()); err != nil {
			return fmt.Errorf("store: past companies of contact %d: %w", c.ID, err)
		}
	}
	if c.AccountID != 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM contact_past_accounts WHERE contact_id = $1 AND account_id = $2`, c.ID, c.AccountID); err != nil {
			return fmt.Errorf("store: past companies of contact %d: %w", c.ID, err)
		}
	}
	past, err := queryPast(ctx, tx.Reader, c.ID)
	c.PastAccounts = past
	return err
}

func queryPast(ctx context.Context, r store.Reader, id int64) ([]crm.PastAccount, error) {
	rows, err := r.Query(ctx, `SELECT account_id, COALESCE(title, ''), until FROM contact_past_accounts
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

// Delete moves the person to the bin. With version > 0 it must still be current.
func Delete(ctx context.Context, tx *store.Tx, by store.Actor, id, version int64) (*crm.Contact, error) {
	c, err := contactForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c.DeletedAt != nil {
		return nil, crm.Errorf(crm.Conflict, "%s is already in the bin", c.Name())
	}
	if version > 0 && version != c.Version {
		return nil, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you saw version %d, it is now at version %d); look again before deleting", c.Name(), version, c.Version)
	}
	return c, binContact(ctx, tx, by, c, 0)
}

func binContact(ctx context.Context, tx *store.Tx, by store.Actor, c *crm.Contact, mergedInto int64) error {
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE contacts SET deleted_at = $1, deleted_by = $2, merged_into = $3,
		version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4`,
		now, store.NullInt(by.UserID), store.NullInt(mergedInto), c.ID); err != nil {
		return fmt.Errorf("store: delete contact %d: %w", c.ID, err)
	}
	if err := tx.SetEmailsLive(ctx, crm.KindContact.Name, c.ID, false); err != nil {
		return err
	}
	c.DeletedAt, c.MergedInto, c.Version, c.UpdatedAt, c.UpdatedBy = &now, mergedInto, c.Version+1, now, by.UserID
	ch := store.Change{Field: "deleted", New: c.Name()}
	if mergedInto != 0 {
		ch = store.Change{Field: "merged_into", New: strconv.FormatInt(mergedInto, 10)}
	}
	return tx.WriteHistory(ctx, by, crm.KindContact.Name, c.ID, []store.Change{ch})
}

// Restore brings a person back from the bin; refused when one of their e-mail addresses has been
// given to another person meanwhile, or when they were merged into another.
func Restore(ctx context.Context, tx *store.Tx, by store.Actor, id int64) (*crm.Contact, error) {
	c, err := contactForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c.DeletedAt == nil {
		return nil, crm.Errorf(crm.Conflict, "%s is not in the bin", c.Name())
	}
	if c.MergedInto != 0 {
		return nil, crm.Errorf(crm.Conflict, "%s was merged into person #%d and cannot be restored", c.Name(), c.MergedInto)
	}
	holder, email, err := tx.EmailHolder(ctx, crm.KindContact.Name, c.ID, c.Emails)
	if err != nil {
		return nil, err
	}
	if holder != 0 {
		return nil, &crm.Error{Code: crm.Duplicate, Field: "emails", Message: fmt.Sprintf(
			"the e-mail address %s belongs to person #%d now; merge the two instead of restoring #%d", email, holder, c.ID)}
	}
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE contacts SET deleted_at = NULL, deleted_by = NULL, version = version + 1,
		updated_at = $1, updated_by = $2 WHERE id = $3`, now, store.NullInt(by.UserID), id); err != nil {
		return nil, fmt.Errorf("store: restore contact %d: %w", id, err)
	}
	if err := tx.SetEmailsLive(ctx, crm.KindContact.Name, id, true); err != nil {
		return nil, err
	}
	c.DeletedAt, c.Version, c.UpdatedAt, c.UpdatedBy = nil, c.Version+1, now, by.UserID
	return c, tx.WriteHistory(ctx, by, crm.KindContact.Name, id, []store.Change{{Field: "restored", New: c.Name()}})
}

// Merge merges person dup into keep: keep takes what it lacks from dup (crm.MergeContacts), and
// dup goes to the bin marked as merged into keep; both histories show it. fromDup names fields whose
// value a person picked from the duplicate (crm.TakeContactFromDuplicate). The company the merged
// person works at is the caller's to check.
func Merge(ctx context.Context, tx *store.Tx, by store.Actor, keepID, dupID int64, fromDup ...string) (*crm.Contact, error) {
	if keepID == dupID {
		return nil, crm.Errorf(crm.Invalid, "a person cannot be merged into themselves; give two different people")
	}
	keep, err := contactForUpdate(ctx, tx, keepID)
	if err != nil {
		return nil, err
	}
	dup, err := contactForUpdate(ctx, tx, dupID)
	if err != nil {
		return nil, err
	}
	for _, c := range []*crm.Contact{keep, dup} {
		if c.DeletedAt != nil {
			return nil, crm.Errorf(crm.Conflict, "%s (#%d) is in the bin; restore them first or merge another person", c.Name(), c.ID)
		}
	}
	if err := binContact(ctx, tx, by, dup, keepID); err != nil {
		return nil, err
	}
	// dup's past companies become keep's, except the one keep works at now or already lists
	if _, err := tx.Exec(ctx, `INSERT INTO contact_past_accounts (contact_id, account_id, title, until)
		SELECT $1, account_id, title, until FROM contact_past_accounts WHERE contact_id = $2
		AND account_id <> $3 ON CONFLICT (contact_id, account_id) DO NOTHING`, keepID, dupID, keep.AccountID); err != nil {
		return nil, fmt.Errorf("store: merge contact %d: %w", dupID, err)
	}
	merged := crm.MergeContacts(keep, dup)
	if err := crm.TakeContactFromDuplicate(merged, dup, fromDup); err != nil {
		return nil, err
	}
	if err := merged.Validate(""); err != nil {
		return nil, err
	}
	if err := updateContact(ctx, tx, by, keep, merged, []store.Change{{Field: "merged", New: strconv.FormatInt(dupID, 10) + " " + dup.Name()}}); err != nil {
		return nil, err
	}
	merged.PastAccounts, err = queryPast(ctx, tx.Reader, keepID)
	return merged, err
}

// MoveFromAccount moves the people of company from to company to, each with a line in their
// history, and points the past-employment lines at from to to (a person who worked at both keeps one
// line, the one about to): what merging two companies does to their people.
func MoveFromAccount(ctx context.Context, tx *store.Tx, by store.Actor, from, to int64) error {
	ids, err := tx.IDs(ctx, `SELECT id FROM contacts WHERE account_id = $1`, from)
	if err != nil {
		return fmt.Errorf("store: people of account %d: %w", from, err)
	}
	if err := tx.MoveLinks(ctx, by, crm.KindContact, "account_id", ids, from, to); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM contact_past_accounts WHERE account_id = $1
		AND contact_id IN (SELECT contact_id FROM contact_past_accounts WHERE account_id = $2)`, from, to); err != nil {
		return fmt.Errorf("store: past companies at account %d: %w", from, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE contact_past_accounts SET account_id = $1 WHERE account_id = $2`, to, from); err != nil {
		return fmt.Errorf("store: past companies at account %d: %w", from, err)
	}
	return nil
}
