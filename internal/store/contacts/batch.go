package contacts

import (
	"context"
	"fmt"
	"strings"

	"tili/internal/crm"
	"tili/internal/store"
)

// CreateBatch inserts many people (already validated, their companies checked by the caller), each
// with its e-mails, phones, search index entry and one history line: the path imports take, one
// transaction per batch of at most BatchSize. offset is the position of the batch's first person in the
// whole import, so an error names the failing person by position (counting from 1).
func CreateBatch(ctx context.Context, tx *store.Tx, by store.Actor, cs []*crm.Contact, offset int) error {
	rowErr := func(i int, err error) error {
		if e, ok := crm.AsError(err); ok {
			return &crm.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("row %d (%s): %s", offset+i+1, cs[i].Name(), e.Message)}
		}
		return fmt.Errorf("store: row %d (%s): %w", offset+i+1, cs[i].Name(), err)
	}
	// e-mail addresses must be unique within the batch; against the people already saved, the unique
	// index refuses a taken one as it is inserted (a lookup per batch would depend on the query planner
	// knowing the table's size, which it does not while a bulk load grows it)
	owner := map[string]int{}
	for i, c := range cs {
		for _, e := range c.Emails {
			k := crm.EmailKey(e)
			if j, dup := owner[k]; dup {
				return rowErr(i, &crm.Error{Code: crm.Duplicate, Field: "emails", Message: fmt.Sprintf("the e-mail address %s is also given to row %d", e, offset+j+1)})
			}
			owner[k] = i
		}
	}

	cols, _ := contactRow(&crm.Contact{})
	cols = append(cols, "created_at", "updated_at", "created_by", "updated_by")
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	insert, err := tx.Prepare(ctx, `INSERT INTO contacts (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`) RETURNING id`)
	if err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	defer insert.Close()
	insertEmail, err := tx.Prepare(ctx, `INSERT INTO emails (entity, entity_id, position, email, email_norm, domain, live) VALUES ('contact', $1, $2, $3, $4, $5, TRUE)`)
	if err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	defer insertEmail.Close()
	insertPhone, err := tx.Prepare(ctx, `INSERT INTO phones (entity, entity_id, position, phone) VALUES ('contact', $1, $2, $3)`)
	if err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	defer insertPhone.Close()
	insertHistory, err := tx.Prepare(ctx, `INSERT INTO history (entity, entity_id, field, old_value, new_value, actor_id, source, at)
		VALUES ('contact', $1, 'created', NULL, $2, $3, $4, $5)`)
	if err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	defer insertHistory.Close()

	now := tx.Now()
	actorID := store.NullInt(by.UserID)
	for i, c := range cs {
		_, vals := contactRow(c)
		vals = append(vals, now, now, actorID, actorID)
		if err := insert.QueryRowContext(ctx, vals...).Scan(&c.ID); err != nil {
			return rowErr(i, err)
		}
		c.Version, c.CreatedAt, c.UpdatedAt, c.CreatedBy, c.UpdatedBy = 1, now, now, by.UserID, by.UserID
		for pos, e := range c.Emails {
			if _, err := insertEmail.ExecContext(ctx, c.ID, pos, e, crm.EmailKey(e), crm.EmailDomain(e)); err != nil {
				if store.IsUniqueViolation(err) {
					// the transaction is spoilt on PostgreSQL: ask outside it who holds the address
					holder, _, _ := tx.Outside().EmailHolder(ctx, crm.KindContact.Name, 0, []string{e})
					return rowErr(i, &crm.Error{Code: crm.Duplicate, Field: "emails", Message: fmt.Sprintf("the e-mail address %s already belongs to person #%d", e, holder)})
				}
				return rowErr(i, err)
			}
		}
		for pos, p := range c.Phones {
			if _, err := insertPhone.ExecContext(ctx, c.ID, pos, p); err != nil {
				return rowErr(i, err)
			}
		}
		if _, err := insertHistory.ExecContext(ctx, c.ID, c.Name(), actorID, by.Source, now); err != nil {
			return rowErr(i, err)
		}
	}
	return nil
}
