package contacts

import (
	"context"
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

// Lookalikes returns the live people scope sees, other than c, who may be the same person: the same
// folded name in either order, or a similar one, at the same company or where either has no company
// (people of the same name at different companies are usually different people). Exact matches are
// found through the name index however many people share the name's first letters; similar names are
// looked for among the name's neighbours in both name orders. One query.
func Lookalikes(ctx context.Context, r store.Reader, scope store.Scope, c *crm.Contact) (store.Lookalikes, error) {
	name, sortName := c.NameNorm(), c.SortNorm()
	set := store.NewLikelySet(c.ID)
	if strings.TrimSpace(name) == "" {
		return set.Result(), nil
	}
	var b store.Buf
	where := func() string {
		w := " AND c.deleted_at IS NULL AND c.id <> " + b.Arg(c.ID)
		if c.AccountID != 0 {
			w += " AND (c.account_id IS NULL OR c.account_id = " + b.Arg(c.AccountID) + ")"
		}
		return w + " AND " + scope.Visible(&b, crm.KindContact, "c")
	}
	b.WriteString(`SELECT * FROM (SELECT 1 AS exact, c.id, c.first_name, c.last_name, c.name_norm FROM contacts c
		WHERE c.name_norm IN (` + b.Arg(name) + `, ` + b.Arg(sortName) + `)`)
	b.WriteString(where() + ` LIMIT ` + b.Arg(store.LikelyCounted) + `) AS same
		UNION ALL SELECT 0, c.id, c.first_name, c.last_name, c.name_norm FROM contacts c WHERE c.id IN (` +
		store.Neighbours(&b, "contacts", "name_norm", name) + ` UNION ALL ` +
		store.Neighbours(&b, "contacts", "sort_norm", sortName) + `)`)
	b.WriteString(where())
	rows, err := r.Cached(ctx, b.String(), b.Args...)
	if err != nil {
		return store.Lookalikes{}, fmt.Errorf("store: lookalikes of %q: %w", c.Name(), err)
	}
	defer rows.Close()
	key := strings.ReplaceAll(name, " ", "")
	for rows.Next() {
		var exact bool
		var id int64
		var fn, ln, n string
		if err := rows.Scan(&exact, &id, &fn, &ln, &n); err != nil {
			return store.Lookalikes{}, err
		}
		l := store.Likely{Kind: crm.KindContact.Name, ID: id, Name: strings.TrimSpace(fn + " " + ln)}
		switch {
		case exact || n == name || n == sortName:
			l.Reason = "same_name"
			set.Add(l)
		case crm.SimilarNames(strings.ReplaceAll(n, " ", ""), key):
			l.Reason = "similar_name"
			set.AddLater(l)
		}
	}
	if err := rows.Err(); err != nil {
		return store.Lookalikes{}, err
	}
	return set.Result(), nil
}
