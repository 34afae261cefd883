package crm

import "slices"

// Viewer is a principal with what decides which records it sees: its teams and the users below it in
// the manager hierarchy. The service layer builds it once per request.
type Viewer struct {
	Principal
	Teams []int64 // the teams the user belongs to
	Below []int64 // the users who report to them, directly or further down
}

// Ownership is what visibility is decided by on a record: its owner and its team.
type Ownership struct {
	OwnerID int64
	TeamID  int64
}

// CanSee reports whether v may see a record with ownership o. The same rule is written in SQL by
// store.Scope for every list; a test keeps the two in step.
//
//   - admin: every record
//   - sales head: records owned by them or anyone below them, and their teams' records
//   - account manager: their own records and their teams' records
//   - assistant, read-only: their teams' records
func (v Viewer) CanSee(o Ownership) bool {
	switch v.Role {
	case Admin:
		return true
	case SalesHead:
		return v.owns(o) || v.inTeam(o) || (o.OwnerID != 0 && slices.Contains(v.Below, o.OwnerID))
	case AccountManager:
		return v.owns(o) || v.inTeam(o)
	case Assistant, ReadOnly:
		return v.inTeam(o)
	}
	return false
}

// CanEdit reports whether v may change a record with ownership o.
//
//   - admin: every record
//   - sales head: every record they see
//   - account manager: their own records
//   - assistant, read-only: none
func (v Viewer) CanEdit(o Ownership) bool {
	switch v.Role {
	case Admin:
		return true
	case SalesHead:
		return v.CanSee(o)
	case AccountManager:
		return v.owns(o)
	}
	return false
}

// CanCreate reports whether v may add companies and people.
func (v Viewer) CanCreate() bool {
	return v.Role == Admin || v.Role == SalesHead || v.Role == AccountManager
}

func (v Viewer) owns(o Ownership) bool { return v.UserID != 0 && o.OwnerID == v.UserID }

func (v Viewer) inTeam(o Ownership) bool { return o.TeamID != 0 && slices.Contains(v.Teams, o.TeamID) }

// ContactOwnership is what decides who sees a person: the person's own owner and team, and, when the
// person works at a company, that company's too.
type ContactOwnership struct {
	Ownership
	Account *Ownership // nil when the person has no company
}

// CanSeeContact reports whether v may see a person: as its company is seen, or by its own ownership.
func (v Viewer) CanSeeContact(o ContactOwnership) bool {
	return v.CanSee(o.Ownership) || (o.Account != nil && v.CanSee(*o.Account))
}

// CanEditContact reports whether v may change a person: as its company is edited, or by its own ownership.
func (v Viewer) CanEditContact(o ContactOwnership) bool {
	return v.CanEdit(o.Ownership) || (o.Account != nil && v.CanEdit(*o.Account))
}
