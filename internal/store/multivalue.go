package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tili/internal/crm"
)

// A record's e-mail addresses, phone numbers and tags live in the tables emails, phones and tags,
// keyed by (entity, entity_id). These functions write and read them for one record or a page of them.

// WriteEmails replaces the e-mail addresses of a record.
func (tx *Tx) WriteEmails(ctx context.Context, entity string, id int64, emails []string, live bool) error {
	return tx.writeEmails(ctx, entity, id, emails, live, true)
}

// writeEmails writes the e-mail addresses of a record, first removing those it had when replace says so
// (a new record has none).
func (tx *Tx) writeEmails(ctx context.Context, entity string, id int64, emails []string, live, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM emails WHERE entity = $1 AND entity_id = $2`, entity, id); err != nil {
			return fmt.Errorf("store: e-mails of %s %d: %w", entity, id, err)
		}
	}
	for i, e := range emails {
		if _, err := tx.Exec(ctx, `INSERT INTO emails (entity, entity_id, position, email, email_norm, domain, live)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, entity, id, i, e, crm.EmailKey(e), crm.EmailDomain(e), live); err != nil {
			if IsUniqueViolation(err) {
				return crm.Errorf(crm.Duplicate, "the e-mail address %s belongs to another record", e)
			}
			return fmt.Errorf("store: e-mails of %s %d: %w", entity, id, err)
		}
	}
	return nil
}

// SetEmailsLive marks a record's addresses as held (live) or released (binned).
func (tx *Tx) SetEmailsLive(ctx context.Context, entity string, id int64, live bool) error {
	if _, err := tx.Exec(ctx, `UPDATE emails SET live = $1 WHERE entity = $2 AND entity_id = $3`, live, entity, id); err != nil {
		if IsUniqueViolation(err) {
			return crm.Errorf(crm.Duplicate, "an e-mail address of %s %d belongs to another record now", entity, id)
		}
		return fmt.Errorf("store: e-mails of %s %d: %w", entity, id, err)
	}
	return nil
}

// WritePhones replaces the phone numbers of a record.
func (tx *Tx) WritePhones(ctx context.Context, entity string, id int64, phones []string) error {
	return tx.writePhones(ctx, entity, id, phones, true)
}

func (tx *Tx) writePhones(ctx context.Context, entity string, id int64, phones []string, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM phones WHERE entity = $1 AND entity_id = $2`, entity, id); err != nil {
			return fmt.Errorf("store: phones of %s %d: %w", entity, id, err)
		}
	}
	for i, p := range phones {
		if _, err := tx.Exec(ctx, `INSERT INTO phones (entity, entity_id, position, phone) VALUES ($1, $2, $3, $4)`,
			entity, id, i, p); err != nil {
			return fmt.Errorf("store: phones of %s %d: %w", entity, id, err)
		}
	}
	return nil
}

// WriteTags replaces the tags of a record.
func (tx *Tx) WriteTags(ctx context.Context, entity string, id int64, tags []string) error {
	return tx.writeTags(ctx, entity, id, tags, true)
}

func (tx *Tx) writeTags(ctx context.Context, entity string, id int64, tags []string, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM tags WHERE entity = $1 AND entity_id = $2`, entity, id); err != nil {
			return fmt.Errorf("store: tags of %s %d: %w", entity, id, err)
		}
	}
	for _, t := range tags {
		if _, err := tx.Exec(ctx, `INSERT INTO tags (entity, entity_id, tag, tag_norm) VALUES ($1, $2, $3, $4)`,
			entity, id, t, crm.Fold(t)); err != nil {
			return fmt.Errorf("store: tags of %s %d: %w", entity, id, err)
		}
	}
	return nil
}

// MultiValues are the e-mails, phones and tags of a set of records, by record id.
type MultiValues struct {
	Emails, Phones, Tags map[int64][]string
}

// queryer is a *sql.DB or *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// LoadMultiValues reads the e-mails, phones and tags of the records ids of entity, in one query for the
// whole page.
func (r Reader) LoadMultiValues(ctx context.Context, entity string, ids []int64) (MultiValues, error) {
	mv := MultiValues{map[int64][]string{}, map[int64][]string{}, map[int64][]string{}}
	if len(ids) == 0 {
		return mv, nil
	}
	var b Buf
	e := b.Arg(entity)
	list := In(&b, ids)
	query := `SELECT 0, entity_id, position, email FROM emails WHERE entity = ` + e + ` AND entity_id IN ` + list + `
		UNION ALL SELECT 1, entity_id, position, phone FROM phones WHERE entity = ` + e + ` AND entity_id IN ` + list + `
		UNION ALL SELECT 2, entity_id, 0, tag FROM tags WHERE entity = ` + e + ` AND entity_id IN ` + list + `
		ORDER BY 1, 2, 3, 4`
	rows, err := r.Cached(ctx, query, b.Args...)
	if err != nil {
		return mv, fmt.Errorf("store: %s details: %w", entity, err)
	}
	defer rows.Close()
	into := [3]map[int64][]string{mv.Emails, mv.Phones, mv.Tags}
	for rows.Next() {
		var kind int
		var id, pos int64
		var v string
		if err := rows.Scan(&kind, &id, &pos, &v); err != nil {
			return mv, err
		}
		into[kind][id] = append(into[kind][id], v)
	}
	return mv, rows.Err()
}

// EmailHolder returns the live record of entity, other than self, holding one of emails: its id and
// the address; id 0 when there is none.
func (r Reader) EmailHolder(ctx context.Context, entity string, self int64, emails []string) (int64, string, error) {
	if len(emails) == 0 {
		return 0, "", nil
	}
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = crm.EmailKey(e)
	}
	var b Buf
	query := `SELECT entity_id, email FROM emails WHERE entity = ` + b.Arg(entity) + ` AND live AND email_norm IN ` +
		In(&b, keys) + ` AND entity_id <> ` + b.Arg(self) + ` ORDER BY entity_id LIMIT 1`
	var id int64
	var email string
	err := r.QueryRow(ctx, query, b.Args...).Scan(&id, &email)
	if err == sql.ErrNoRows {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("store: e-mail owners: %w", err)
	}
	return id, email, nil
}

func JoinList(items []string) string { return strings.Join(items, ", ") }
