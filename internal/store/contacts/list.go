package contacts

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tili/internal/crm"
	"tili/internal/store"
)

// Filter narrows a list of people; zero fields do not narrow.
type Filter struct {
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

// contactOrders are the sorts of the people list: by last name, then first name.
var contactOrders = store.Orders{"name": {Column: "c.sort_norm"}, "updated": {Column: "c.updated_at", IsTime: true}, "created": {Column: "c.created_at", IsTime: true}}

// List returns a page of the people scope sees that match f, by last name, then first name.
func List(ctx context.Context, r store.Reader, scope store.Scope, f Filter) (store.Page[*crm.Contact], error) {
	var page store.Page[*crm.Contact]
	limit := store.ClampLimit(f.Limit, 50, 1000)
	c, err := store.DecodeCursor(f.After)
	if err != nil {
		return page, err
	}
	o, err := contactOrders.Of(f.Sort)
	if err != nil {
		return page, err
	}
	var b store.Buf
	b.WriteString(`SELECT ` + contactColumns + `, ` + o.Column + ` FROM contacts c WHERE `)
	if f.Binned {
		b.WriteString("c.deleted_at IS NOT NULL")
	} else {
		b.WriteString("c.deleted_at IS NULL")
	}
	b.WriteString(" AND " + scope.Visible(&b, crm.KindContact, "c"))
	if f.AccountID != 0 {
		b.WriteString(" AND c.account_id = " + b.Arg(f.AccountID))
	}
	if len(f.OwnerIDs) > 0 {
		b.WriteString(" AND COALESCE(c.owner_id, 0) IN " + store.In(&b, f.OwnerIDs))
	}
	if len(f.TeamIDs) > 0 {
		b.WriteString(" AND c.team_id IN " + store.In(&b, f.TeamIDs))
	}
	if len(f.Roles) > 0 {
		b.WriteString(" AND c.role IN " + store.In(&b, f.Roles))
	}
	if q := crm.Fold(f.Name); q != "" {
		end := store.PrefixEnd(q)
		cond := "(c.name_norm >= " + b.Arg(q) + " AND c.name_norm < " + b.Arg(end) + ") OR (c.sort_norm >= " + b.Arg(q) +
			" AND c.sort_norm < " + b.Arg(end) + ")"
		if words := crm.SearchWords(f.Name); len(words) > 0 {
			cond += " OR " + r.Dialect().WordMatch(&b, "contacts", "c", words)
		}
		b.WriteString(" AND (" + cond + ")")
	}
	cond, err := o.After(&b, c, "c.id")
	if err != nil {
		return page, err
	}
	b.WriteString(cond + o.By("c.id") + " LIMIT " + b.Arg(limit+1))
	var keys []any
	list, err := queryContactsFrom(ctx, r, b.String(), &keys, b.Args...)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = store.Cursor{Key: store.KeyText(keys[limit-1]), ID: list[limit-1].ID}.Encode()
	}
	page.Items = list
	return page, nil
}

// Lookalikes returns live people other than c who may be the same person: the same name in either
// order, or a very similar one, at the same company (or where either has no company: people of the same
// name at different companies are usually different people).
func Lookalikes(ctx context.Context, r store.Reader, c *crm.Contact) ([]store.Likely, error) {
	name, sortName := c.NameNorm(), c.SortNorm()
	key := strings.ReplaceAll(name, " ", "")
	first := strings.SplitN(name, " ", 2)[0]
	prefix := string([]rune(first)[:min(3, len([]rune(first)))])
	if prefix == "" {
		return nil, nil
	}
	rows, err := r.Query(ctx, `SELECT id, first_name, last_name, name_norm, account_id FROM contacts
		WHERE deleted_at IS NULL AND id <> $1 AND (name_norm = $2 OR name_norm = $3 OR (name_norm >= $4 AND name_norm < $5))
		ORDER BY sort_norm, id LIMIT 500`, c.ID, name, sortName, prefix, store.PrefixEnd(prefix))
	if err != nil {
		return nil, fmt.Errorf("store: lookalikes of %q: %w", c.Name(), err)
	}
	defer rows.Close()
	var found []store.Likely
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
			found = append(found, store.Likely{Kind: crm.KindContact.Name, ID: id, Name: display, Reason: "same_name"})
		case crm.SimilarNames(strings.ReplaceAll(n, " ", ""), key):
			found = append(found, store.Likely{Kind: crm.KindContact.Name, ID: id, Name: display, Reason: "similar_name"})
		}
	}
	return found, rows.Err()
}
