package crm

import (
	"slices"
	"time"
)

// Sharing is how far the teammates of a record's owner see it; there is one setting per record type.
type Sharing string

const (
	SharingPrivate      Sharing = "private"       // account managers see their own records only
	SharingTeamRead     Sharing = "team_read"     // they see their teams' records (the default)
	SharingTeamEdit     Sharing = "team_edit"     // and change them
	SharingEveryoneRead Sharing = "everyone_read" // every user sees every record of the type
)

// Sharings lists the settings from the most closed.
var Sharings = []Sharing{SharingPrivate, SharingTeamRead, SharingTeamEdit, SharingEveryoneRead}

// ShareLevel is what an explicit share grants.
type ShareLevel string

const (
	ShareRead ShareLevel = "read"
	ShareEdit ShareLevel = "edit"
)

// Share grants one user or one team (exactly one of UserID and TeamID) read or edit on one record.
type Share struct {
	ID        int64      `json:"id"`
	Entity    string     `json:"entity"` // the name of a shareable Kind
	EntityID  int64      `json:"entity_id"`
	UserID    int64      `json:"user_id,omitempty"`
	TeamID    int64      `json:"team_id,omitempty"`
	Level     ShareLevel `json:"level"`
	CreatedAt time.Time  `json:"created_at"`
}

// Viewer is a principal with what decides which records it sees: its teams, the users below it in the
// manager hierarchy, and the sharing settings. The service layer builds it once per request.
type Viewer struct {
	Principal
	Teams   []int64 // the teams the user belongs to
	Below   []int64 // the users who report to them, directly or further down
	Sharing map[string]Sharing
}

// sharing returns the setting for records of entity; team read when none is set.
func (v Viewer) sharing(entity string) Sharing {
	if s, ok := v.Sharing[entity]; ok {
		return s
	}
	return SharingTeamRead
}

// Access is what decides who sees one record: its type, owner, team and explicit shares.
type Access struct {
	Entity  string // the Kind's name
	ID      int64
	OwnerID int64
	TeamID  int64
	Shares  []Share
}

// CanSee reports whether v may see a record. The same rule is written in SQL by store.Scope for every
// list; a property test keeps the two in step.
//
//   - admin: every record
//   - sales head: records owned by them or anyone below them, and their teams' records
//   - account manager: their own records; their teams' records unless sharing is private
//   - assistant, read-only: their teams' records
//   - everyone: records shared with them or one of their teams, and all records of a type whose
//     sharing is everyone_read
func (v Viewer) CanSee(a Access) bool {
	if v.Role == Admin {
		return true
	}
	if !v.known() {
		return false
	}
	if v.sharing(a.Entity) == SharingEveryoneRead || v.sharedAtLeast(a, ShareRead) {
		return true
	}
	switch v.Role {
	case SalesHead:
		return v.owns(a) || v.inTeam(a) || v.above(a)
	case AccountManager:
		return v.owns(a) || (v.inTeam(a) && v.sharing(a.Entity) != SharingPrivate)
	case Assistant, ReadOnly:
		return v.inTeam(a)
	}
	return false
}

// CanEdit reports whether v may change a record.
//
//   - admin: every record
//   - sales head: records owned by them or anyone below them, and their teams' records
//   - account manager: their own records; their teams' records when sharing is team_edit
//   - sales head and account manager: records shared with them (or a team of theirs) for editing
//   - assistant, read-only: none
func (v Viewer) CanEdit(a Access) bool {
	if v.ReadOnly {
		return false
	}
	switch v.Role {
	case Admin:
		return true
	case SalesHead:
		return v.known() && (v.owns(a) || v.inTeam(a) || v.above(a) || v.sharedAtLeast(a, ShareEdit))
	case AccountManager:
		return v.known() && (v.owns(a) || (v.inTeam(a) && v.sharing(a.Entity) == SharingTeamEdit) || v.sharedAtLeast(a, ShareEdit))
	}
	return false
}

// CanSeeConfidential reports whether v may see a record's confidential fields (a company's internal
// notes): its owner, the managers above the owner, and administrators.
func (v Viewer) CanSeeConfidential(a Access) bool {
	return v.Role == Admin || (v.known() && (v.owns(a) || v.above(a)))
}

// CanCreate reports whether v may add companies and people.
func (v Viewer) CanCreate() bool {
	return !v.ReadOnly && (v.Role == Admin || (v.known() && (v.Role == SalesHead || v.Role == AccountManager)))
}

// CanReassign reports whether v may give a record to another owner: administrators, a sales head for
// what they may change, and an account manager for their own records.
func (v Viewer) CanReassign(a Access) bool {
	if v.ReadOnly {
		return false
	}
	switch v.Role {
	case Admin:
		return true
	case SalesHead:
		return v.CanEdit(a)
	case AccountManager:
		return v.owns(a)
	}
	return false
}

// CanShare reports whether v may grant others access to a record: whoever may reassign it.
func (v Viewer) CanShare(a Access) bool { return v.CanReassign(a) }

// CanDelete reports whether v may move a record to the bin: whoever may change it, except assistants,
// who never delete companies or people (they may not change them either).
func (v Viewer) CanDelete(a Access) bool { return v.CanEdit(a) }

// known is false for a principal that is no user and no administrator: it may do nothing.
func (v Viewer) known() bool { return v.UserID != 0 }

func (v Viewer) owns(a Access) bool { return a.OwnerID != 0 && a.OwnerID == v.UserID }

func (v Viewer) inTeam(a Access) bool { return a.TeamID != 0 && slices.Contains(v.Teams, a.TeamID) }

func (v Viewer) above(a Access) bool { return a.OwnerID != 0 && slices.Contains(v.Below, a.OwnerID) }

func (v Viewer) sharedAtLeast(a Access, level ShareLevel) bool {
	for _, s := range a.Shares {
		if level == ShareEdit && s.Level != ShareEdit {
			continue
		}
		if (s.UserID != 0 && s.UserID == v.UserID) || (s.TeamID != 0 && slices.Contains(v.Teams, s.TeamID)) {
			return true
		}
	}
	return false
}

// RecordAccess is what decides who sees one record: its own access and, for a record of a kind with a
// parent kind (a person's company), its parent record's; Parent is nil when the record belongs to none.
type RecordAccess struct {
	Access
	Parent *Access
}

// Either tells whether test allows the record by its own access or by its parent record's.
func (r RecordAccess) Either(test func(Access) bool) bool {
	return test(r.Access) || (r.Parent != nil && test(*r.Parent))
}

// CanSeeRecord reports whether v may see a record: as its parent record is seen, or by its own access.
// store.Scope.Visible writes the same rule in SQL for every kind in Kinds.
func (v Viewer) CanSeeRecord(r RecordAccess) bool { return r.Either(v.CanSee) }

// CanEditRecord reports whether v may change a record: as its parent record is changed, or by its own
// access.
func (v Viewer) CanEditRecord(r RecordAccess) bool { return r.Either(v.CanEdit) }
