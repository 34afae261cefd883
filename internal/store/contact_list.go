package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tili/internal/crm"
)

// ContactFilter narrows a list of people; zero fields do not narrow.
type ContactFilter struct {
	AccountID int64
	OwnerIDs  []int64 // 0 in the list stands for "unassigned"
	TeamIDs   []int64
	Roles     []crm.BuyingRole
	Name      string // names (either order) starting with this, or with a word starting with each of its words
	Binned    bool
	Sort      string // name (default: last name first), updated or created; "-" before it reverses the order
	Limit     int    // default 50, at most 1000
	After     string
}

// ListContacts returns a page of the people scope sees that match f, by last name, then first name.
func (r Reader) ListContacts(ctx context.Context, scope Scope, f ContactFilter) (Page[*crm.Contact], error) {
	var page Page[*crm.Contact]
	limit := clampLimit(f.Limit, 50, 1000)
	c, err := decodeCursor(f.After)
	if err != nil {
		return page, err
	}
	o, err := orderOf(crm.KindContact, f.Sort)
	if err != nil {
		return page, err
	}
	var b sqlBuf
	b.WriteString(`SELECT ` + contactColumns + `, ` + o.column + ` FROM contacts c WHERE `)
	if f.Binned {
		b.WriteString("c.deleted_at IS NOT NULL")
	} else {
		b.WriteString("c.deleted_at IS NULL")
	}
	b.WriteString(" AND " + scope.Visible(&b, crm.KindContact, "c"))
	if f.AccountID != 0 {
		b.WriteString(" AND c.account_id = " + b.arg(f.AccountID))
	}
	if len(f.OwnerIDs) > 0 {
		b.WriteString(" AND COALESCE(c.owner_id, 0) IN " + in(&b, f.OwnerIDs))
	}
	if len(f.TeamIDs) > 0 {
		b.WriteString(" AND c.team_id IN " + in(&b, f.TeamIDs))
	}
	if len(f.Roles) > 0 {
		b.WriteString(" AND c.role IN " + in(&b, f.Roles))
	}
	if q := crm.Fold(f.Name); q != "" {
		end := prefixEnd(q)
		cond := "(c.name_norm >= " + b.arg(q) + " AND c.name_norm < " + b.arg(end) + ") OR (c.sort_norm >= " + b.arg(q) +
			" AND c.sort_norm < " + b.arg(end) + ")"
		if words := crm.SearchWords(f.Name); len(words) > 0 {
			cond += " OR " + r.db.dialect.wordMatch(&b, "contacts", "c", words)
		}
		b.WriteString(" AND (" + cond + ")")
	}
	cond, err := o.after(&b, c, "c.id")
	if err != nil {
		return page, err
	}
	b.WriteString(cond + o.by("c.id") + " LIMIT " + b.arg(limit+1))
	var keys []any
	list, err := r.queryContactsFrom(ctx, b.String(), &keys, b.args...)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = cursor{Key: keyText(keys[limit-1]), ID: list[limit-1].ID}.encode()
	}
	page.Items = list
	return page, nil
}

// ContactLookalikes returns live people other than c who may be the same person: the same name in either
// order, or a very similar one, at the same company (or where either has no company: people of the same
// name at different companies are usually different people).
func (r Reader) ContactLookalikes(ctx context.Context, c *crm.Contact) ([]Likely, error) {
	name, sortName := c.NameNorm(), c.SortNorm()
	key := strings.ReplaceAll(name, " ", "")
	first := strings.SplitN(name, " ", 2)[0]
	prefix := string([]rune(first)[:min(3, len([]rune(first)))])
	if prefix == "" {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx, `SELECT id, first_name, last_name, name_norm, account_id FROM contacts
		WHERE deleted_at IS NULL AND id <> $1 AND (name_norm = $2 OR name_norm = $3 OR (name_norm >= $4 AND name_norm < $5))
		ORDER BY sort_norm, id LIMIT 500`, c.ID, name, sortName, prefix, prefixEnd(prefix))
	if err != nil {
		return nil, fmt.Errorf("store: lookalikes of %q: %w", c.Name(), err)
	}
	defer rows.Close()
	var found []Likely
	for rows.Next() {
		var id int64
		var fn, ln, n string
		var account sql.NullInt64
		if err := rows.Scan(&id, &fn, &ln, &n, &account); err != nil {
			return nil, err
		}
		if c.AccountID != 0 && account.Int64 != 0 && account.Int64 != c.AccountID {
			continue
		}
		display := strings.TrimSpace(fn + " " + ln)
		switch {
		case n == name || n == sortName:
			found = append(found, Likely{Kind: crm.KindContact.Name, ID: id, Name: display, Reason: "same_name"})
		case crm.SimilarNames(strings.ReplaceAll(n, " ", ""), key):
			found = append(found, Likely{Kind: crm.KindContact.Name, ID: id, Name: display, Reason: "similar_name"})
		}
	}
	return found, rows.Err()
}
