package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tili/internal/crm"
)

// Shares returns the explicit shares of a record.
func (r Reader) Shares(ctx context.Context, entity string, id int64) ([]crm.Share, error) {
	return r.queryShares(ctx, `SELECT id, entity, entity_id, COALESCE(user_id, 0), COALESCE(team_id, 0), level, created_at
		FROM shares WHERE entity = $1 AND entity_id = $2 ORDER BY id`, entity, id)
}

// ShareByID returns one share, or crm.NotFound.
func (r Reader) ShareByID(ctx context.Context, id int64) (*crm.Share, error) {
	list, err := r.queryShares(ctx, `SELECT id, entity, entity_id, COALESCE(user_id, 0), COALESCE(team_id, 0), level, created_at
		FROM shares WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no share #%d", id)
	}
	return &list[0], nil
}

func (r Reader) queryShares(ctx context.Context, query string, args ...any) ([]crm.Share, error) {
	rows, err := r.Cached(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: shares: %w", err)
	}
	defer rows.Close()
	var out []crm.Share
	for rows.Next() {
		var s crm.Share
		if err := rows.Scan(&s.ID, &s.Entity, &s.EntityID, &s.UserID, &s.TeamID, &s.Level, &s.CreatedAt); err != nil {
			return nil, err
		}
		s.CreatedAt = s.CreatedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// PutShare grants a user or a team read or edit on a record, replacing an earlier grant to the same
// user or team, and records it in the record's history.
func (tx *Tx) PutShare(ctx context.Context, by Actor, s *crm.Share) error {
	who, col, id := "user", "user_id", s.UserID
	if s.TeamID != 0 {
		who, col, id = "team", "team_id", s.TeamID
	}
	var existing int64
	var level string
	err := tx.QueryRow(ctx, `SELECT id, level FROM shares WHERE entity = $1 AND entity_id = $2 AND `+col+` = $3`,
		s.Entity, s.EntityID, id).Scan(&existing, &level)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = tx.QueryRow(ctx, `INSERT INTO shares (entity, entity_id, user_id, team_id, level, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			s.Entity, s.EntityID, NullInt(s.UserID), NullInt(s.TeamID), string(s.Level), tx.Now(), NullInt(by.UserID)).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("store: share %s %d: %w", s.Entity, s.EntityID, err)
		}
	case err != nil:
		return fmt.Errorf("store: share %s %d: %w", s.Entity, s.EntityID, err)
	default:
		s.ID = existing
		if _, err := tx.Exec(ctx, `UPDATE shares SET level = $1 WHERE id = $2`, string(s.Level), existing); err != nil {
			return fmt.Errorf("store: share %d: %w", existing, err)
		}
	}
	s.CreatedAt = tx.Now()
	return tx.WriteHistory(ctx, by, s.Entity, s.EntityID, []Change{{"share." + who + "." + fmt.Sprint(id), level, string(s.Level)}})
}

// DeleteShare withdraws a share and records it in the record's history.
func (tx *Tx) DeleteShare(ctx context.Context, by Actor, s *crm.Share) error {
	res, err := tx.Exec(ctx, `DELETE FROM shares WHERE id = $1`, s.ID)
	if err != nil {
		return fmt.Errorf("store: delete share %d: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.NotFound, "there is no share #%d", s.ID)
	}
	who, id := "user", s.UserID
	if s.TeamID != 0 {
		who, id = "team", s.TeamID
	}
	return tx.WriteHistory(ctx, by, s.Entity, s.EntityID, []Change{{"share." + who + "." + fmt.Sprint(id), string(s.Level), ""}})
}

// Sharing returns the sharing setting of each record type; a type without one is left out.
func (r Reader) Sharing(ctx context.Context) (map[string]crm.Sharing, error) {
	rows, err := r.Cached(ctx, `SELECT key, value FROM settings WHERE key LIKE 'sharing.%'`)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	out := map[string]crm.Sharing{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k[len("sharing."):]] = crm.Sharing(v)
	}
	return out, rows.Err()
}

// SetSharing sets how far teammates see records of entity.
func (tx *Tx) SetSharing(ctx context.Context, by Actor, entity string, s crm.Sharing) error {
	now := tx.Now()
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		"sharing."+entity, string(s), now, NullInt(by.UserID))
	if err != nil {
		return fmt.Errorf("store: sharing of %s: %w", entity, err)
	}
	return nil
}
