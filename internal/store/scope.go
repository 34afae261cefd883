package store

import "tili/internal/crm"

// Scope limits a query to the records a viewer may see. It is crm.Viewer.CanSee written in SQL: the
// two must agree, and a property test checks that they do over random users, teams, hierarchies,
// shares, settings and records.
type Scope struct{ V crm.Viewer }

// ScopeAll sees every record: for the system and for administrators.
var ScopeAll = Scope{V: crm.Viewer{Principal: crm.Principal{Role: crm.Admin}}}

// sees returns the condition for records of entity (alias t, with columns id, owner_id and team_id)
// that s may see by their own ownership and shares.
func (s Scope) sees(b *sqlBuf, entity, t string) string {
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
	owns := func() string { return t + ".owner_id = " + b.arg(v.UserID) }
	team := func() string { return t + ".team_id IN " + in(b, v.Teams) }
	var own string
	switch v.Role {
	case crm.SalesHead:
		own = owns() + " OR " + team() + " OR " + t + ".owner_id IN " + in(b, v.Below)
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
func (s Scope) shared(b *sqlBuf, entity, t string) string {
	return "EXISTS (SELECT 1 FROM shares sh WHERE sh.entity = '" + entity + "' AND sh.entity_id = " + t + ".id" +
		" AND (sh.user_id = " + b.arg(s.V.UserID) + " OR sh.team_id IN " + in(b, s.V.Teams) + "))"
}

// accounts returns the condition for companies (alias a) s may see.
func (s Scope) accounts(b *sqlBuf, alias string) string { return s.sees(b, "account", alias) }

// contacts returns the condition for people (alias c) s may see: by their own ownership and shares, or
// as their company is seen.
func (s Scope) contacts(b *sqlBuf, alias string) string {
	if s.V.Role == crm.Admin {
		return "1 = 1"
	}
	return "(" + s.sees(b, "contact", alias) + " OR EXISTS (SELECT 1 FROM accounts sa WHERE sa.id = " + alias +
		".account_id AND " + s.sees(b, "account", "sa") + "))"
}
