package service

import (
	"context"

	"tili/internal/crm"
)

// Users is the use-case surface for users and teams.
type Users struct{ *base }

func requireAdmin(p crm.Principal, what string) error {
	if p.Role != crm.Admin {
		return crm.Errorf(crm.Forbidden, "only an administrator may %s", what)
	}
	return nil
}

// Create adds a user; only administrators may.
func (s *Users) Create(ctx context.Context, p crm.Principal, u *crm.User) error {
	if err := requireAdmin(p, "add users"); err != nil {
		return err
	}
	u.ID = 0
	if err := u.Validate(); err != nil {
		return err
	}
	for _, t := range u.TeamIDs {
		if _, err := s.db.Team(ctx, t); err != nil {
			return err
		}
	}
	return s.db.CreateUser(ctx, actor(p), u)
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
	if err := requireAdmin(p, "add teams"); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.db.CreateTeam(ctx, actor(p), t)
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
