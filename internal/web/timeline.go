package web

import (
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
)

// ChangeLine is a change on a timeline or in a history table, in words.
type ChangeLine struct {
	Kind     string // change
	Icon     string
	What     string // "Stage", "Created", …
	Old, New string
	Actor    string
	Source   string
	At       services.TimelineItem
	Merged   bool // from a record merged into this one
}

// ChangeLines turns timeline items into words: field names and enumerated values in the page's language,
// user ids as names.
func ChangeLines(pg *Page, items []services.TimelineItem, userList []*crm.User) []ChangeLine {
	users, byEmail := UserNames(userList), map[string]string{}
	for _, u := range userList {
		byEmail[u.Email] = u.Name
	}
	out := make([]ChangeLine, 0, len(items))
	for _, it := range items {
		ch := it.Change
		if ch == nil {
			continue
		}
		l := ChangeLine{Kind: it.Kind, Icon: "✎", Actor: byEmail[it.Actor], Source: pg.T("source." + ch.Source), At: it}
		if l.Actor == "" {
			l.Actor = pg.T("history.system")
		}
		l.What, l.Old, l.New = describe(pg, ch, users)
		switch ch.Field {
		case "created":
			l.Icon = "+"
		case "deleted":
			l.Icon = "🗑"
		case "merged", "merged_into":
			l.Icon = "⇄"
		}
		out = append(out, l)
	}
	return out
}

// describe gives a change's field and values in words.
func describe(pg *Page, ch *crm.Change, users map[int64]string) (what, old, new string) {
	field := ch.Field
	value := func(v string) string {
		switch field {
		case "stage", "role", "influence", "attitude", "channel", "kind", "revenue_band":
			return pg.Enum(field, v)
		case "consent.email", "consent.phone", "consent.post", "consent.sms":
			return pg.Enum("consent", v)
		case "owner_id":
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				if n := users[id]; n != "" {
					return n
				}
			}
		case "phones":
			var out []string
			for _, p := range strings.Split(v, ", ") {
				if p != "" {
					out = append(out, pg.Phone(p))
				}
			}
			return strings.Join(out, ", ")
		}
		return v
	}
	switch {
	case field == "created", field == "deleted", field == "restored":
		return pg.T("history." + field), "", ch.New
	case field == "merged":
		id, name, _ := strings.Cut(ch.New, " ")
		return pg.T("history.merged"), "", "#" + id + " " + name
	case field == "merged_into":
		return pg.T("history.merged_into"), "", "#" + ch.New
	case strings.HasPrefix(field, "share."):
		return pg.T("history.share"), pg.Enum("share", ch.Old), pg.Enum("share", ch.New)
	}
	if pg.cat.Has("field." + field) {
		what = pg.T("field." + field)
	} else {
		what = field
	}
	return what, value(ch.Old), value(ch.New)
}
