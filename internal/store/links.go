package store

import (
	"context"
	"fmt"
	"strconv"

	"tili/internal/crm"
)

// IDs runs a query selecting one id column and returns the ids.
func (r Reader) IDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := r.Query(ctx, query, args...)
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
	var b Buf
	query := `UPDATE ` + kind.Table + ` SET ` + column + ` = ` + b.Arg(to) + `, version = version + 1, updated_at = ` + b.Arg(tx.Now()) +
		`, updated_by = ` + b.Arg(NullInt(by.UserID)) + ` WHERE ` + column + ` = ` + b.Arg(from) + ` AND id IN ` + In(&b, ids)
	if _, err := tx.Exec(ctx, query, b.Args...); err != nil {
		return fmt.Errorf("store: move %s links: %w", kind.Name, err)
	}
	for _, id := range ids {
		if err := tx.WriteHistory(ctx, by, kind.Name, id, []Change{{column, strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)}}); err != nil {
			return err
		}
	}
	return nil
}
