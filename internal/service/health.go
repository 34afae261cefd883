package service

import (
	"context"
	"fmt"
)

// Ready reports whether tili can serve: the database answers and its schema is the version this binary
// was built for. The error says what is wrong.
func (s *Services) Ready(ctx context.Context) error {
	if err := s.Accounts.db.Ping(ctx); err != nil {
		return fmt.Errorf("the database does not answer: %w", err)
	}
	current, want, err := s.Accounts.db.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	if current < want {
		return fmt.Errorf("the database schema is at version %d, this tili needs %d: run 'tili migrate up'", current, want)
	}
	if current > want {
		return fmt.Errorf("the database schema is at version %d, newer than this tili knows (%d): run a newer tili", current, want)
	}
	return nil
}

// IsEmpty reports whether the database holds no users, companies or people (demo data goes only there).
func (s *Services) IsEmpty(ctx context.Context) (bool, error) { return s.Accounts.db.IsEmpty(ctx) }

// UserCount returns how many users there are; with none, the first administrator is still to be set up.
func (s *Services) UserCount(ctx context.Context) (int, error) { return s.Accounts.db.CountUsers(ctx) }
