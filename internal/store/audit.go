package store

import (
	"context"
	"fmt"
	"time"
)

// AuditEvent is one security event.
type AuditEvent struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Event    string    `json:"event"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Source   string    `json:"source"`
	Entity   string    `json:"entity,omitempty"`
	EntityID int64     `json:"entity_id,omitempty"`
	IP       string    `json:"ip,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// Audit records a security event.
func (tx *Tx) Audit(ctx context.Context, e AuditEvent) error {
	if e.At.IsZero() {
		e.At = tx.Now()
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, event, actor_id, source, entity, entity_id, ip, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.At, e.Event, NullInt(e.ActorID), e.Source, NullString(e.Entity),
		NullInt(e.EntityID), NullString(e.IP), NullString(e.Detail))
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Event, err)
	}
	return nil
}

// AuditLog returns audit events, newest first, optionally of one event kind.
func (r Reader) AuditLog(ctx context.Context, event string, limit int, after string) (Page[AuditEvent], error) {
	var page Page[AuditEvent]
	limit = ClampLimit(limit, 50, 1000)
	c, err := DecodeCursor(after)
	if err != nil {
		return page, err
	}
	var b Buf
	b.WriteString(`SELECT id, at, event, COALESCE(actor_id, 0), source, COALESCE(entity, ''), COALESCE(entity_id, 0),
		COALESCE(ip, ''), COALESCE(detail, '') FROM audit_log WHERE 1 = 1`)
	if event != "" {
		b.WriteString(" AND event = " + b.Arg(event))
	}
	if c.ID != 0 {
		b.WriteString(" AND id < " + b.Arg(c.ID))
	}
	b.WriteString(" ORDER BY id DESC LIMIT " + b.Arg(limit+1))
	rows, err := r.Query(ctx, b.String(), b.Args...)
	if err != nil {
		return page, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.Event, &e.ActorID, &e.Source, &e.Entity, &e.EntityID, &e.IP, &e.Detail); err != nil {
			return page, err
		}
		e.At = e.At.UTC()
		page.Items = append(page.Items, e)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = Cursor{ID: page.Items[limit-1].ID}.Encode()
	}
	return page, rows.Err()
}
