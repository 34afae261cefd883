package store

import (
	"context"
	"fmt"
	"strconv"

	"tili/internal/crm"
)

// MergeAccounts merges company dup into keep: keep takes the values it lacks from dup
// (crm.MergeAccounts), dup's subsidiaries move to keep, and dup goes to the bin marked as merged into
// keep. Each moved company and both merged ones record it in their history. fromDup names fields whose
// value a person picked from the duplicate (crm.TakeFromDuplicate). With keepConfidential, keep's
// confidential fields stay as they are, however empty: the person merging may not see dup's, which stay
// with dup. The records of other kinds that belong to dup (its people) are moved by their own code in
// the same transaction.
func (tx *Tx) MergeAccounts(ctx context.Context, by Actor, keepID, dupID int64, keepConfidential bool, fromDup ...string) (*crm.Account, error) {
	if keepID == dupID {
		return nil, crm.Errorf(crm.Invalid, "a company cannot be merged into itself; give two different companies")
	}
	keep, err := tx.accountForUpdate(ctx, keepID)
	if err != nil {
		return nil, err
	}
	dup, err := tx.accountForUpdate(ctx, dupID)
	if err != nil {
		return nil, err
	}
	for _, a := range []*crm.Account{keep, dup} {
		if a.DeletedAt != nil {
			return nil, crm.Errorf(crm.Conflict, "%s (#%d) is in the bin; restore it first or merge another company", a.Name, a.ID)
		}
	}
	// dup releases its business ID and e-mail addresses before keep takes them
	if err := tx.binAccount(ctx, by, dup, keepID); err != nil {
		return nil, err
	}
	subsidiaries, err := tx.ids(ctx, `SELECT id FROM accounts WHERE parent_id = $1 AND id <> $2`, dupID, keepID)
	if err != nil {
		return nil, fmt.Errorf("store: subsidiaries of account %d: %w", dupID, err)
	}
	if err := tx.MoveLinks(ctx, by, crm.KindAccount, "parent_id", subsidiaries, dupID, keepID); err != nil {
		return nil, err
	}
	merged := crm.MergeAccounts(keep, dup)
	if err := crm.TakeFromDuplicate(merged, dup, fromDup); err != nil {
		return nil, err
	}
	if keepConfidential {
		merged.InternalNotes = keep.InternalNotes
	}
	if err := merged.Validate(""); err != nil {
		return nil, err
	}
	// the merge line is written before the field lines it brings, so history reads in cause-then-effect order
	dupRef := strconv.FormatInt(dupID, 10)
	return merged, tx.updateAccount(ctx, by, keep, merged, []change{{"merged", "", dupRef + " " + dup.Name}})
}

// ids runs a query selecting one id column and returns the ids.
func (r Reader) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MoveLinks points the records ids of kind, whose link column (a column of the kind's table, named by
// the code, never by input) holds from, at to instead, bumping their versions, with a history line on
// each.
func (tx *Tx) MoveLinks(ctx context.Context, by Actor, kind *crm.Kind, column string, ids []int64, from, to int64) error {
	if len(ids) == 0 {
		return nil
	}
	var b sqlBuf
	query := `UPDATE ` + kind.Table + ` SET ` + column + ` = ` + b.arg(to) + `, version = version + 1, updated_at = ` + b.arg(tx.at) +
		`, updated_by = ` + b.arg(nullInt(by.UserID)) + ` WHERE ` + column + ` = ` + b.arg(from) + ` AND id IN ` + in(&b, ids)
	if _, err := tx.tx.ExecContext(ctx, query, b.args...); err != nil {
		return fmt.Errorf("store: move %s links: %w", kind.Name, err)
	}
	for _, id := range ids {
		if err := tx.writeHistory(ctx, by, kind.Name, id, []change{{column, strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)}}); err != nil {
			return err
		}
	}
	return nil
}
