package store

import (
	"context"
	"fmt"

	"tili/internal/crm"
)

// Actor says who makes a change and through which door; it is written into history with the change.
type Actor struct {
	UserID int64  // 0: the system
	Source string // crm.SourceUI, SourceAPI, SourceCLI, SourceImport
}

// Change is one line of field history as a store module writes it: a field, its old and its new value.
type Change struct{ Field, Old, New string }

// FieldValue is a field of a record and its value as the history shows it.
type FieldValue struct{ Field, Value string }

// Diff returns the changes between two lists of field values taken in the same order.
func Diff(old, cur []FieldValue) []Change {
	var cs []Change
	for i := range cur {
		if old[i].Value != cur[i].Value {
			cs = append(cs, Change{cur[i].Field, old[i].Value, cur[i].Value})
		}
	}
	return cs
}

// WriteHistory records the changes cs of record id of entity, made by by at the transaction's time.
func (tx *Tx) WriteHistory(ctx context.Context, by Actor, entity string, id int64, cs []Change) error {
	for _, c := range cs {
		if _, err := tx.Exec(ctx, `
			INSERT INTO history (entity, entity_id, field, old_value, new_value, actor_id, source, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			entity, id, c.Field, NullString(c.Old), NullString(c.New), NullInt(by.UserID), by.Source, tx.at); err != nil {
			return fmt.Errorf("store: history of %s %d: %w", entity, id, err)
		}
	}
	return nil
}

// History returns the changes of a record, newest first, including those of records merged into it.
// after is the cursor of the previous page.
func (r Reader) History(ctx context.Context, entity string, id int64, limit int, after string) (Page[crm.Change], error) {
	limit = ClampLimit(limit, 50, 1000)
	c, err := DecodeCursor(after)
	if err != nil {
		return Page[crm.Change]{}, err
	}
	var b Buf
	if kind, _ := crm.KindNamed("entity", entity); kind != nil && kind.Merges {
		table := kind.Table
		// a record and, recursively, the records merged into it
		b.WriteString(`WITH RECURSIVE merged(id) AS (SELECT CAST(` + b.Arg(id) + ` AS BIGINT)
			UNION SELECT t.id FROM ` + table + ` t JOIN merged m ON t.merged_into = m.id)
			SELECT h.id, h.entity, h.entity_id, h.field, COALESCE(h.old_value, ''), COALESCE(h.new_value, ''),
			       COALESCE(h.actor_id, 0), h.source, h.at
			FROM history h WHERE h.entity = ` + b.Arg(entity) + ` AND h.entity_id IN (SELECT id FROM merged)`)
	} else {
		b.WriteString(`SELECT h.id, h.entity, h.entity_id, h.field, COALESCE(h.old_value, ''), COALESCE(h.new_value, ''),
			       COALESCE(h.actor_id, 0), h.source, h.at
			FROM history h WHERE h.entity = ` + b.Arg(entity) + ` AND h.entity_id = ` + b.Arg(id))
	}
	if c.ID != 0 {
		b.WriteString(" AND h.id < " + b.Arg(c.ID))
	}
	b.WriteString(" ORDER BY h.id DESC LIMIT " + b.Arg(limit+1))
	rows, err := r.Query(ctx, b.String(), b.Args...)
	if err != nil {
		return Page[crm.Change]{}, fmt.Errorf("store: history of %s %d: %w", entity, id, err)
	}
	defer rows.Close()
	var page Page[crm.Change]
	for rows.Next() {
		var ch crm.Change
		if err := rows.Scan(&ch.ID, &ch.Entity, &ch.EntityID, &ch.Field, &ch.Old, &ch.New, &ch.ActorID, &ch.Source, &ch.At); err != nil {
			return page, fmt.Errorf("store: history of %s %d: %w", entity, id, err)
		}
		ch.At = ch.At.UTC()
		page.Items = append(page.Items, ch)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: history of %s %d: %w", entity, id, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = Cursor{ID: page.Items[limit-1].ID}.Encode()
	}
	return page, nil
}

// Fields makes the field values of a record from pairs of field name and value, in the order given.
func Fields(pairs ...string) []FieldValue {
	out := make([]FieldValue, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, FieldValue{Field: pairs[i], Value: pairs[i+1]})
	}
	return out
}
