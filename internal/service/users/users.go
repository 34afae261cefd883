package users

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/service"
	signinsvc "tili/internal/service/signin"
	"tili/internal/store"
)

// Service is the use-case surface for users and teams.
type Service struct{ core *service.Core }

// New builds the use cases of users and teams on core.
func New(core *service.Core) *Service { return &Service{core: core} }

// Create adds a user; only administrators may.
func (s *Service) Create(ctx context.Context, p crm.Principal, u *crm.User) error {
	if err := s.core.AdminChange(ctx, p, "add users", "user", 0); err != nil {
		return err
	}
	u.ID = 0
	if err := u.Validate(); err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		for _, t := range u.TeamIDs {
			if _, err := tx.Team(ctx, t); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, service.Actor(p), u); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "user.created", "user", u.ID, string(u.Role))
	})
}

// List returns every user. Everyone signed in may see who the users are: owners are shown on records.
func (s *Service) List(ctx context.Context, p crm.Principal) ([]*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.Users(ctx)
}

// ByEmail returns the user with the e-mail address.
func (s *Service) ByEmail(ctx context.Context, p crm.Principal, email string) (*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.UserByEmail(ctx, email)
}

// CreateTeam adds a team; only administrators may.
func (s *Service) CreateTeam(ctx context.Context, p crm.Principal, t *crm.Team) error {
	if err := s.core.AdminChange(ctx, p, "add teams", "team", 0); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateTeam(ctx, service.Actor(p), t); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "team.created", "team", t.ID, t.Name)
	})
}

// Teams returns every team.
func (s *Service) Teams(ctx context.Context, p crm.Principal) ([]*crm.Team, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.Teams(ctx)
}

// TeamByName returns the team called name.
func (s *Service) TeamByName(ctx context.Context, p crm.Principal, name string) (*crm.Team, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.TeamByName(ctx, name)
}

// Update changes a user's name, role, language, time zone, manager and teams; administrators only, and
// everyone may change their own name, language and time zone. u.Version must be the version read.
func (s *Service) Update(ctx context.Context, p crm.Principal, u *crm.User) error {
	if p.ReadOnly {
		return s.core.Refused(ctx, p, "user", u.ID, crm.Errorf(crm.Forbidden, "a read-only token changes nothing"))
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error { return s.update(ctx, tx, p, u) })
}

func (s *Service) update(ctx context.Context, tx *store.Tx, p crm.Principal, u *crm.User) error {
	old, err := tx.User(ctx, u.ID)
	if err != nil {
		return err
	}
	if p.Role != crm.Admin {
		if p.UserID != u.ID {
			return service.Refuse("user", u.ID, crm.Errorf(crm.Forbidden, "only an administrator may change other users"))
		}
		if u.Role != old.Role || u.ManagerID != old.ManagerID || fmt.Sprint(u.TeamIDs) != fmt.Sprint(old.TeamIDs) {
			return service.Refuse("user", u.ID, crm.Errorf(crm.Forbidden, "only an administrator may change roles, managers and teams"))
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
	if err := tx.UpdateUser(ctx, service.Actor(p), u); err != nil {
		return err
	}
	tx.AfterCommit(func() { s.core.Forget(ctx, u.ID) })
	if old.Role != u.Role {
		if err := s.core.Audit(ctx, tx, p, "user.role_changed", "user", u.ID, string(old.Role)+" -> "+string(u.Role)); err != nil {
			return err
		}
	}
	if fmt.Sprint(old.TeamIDs) != fmt.Sprint(u.TeamIDs) {
		return s.core.Audit(ctx, tx, p, "user.teams_changed", "user", u.ID, fmt.Sprint(old.TeamIDs)+" -> "+fmt.Sprint(u.TeamIDs))
	}
	return nil
}

// Disable stops a user from signing in and ends all their sessions and API tokens; administrators only.
func (s *Service) Disable(ctx context.Context, p crm.Principal, id int64) error {
	if err := s.core.AdminChange(ctx, p, "disable users", "user", id); err != nil {
		return err
	}
	if p.UserID == id {
		return crm.Errorf(crm.Invalid, "you cannot disable yourself; ask another administrator")
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.DisableUser(ctx, service.Actor(p), id); err != nil {
			return err
		}
		if err := signinsvc.EndSignIns(ctx, tx, id); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.core.Forget(ctx, id) })
		return s.core.Audit(ctx, tx, p, "user.disabled", "user", id, "")
	})
}

// Enable lets a disabled user sign in again; they need a new password link or password.
func (s *Service) Enable(ctx context.Context, p crm.Principal, id int64) error {
	if err := s.core.AdminChange(ctx, p, "enable users", "user", id); err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.EnableUser(ctx, service.Actor(p), id); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "user.enabled", "user", id, "")
	})
}

// Get returns one user.
func (s *Service) Get(ctx context.Context, p crm.Principal, id int64) (*crm.User, error) {
	if p.Role == "" {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.User(ctx, id)
}

// AuditLog returns security events, newest first; administrators only.
func (s *Service) AuditLog(ctx context.Context, p crm.Principal, event string, limit int, after string) (service.Page[store.AuditEvent], error) {
	if err := service.RequireAdmin(p, "read the audit log"); err != nil {
		return service.Page[store.AuditEvent]{}, err
	}
	return s.core.DB.AuditLog(ctx, event, limit, after)
}
