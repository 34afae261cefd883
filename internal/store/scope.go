package store

import (
	"context"
	"fmt"

	"tili/internal/crm"
)

// Scope limits a query to the records a viewer may see. It is crm.Viewer.CanSee written in SQL: the
// two must agree, and a property test checks that they do over random users, teams, hierarchies,
// shares, settings and records.
type Scope struct{ V crm.Viewer }

// ScopeAll sees every record: for the system and for administrators.
var ScopeAll = Scope{V: crm.Viewer{Principal: crm.Principal{Role: crm.Admin}}}

// sees returns the condition for records of entity (alias t, with columns id, owner_id and team_id)
// that s may see by their own ownership and shares.
func (s Scope) sees(b *Buf, entity, t string) string {
	v := s.V
	if v.Role == crm.Admin {
		return "1 = 1"
	}
	if v.UserID == 0 {
		return "1 = 0"
	}
	sharing := v.Sharing[entity]
	if sharing == "" {
		sharing = crm.SharingTeamRead
	}
	if sharing == crm.SharingEveryoneRead {
		return "1 = 1"
	}
	// each placeholder is added only when its condition is used, so the numbering stays dense
	owns := func() string { return t + ".owner_id = " + b.Arg(v.UserID) }
	team := func() string { return t + ".team_id IN " + In(b, v.Teams) }
	var own string
	switch v.Role {
	case crm.SalesHead:
		own = owns() + " OR " + team() + " OR " + t + ".owner_id IN " + In(b, v.Below)
	case crm.AccountManager:
		own = owns()
		if sharing != crm.SharingPrivate {
			own += " OR " + team()
		}
	case crm.Assistant, crm.ReadOnly:
		own = team()
	default:
		return "1 = 0"
	}
	return "(" + own + " OR " + s.shared(b, entity, t) + ")"
}

// shared returns the condition for records of entity (alias t) shared with the viewer or one of its
// teams.
func (s Scope) shared(b *Buf, entity, t string) string {
	// entity is a kind's name from the code, never input: written as a literal, as the planner likes it
	return "EXISTS (SELECT 1 FROM shares sh WHERE sh.entity = '" + entity + "' AND sh.entity_id = " + t + ".id" +
		" AND (sh.user_id = " + b.Arg(s.V.UserID) + " OR sh.team_id IN " + In(b, s.V.Teams) + "))"
}

// Visible returns the condition for records of kind (alias t) that s may see: by their own ownership
// and shares, or — for a kind with a parent kind — as their parent record is seen. It is
// crm.Viewer.CanSeeRecord in SQL.
func (s Scope) Visible(b *Buf, kind *crm.Kind, t string) string {
	if s.V.Role == crm.Admin {
		return "1 = 1"
	}
	own := s.sees(b, kind.Name, t)
	if kind.Parent == nil {
		return own
	}
	p := "p_" + t
	return "(" + own + " OR EXISTS (SELECT 1 FROM " + kind.Parent.Table + " " + p + " WHERE " + p + ".id = " + t + "." +
		kind.ParentColumn + " AND " + s.sees(b, kind.Parent.Name, p) + "))"
}

// Visible returns which of the records ids of kind the scope sees, in one query.
func (r Reader) Visible(ctx context.Context, s Scope, kind *crm.Kind, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var b Buf
	b.WriteString("SELECT t.id FROM " + kind.Table + " t WHERE t.id IN " + In(&b, ids))
	b.WriteString(" AND " + s.Visible(&b, kind, "t"))
	found, err := r.IDs(ctx, b.String(), b.Args...)
	if err != nil {
		return nil, fmt.Errorf("store: which %s records are visible: %w", kind.Name, err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}
