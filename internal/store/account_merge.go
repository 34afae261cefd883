package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"tili/internal/crm"
)

// MergeAccounts merges company dup into keep in one transaction: keep takes the values it lacks from dup
// (crm.MergeAccounts), dup's people, subsidiaries and former-employee links move to keep, and dup goes
// to the bin marked as merged into keep. Each moved record and both companies record it in their history.
// fromDup names fields whose value a person picked from the duplicate (crm.TakeFromDuplicate).
func (db *DB) MergeAccounts(ctx context.Context, by Actor, keepID, dupID int64, fromDup ...string) (*crm.Account, error) {
	if keepID == dupID {
		return nil, crm.Errorf(crm.Invalid, "a company cannot be merged into itself; give two different companies")
	}
	var merged *crm.Account
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		keep, err := db.account(ctx, tx, keepID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		dup, err := db.account(ctx, tx, dupID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		for _, a := range []*crm.Account{keep, dup} {
			if a.DeletedAt != nil {
				return crm.Errorf(crm.Conflict, "%s (#%d) is in the bin; restore it first or merge another company", a.Name, a.ID)
			}
		}
		now := db.now().UTC()
		dupRef := strconv.FormatInt(dupID, 10)
		keepRef := strconv.FormatInt(keepID, 10)
		// dup releases its business ID and e-mail addresses before keep takes them
		if err := db.binAccount(ctx, tx, by, dup, keepID); err != nil {
			return err
		}
		if err := db.moveLinks(ctx, tx, by, now, `SELECT id FROM contacts WHERE account_id = $1`,
			`UPDATE contacts SET account_id = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE account_id = $4`,
			"contact", "account_id", dupID, keepID); err != nil {
			return err
		}
		if err := db.moveLinks(ctx, tx, by, now, `SELECT id FROM accounts WHERE parent_id = $1 AND id <> `+keepRef,
			`UPDATE accounts SET parent_id = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE parent_id = $4 AND id <> `+keepRef,
			"account", "parent_id", dupID, keepID); err != nil {
			return err
		}
		// a person who used to work at both keeps one line, the one about keep
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_past_accounts WHERE account_id = $1
			AND contact_id IN (SELECT contact_id FROM contact_past_accounts WHERE account_id = $2)`, dupID, keepID); err != nil {
			return fmt.Errorf("store: merge account %d: %w", dupID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_past_accounts SET account_id = $1 WHERE account_id = $2`, keepID, dupID); err != nil {
			return fmt.Errorf("store: merge account %d: %w", dupID, err)
		}
		merged = crm.MergeAccounts(keep, dup)
		if err := crm.TakeFromDuplicate(merged, dup, fromDup); err != nil {
			return err
		}
		if err := merged.Validate(""); err != nil {
			return err
		}
		// the merge line is written before the field lines it brings, so history reads in cause-then-effect order
		return db.updateAccount(ctx, tx, by, keep, merged, []change{{"merged", "", dupRef + " " + dup.Name}})
	})
	return merged, err
}

// moveLinks points every record of entity whose column names from at to instead, with a history line
// on each moved record.
func (db *DB) moveLinks(ctx context.Context, tx *sql.Tx, by Actor, now time.Time, selectIDs, update, entity, column string, from, to int64) error {
	rows, err := tx.QueryContext(ctx, selectIDs, from)
	if err != nil {
		return fmt.Errorf("store: move %s links: %w", entity, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, update, to, now, nullInt(by.UserID), from); err != nil {
		return fmt.Errorf("store: move %s links: %w", entity, err)
	}
	for _, id := range ids {
		if err := writeHistory(ctx, tx, by, entity, id, now, []change{{column, strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)}}); err != nil {
			return err
		}
	}
	return nil
}
