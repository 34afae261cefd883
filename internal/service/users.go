package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// Users is the use-case surface for users and teams.
type Users struct{ *base }

func requireAdmin(p crm.Principal, what string) error {
	if p.Role != crm.Admin {
		return crm.Errorf(crm.Forbidden, "only an administrator may %s", what)
	}
	return nil
}

// adminChange refuses a change to record id of entity that only administrators may make, or one made
// through a read-only API token, recording the refusal in the audit log.
func (b *base) adminChange(ctx context.Context, p crm.Principal, what, entity string, id int64) error {
	if p.Role != crm.Admin {
		return b.refused(ctx, p, entity, id, crm.Errorf(crm.Forbidden, "only an administrator may %s", what))
	}
	if p.ReadOnly {
		return b.refused(ctx, p, entity, id, crm.Errorf(crm.Forbidden, "this API token may only read"))
	}
	return nil
}

// Create adds a user; only administrators may.
func (s *Users) Create(ctx context.Context, p crm.Principal, u *crm.User) error {
	if err := s.adminChange(ctx, p, "add users", "user", 0); err != nil {
		return err
	}
	u.ID = 0
	if err := u.Validate(); err != nil {
		return err
	}
	return s.write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		for _, t := range u.TeamIDs {
			if _, err := tx.Team(ctx, t); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, actor(p), u); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.created", "user", u.ID, string(u.Role))
	})
}

// List returns every user. Everyone signed in may see who the users are: owners are shown on records.
func (s *Users) List(ctx context.Context, p crm.Principal) ([]*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.db.Users(ctx)
}

// ByEmail returns the user with the e-mail address.
func (s *Users) ByEmail(ctx context.Context, p crm.Principal, email string) (*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.db.UserByEmail(ctx, email)
}

// CreateTeam adds a team; only administrators may.
func (s *Users) CreateTeam(ctx context.Context, p crm.Principal, t *crm.Team) error {
	if err := s.adminChange(ctx, p, "add teams", "team", 0); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateTeam(ctx, actor(p), t); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "team.created", "team", t.ID, t.Name)
	})
}

// Teams returns every team.
func (s *Users) Teams(ctx context.Context, p crm.Principal) ([]*crm.Team, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.db.Teams(ctx)
}

// TeamByName returns the team called name.
func (s *Users) TeamByName(ctx context.Context, p crm.Principal, name string) (*crm.Team, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.db.TeamByName(ctx, name)
}

// Update changes a user's name, role, language, time zone, manager and teams; administrators only, and
// everyone may change their own name, language and time zone. u.Version must be the version read.
func (s *Users) Update(ctx context.Context, p crm.Principal, u *crm.User) error {
	if p.ReadOnly {
		return s.refused(ctx, p, "user", u.ID, crm.Errorf(crm.Forbidden, "a read-only token changes nothing"))
	}
	return s.write(ctx, p, func(ctx context.Context, tx *store.Tx) error { return s.update(ctx, tx, p, u) })
}

func (s *Users) update(ctx context.Context, tx *store.Tx, p crm.Principal, u *crm.User) error {
	old, err := tx.User(ctx, u.ID)
	if err != nil {
		return err
	}
	if p.Role != crm.Admin {
		if p.UserID != u.ID {
			return refuse("user", u.ID, crm.Errorf(crm.Forbidden, "only an administrator may change other users"))
		}
		if u.Role != old.Role || u.ManagerID != old.ManagerID || fmt.Sprint(u.TeamIDs) != fmt.Sprint(old.TeamIDs) {
			return refuse("user", u.ID, crm.Errorf(crm.Forbidden, "only an administrator may change roles, managers and teams"))
		}
	}
	if u.Email != old.Email {
		return crm.FieldError("email", "the e-mail address of a user does not change; add a new user instead")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if p.UserID == u.ID && old.Role == crm.Admin && u.Role != crm.Admin {
		return crm.FieldError("role", "you cannot take away your own administrator role; ask another administrator")
	}
	for _, t := range u.TeamIDs {
		if _, err := tx.Team(ctx, t); err != nil {
			return crm.FieldError("team", "there is no team #%d", t)
		}
	}
	if err := tx.UpdateUser(ctx, actor(p), u); err != nil {
		return err
	}
	tx.AfterCommit(func() { s.forget(ctx, u.ID) })
	if old.Role != u.Role {
		if err := s.audit(ctx, tx, p, "user.role_changed", "user", u.ID, string(old.Role)+" -> "+string(u.Role)); err != nil {
			return err
		}
	}
	if fmt.Sprint(old.TeamIDs) != fmt.Sprint(u.TeamIDs) {
		return s.audit(ctx, tx, p, "user.teams_changed", "user", u.ID, fmt.Sprint(old.TeamIDs)+" -> "+fmt.Sprint(u.TeamIDs))
	}
	return nil
}

// Disable stops a user from signing in and ends all their sessions and API tokens; administrators only.
func (s *Users) Disable(ctx context.Context, p crm.Principal, id int64) error {
	if err := s.adminChange(ctx, p, "disable users", "user", id); err != nil {
		return err
	}
	if p.UserID == id {
		return crm.Errorf(crm.Invalid, "you cannot disable yourself; ask another administrator")
	}
	return s.write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.DisableUser(ctx, actor(p), id); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.forget(ctx, id) })
		return s.audit(ctx, tx, p, "user.disabled", "user", id, "")
	})
}

// Enable lets a disabled user sign in again; they need a new password link or password.
func (s *Users) Enable(ctx context.Context, p crm.Principal, id int64) error {
	if err := s.adminChange(ctx, p, "enable users", "user", id); err != nil {
		return err
	}
	return s.write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.EnableUser(ctx, actor(p), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.enabled", "user", id, "")
	})
}

// Get returns one user.
func (s *Users) Get(ctx context.Context, p crm.Principal, id int64) (*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.db.User(ctx, id)
}

// AuditLog returns security events, newest first; administrators only.
func (s *Users) AuditLog(ctx context.Context, p crm.Principal, event string, limit int, after string) (Page[store.AuditEvent], error) {
	if err := requireAdmin(p, "read the audit log"); err != nil {
		return Page[store.AuditEvent]{}, err
	}
	return s.db.AuditLog(ctx, event, limit, after)
}
