package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
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

// RecordExport notes in the audit log that p exported rows records of entity.
func (s *Services) RecordExport(ctx context.Context, p crm.Principal, entity, format string, rows int) error {
	return s.Accounts.auditAlone(ctx, p, "export", entity, 0, fmt.Sprintf("format=%s rows=%d", format, rows))
}
