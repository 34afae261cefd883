package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
)

// Ready reports whether tili can serve: the database answers and its schema is the version this binary
// was built for. The error says what is wrong.
func (b *Core) Ready(ctx context.Context) error {
	if err := b.DB.Ping(ctx); err != nil {
		return fmt.Errorf("the database does not answer: %w", err)
	}
	current, want, err := b.DB.SchemaStatus(ctx)
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
func (b *Core) IsEmpty(ctx context.Context) (bool, error) { return b.DB.IsEmpty(ctx) }

// UserCount returns how many users there are; with none, the first administrator is still to be set up.
func (b *Core) UserCount(ctx context.Context) (int, error) { return b.DB.CountUsers(ctx) }

// RecordExport notes in the audit log that p exported rows records of entity.
func (b *Core) RecordExport(ctx context.Context, p crm.Principal, entity, format string, rows int) error {
	return b.AuditAlone(ctx, p, "export", entity, 0, fmt.Sprintf("format=%s rows=%d", format, rows))
}
