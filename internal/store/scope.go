package store

import "tili/internal/crm"

// Scope limits a query to the records a viewer may see. It is crm.Viewer.CanSee written in SQL: the
// two must agree, and a test checks that they do over random users, teams and records.
type Scope struct{ V crm.Viewer }

// ScopeAll sees every record: for the system and for administrators.
var ScopeAll = Scope{V: crm.Viewer{Principal: crm.Principal{Role: crm.Admin}}}

// ownership returns the condition on columns owner_id and team_id of alias for records s may see.
func (s Scope) ownership(b *sqlBuf, alias string) string {
	v := s.V
	// each placeholder is added only when its condition is used, so the numbering stays dense
	owns := func() string { return alias + ".owner_id = " + b.arg(v.UserID) }
	team := func() string { return alias + ".team_id IN " + in(b, v.Teams) }
	switch v.Role {
	case crm.Admin:
		return "1 = 1"
	case crm.SalesHead:
		if v.UserID == 0 {
			return team()
		}
		return "(" + owns() + " OR " + team() + " OR " + alias + ".owner_id IN " + in(b, v.Below) + ")"
	case crm.AccountManager:
		if v.UserID == 0 {
			return team()
		}
		return "(" + owns() + " OR " + team() + ")"
	case crm.Assistant, crm.ReadOnly:
		return team()
	}
	return "1 = 0"
}

// accounts returns the condition for companies (alias a) s may see.
func (s Scope) accounts(b *sqlBuf, alias string) string { return s.ownership(b, alias) }

// contacts returns the condition for people (alias c) s may see: by their own ownership, or as their
// company is seen.
func (s Scope) contacts(b *sqlBuf, alias string) string {
	if s.V.Role == crm.Admin {
		return "1 = 1"
	}
	own := s.ownership(b, alias)
	viaAccount := s.ownership(b, "sa")
	return "(" + own + " OR EXISTS (SELECT 1 FROM accounts sa WHERE sa.id = " + alias + ".account_id AND " + viaAccount + "))"
}
