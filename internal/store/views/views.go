package views

import (
	"context"
	"fmt"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
)

// SavedView is a user's named filter of a list page.
type SavedView struct {
	ID        int64     `json:"id"`
	Page      string    `json:"page"` // companies, people
	Name      string    `json:"name"`
	Query     string    `json:"query"` // the list page's query string
	CreatedAt time.Time `json:"created_at"`
}

// List returns a user's views of a page, by name.
func List(ctx context.Context, r store.Reader, userID int64, page string) ([]SavedView, error) {
	rows, err := r.Cached(ctx, `SELECT id, page, name, query, created_at FROM saved_views
		WHERE user_id = $1 AND page = $2 ORDER BY name, id`, userID, page)
	if err != nil {
		return nil, fmt.Errorf("store: saved views: %w", err)
	}
	defer rows.Close()
	var out []SavedView
	for rows.Next() {
		var v SavedView
		if err := rows.Scan(&v.ID, &v.Page, &v.Name, &v.Query, &v.CreatedAt); err != nil {
			return nil, err
		}
		v.CreatedAt = v.CreatedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// Save stores a view; a view of the same name on the same page is replaced.
func Save(ctx context.Context, tx *store.Tx, userID int64, v *SavedView) error {
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO saved_views (user_id, page, name, query, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, page, name) DO UPDATE SET query = excluded.query RETURNING id`,
		userID, v.Page, v.Name, v.Query, now).Scan(&v.ID)
	if err != nil {
		return fmt.Errorf("store: save view: %w", err)
	}
	v.CreatedAt = now
	return nil
}

// Delete removes one of a user's views.
func Delete(ctx context.Context, tx *store.Tx, userID, id int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM saved_views WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("store: delete view: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.NotFound, "there is no saved view #%d", id)
	}
	return nil
}
