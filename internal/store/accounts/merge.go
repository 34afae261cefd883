package accounts

import (
	"context"
	"fmt"
	"strconv"

	"tili/internal/crm"
	"tili/internal/store"
)

// Merge merges company dup into keep: keep takes the values it lacks from dup
// (crm.MergeAccounts), dup's subsidiaries move to keep, and dup goes to the bin marked as merged into
// keep. Each moved company and both merged ones record it in their history. fromDup names fields whose
// value a person picked from the duplicate (crm.TakeFromDuplicate). With keepConfidential, keep's
// confidential fields stay as they are, however empty: the person merging may not see dup's, which stay
// with dup. The records of other kinds that belong to dup (its people) are moved by their own code in
// the same transaction.
func Merge(ctx context.Context, tx *store.Tx, by store.Actor, keepID, dupID int64, keepConfidential bool, fromDup ...string) (*crm.Account, error) {
	if keepID == dupID {
		return nil, crm.Errorf(crm.Invalid, "a company cannot be merged into itself; give two different companies")
	}
	keep, err := accountForUpdate(ctx, tx, keepID)
	if err != nil {
		return nil, err
	}
	dup, err := accountForUpdate(ctx, tx, dupID)
	if err != nil {
		return nil, err
	}
	for _, a := range []*crm.Account{keep, dup} {
		if a.DeletedAt != nil {
			return nil, crm.Errorf(crm.Conflict, "%s (#%d) is in the bin; restore it first or merge another company", a.Name, a.ID)
		}
	}
	// dup releases its business ID and e-mail addresses before keep takes them
	if err := binAccount(ctx, tx, by, dup, keepID); err != nil {
		return nil, err
	}
	subsidiaries, err := tx.IDs(ctx, `SELECT id FROM accounts WHERE parent_id = $1 AND id <> $2`, dupID, keepID)
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
	return merged, updateAccount(ctx, tx, by, keep, merged, []store.Change{{Field: "merged", New: dupRef + " " + dup.Name}})
}
