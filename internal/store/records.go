package store

import (
	"context"
	"reflect"
	"strings"
)

// The rows of the kinds of record share their bookkeeping: an id, a version bumped by every change, and
// who created and last changed them, when. These write one row of any such table; each kind's room
// says which columns it has.

// InsertRecord inserts a record's row into table with its columns cols and values vals, created and
// last changed by by at the transaction's time, and returns the new row's id and version.
func (tx *Tx) InsertRecord(ctx context.Context, table string, by Actor, cols []string, vals []any) (id, version int64, err error) {
	cols = append(cols[:len(cols):len(cols)], "created_at", "updated_at", "created_by", "updated_by")
	vals = append(vals[:len(vals):len(vals)], tx.at, tx.at, NullInt(by.UserID), NullInt(by.UserID))
	var b Buf
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = b.Arg(v)
	}
	err = tx.QueryRow(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)
		RETURNING id, version`, b.Args...).Scan(&id, &version)
	return id, version, err
}

// UpdateRecord writes the columns cols whose values vals differ from was (the row as it stands) to row id
// of table if the row is still at version, bumping the version and noting by and the transaction's time
// as the last change. It reports false when the row is at another version by now: someone changed it
// meanwhile, and nothing was written.
func (tx *Tx) UpdateRecord(ctx context.Context, table string, by Actor, id, version int64, cols []string, was, vals []any) (bool, error) {
	var b Buf
	var sets []string
	for i, c := range cols {
		// only what changed: an unchanged column left out leaves its indexes and triggers alone
		if !reflect.DeepEqual(was[i], vals[i]) {
			sets = append(sets, c+" = "+b.Arg(vals[i])+", ")
		}
	}
	query := `UPDATE ` + table + ` SET ` + strings.Join(sets, "") + `version = version + 1, updated_at = ` + b.Arg(tx.at) +
		`, updated_by = ` + b.Arg(NullInt(by.UserID)) + ` WHERE id = ` + b.Arg(id) + ` AND version = ` + b.Arg(version)
	res, err := tx.Exec(ctx, query, b.Args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Lists are a record's e-mail addresses, phone numbers and tags (nil Tags for a kind without tags).
type Lists struct {
	Emails, Phones, Tags []string
	HasTags              bool
}

// SaveLists writes the lists of record id of entity: those it has for a new record (old nil), only those
// that differ from old for a changed one. The e-mail addresses are held (live).
func (tx *Tx) SaveLists(ctx context.Context, entity string, id int64, old *Lists, cur Lists) error {
	// a new record (old nil) has no rows to remove, and an empty list nothing to write
	replace := old != nil
	changed := func(a, b []string) bool { return JoinList(a) != JoinList(b) }
	var was Lists
	if old != nil {
		was = *old
	}
	if changed(was.Emails, cur.Emails) {
		if err := tx.writeEmails(ctx, entity, id, cur.Emails, true, replace); err != nil {
			return err
		}
	}
	if changed(was.Phones, cur.Phones) {
		if err := tx.writePhones(ctx, entity, id, cur.Phones, replace); err != nil {
			return err
		}
	}
	if cur.HasTags && changed(was.Tags, cur.Tags) {
		if err := tx.writeTags(ctx, entity, id, cur.Tags, replace); err != nil {
			return err
		}
	}
	return nil
}

// LoadByID returns the records with the given ids that exist, by id: load reads the rows whose id is
// in the list in ("(…)", whose arguments are args), and id tells a record's id.
func LoadByID[T any](ids []int64, id func(T) int64, load func(in string, args []any) ([]T, error)) (map[int64]T, error) {
	out := make(map[int64]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var b Buf
	list, err := load(In(&b, ids), b.Args)
	for _, x := range list {
		out[id(x)] = x
	}
	return out, err
}
