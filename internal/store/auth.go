package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tili/internal/crm"
)

// The stored side of signing in: password hashes, sessions, API tokens, one-time links, failed
// attempts, known browsers and the audit log. What these mean is decided by service and auth; here
// they are only kept.

// PasswordHash returns the stored password hash of a user ("" when none is set).
func (r Reader) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h sql.NullString
	err := r.q.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", crm.Errorf(crm.NotFound, "there is no user #%d", userID)
	}
	return h.String, err
}

// SetPasswordHash stores a user's new password hash and ends every session of theirs but keep (the
// session the change was made in, "" for none).
func (tx *Tx) SetPasswordHash(ctx context.Context, by Actor, userID int64, hash, keep string) error {
	now := tx.at
	res, err := tx.tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2,
		version = version + 1, updated_by = $3 WHERE id = $4`, hash, now, nullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: password of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.NotFound, "there is no user #%d", userID)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token <> $2`, userID, keep); err != nil {
		return fmt.Errorf("store: sessions of user %d: %w", userID, err)
	}
	return tx.writeHistory(ctx, by, "user", userID, []change{{"password", "", "changed"}})
}

// RehashPassword replaces a password hash with one of the same password under current parameters; it is
// no change a person made, so nothing else changes.
func (tx *Tx) RehashPassword(ctx context.Context, userID int64, hash string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	return err
}

// FindSession returns the data of a live session.
func (r Reader) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := r.queryRow(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, r.now()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: session: %w", err)
	}
	return b, true, nil
}

// CommitSession saves a session's data until expiry, noting whose it is (0: nobody signed in).
func (tx *Tx) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time, userID int64) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, user_id = excluded.user_id`,
		token, data, expiry.UTC(), nullInt(userID))
	if err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(ctx context.Context, token string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and failed sign-ins older than an hour.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context) error {
	now := tx.at
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now); err != nil {
		return fmt.Errorf("store: expired sessions: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM auth_failures WHERE at < $1`, now.Add(-time.Hour)); err != nil {
		return fmt.Errorf("store: old sign-in failures: %w", err)
	}
	return nil
}

// CountSessions returns how many live sessions a user has.
func (r Reader) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expiry > $2`, userID, r.now()).Scan(&n)
	return n, err
}

// APIToken is an API token as stored: its hash, never the token itself.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"` // read, write
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	hash       string
}

// CreateAPIToken stores a new token by its hash.
func (tx *Tx) CreateAPIToken(ctx context.Context, by Actor, t *APIToken, hash string) error {
	now := tx.at
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, scope, token_hash, prefix, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.UserID, t.Name, t.Scope, hash, t.Prefix, now, nullInt(by.UserID)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create API token: %w", err)
	}
	t.CreatedAt = now
	return nil
}

const tokenColumns = `id, user_id, name, scope, prefix, created_at, last_used_at, revoked_at, token_hash`

func scanToken(s scanner) (*APIToken, error) {
	var t APIToken
	dest, done := tokenDest(&t)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &t, nil
}

// tokenDest returns where a row of tokenColumns is scanned into t, and what finishes t once it has been.
func tokenDest(t *APIToken) ([]any, func()) {
	var used, revoked sql.NullTime
	return []any{&t.ID, &t.UserID, &t.Name, &t.Scope, &t.Prefix, &t.CreatedAt, &used, &revoked, &t.hash}, func() {
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), timePtr(used), timePtr(revoked)
	}
}

// APITokenUser returns the live token with the hash and its user, in one round trip, or crm.NotFound.
func (r Reader) APITokenUser(ctx context.Context, hash string) (*APIToken, *crm.User, error) {
	rows, err := r.query(ctx, `SELECT t.*, `+userColumns+`, COALESCE(tm.team_id, 0)
		FROM (SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL) t
		JOIN users u ON u.id = t.user_id LEFT JOIN team_members tm ON tm.user_id = u.id ORDER BY tm.position`, hash)
	if err != nil {
		return nil, nil, fmt.Errorf("store: API token: %w", err)
	}
	defer rows.Close()
	var t APIToken
	dest, done := tokenDest(&t)
	var users []*crm.User
	for rows.Next() {
		if users, err = scanUserRow(rows, users, dest...); err != nil {
			return nil, nil, fmt.Errorf("store: API token: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: API token: %w", err)
	}
	if len(users) == 0 {
		return nil, nil, crm.Errorf(crm.NotFound, "no such token")
	}
	done()
	return &t, users[0], nil
}

// APITokens returns the tokens of a user (0: of everyone), newest first, revoked ones included.
func (r Reader) APITokens(ctx context.Context, userID int64) ([]*APIToken, error) {
	var b sqlBuf
	q := `SELECT ` + tokenColumns + ` FROM api_tokens`
	if userID != 0 {
		q += ` WHERE user_id = ` + b.arg(userID)
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY id DESC`, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens: %w", err)
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// APITokenByID returns a token, revoked or not, or crm.NotFound.
func (r Reader) APITokenByID(ctx context.Context, id int64) (*APIToken, error) {
	t, err := scanToken(r.q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "there is no API token #%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: API token %d: %w", id, err)
	}
	return t, nil
}

// RevokeAPIToken ends a token.
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.at, id)
	if err != nil {
		return fmt.Errorf("store: revoke API token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.NotFound, "there is no live API token #%d", id)
	}
	return nil
}

// TouchAPIToken notes that a token was used at the transaction's time; the caller decides how often
// (a read request writes at most once a minute per token).
func (tx *Tx) TouchAPIToken(ctx context.Context, t *APIToken) error {
	now := tx.at
	_, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID)
	if err != nil {
		return fmt.Errorf("store: API token %d: %w", t.ID, err)
	}
	t.LastUsedAt = &now
	return nil
}

// DisableUser marks a user disabled and ends every session and API token of theirs, in one transaction.
func (tx *Tx) DisableUser(ctx context.Context, by Actor, userID int64) error {
	now := tx.at
	res, err := tx.tx.ExecContext(ctx, `UPDATE users SET disabled_at = $1, updated_at = $1, updated_by = $2, version = version + 1
		WHERE id = $3 AND disabled_at IS NULL`, now, nullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: disable user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.Conflict, "user #%d is already disabled or does not exist", userID)
	}
	for _, st := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
		{`UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, []any{now, userID}},
		{`DELETE FROM known_devices WHERE user_id = $1`, []any{userID}},
		{`UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, []any{now, userID}},
	} {
		if _, err := tx.tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return fmt.Errorf("store: disable user %d: %w", userID, err)
		}
	}
	return tx.writeHistory(ctx, by, "user", userID, []change{{"disabled", "", "yes"}})
}

// EnableUser lets a disabled user sign in again (with a new password: their sessions and tokens are gone).
func (tx *Tx) EnableUser(ctx context.Context, by Actor, userID int64) error {
	now := tx.at
	res, err := tx.tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL, updated_at = $1, updated_by = $2, version = version + 1
		WHERE id = $3 AND disabled_at IS NOT NULL`, now, nullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: enable user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.Conflict, "user #%d is not disabled", userID)
	}
	return tx.writeHistory(ctx, by, "user", userID, []change{{"disabled", "yes", ""}})
}

// OneTimeLink is a stored one-time link: what it is for, whose it is, until when it works.
type OneTimeLink struct {
	ID        int64
	Purpose   string // setup, password
	UserID    int64  // 0 for the first administrator's set-up
	ExpiresAt time.Time
}

// CreateOneTimeLink stores a link by the hash of its token; earlier unused links of the same purpose and
// user stop working.
func (tx *Tx) CreateOneTimeLink(ctx context.Context, l *OneTimeLink, hash string) error {
	now := tx.at
	if _, err := tx.tx.ExecContext(ctx, `UPDATE one_time_links SET used_at = $1 WHERE purpose = $2 AND COALESCE(user_id, 0) = $3 AND used_at IS NULL`,
		now, l.Purpose, l.UserID); err != nil {
		return fmt.Errorf("store: one-time links: %w", err)
	}
	return tx.tx.QueryRowContext(ctx, `INSERT INTO one_time_links (purpose, user_id, token_hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, l.Purpose, nullInt(l.UserID), hash, l.ExpiresAt.UTC(), now).Scan(&l.ID)
}

// OneTimeLinkByHash returns the unused, unexpired link with the hash, or crm.NotFound.
func (r Reader) OneTimeLinkByHash(ctx context.Context, hash string) (*OneTimeLink, error) {
	var l OneTimeLink
	err := r.q.QueryRowContext(ctx, `SELECT id, purpose, COALESCE(user_id, 0), expires_at FROM one_time_links
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, hash, r.now()).Scan(&l.ID, &l.Purpose, &l.UserID, &l.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "this link is not valid: it was used already, has expired or was replaced by a newer one; ask for a new one")
	}
	if err != nil {
		return nil, fmt.Errorf("store: one-time link: %w", err)
	}
	return &l, nil
}

// UseOneTimeLink marks a link used; false when someone used it first.
func (tx *Tx) UseOneTimeLink(ctx context.Context, id int64) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE one_time_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.at, id)
	if err != nil {
		return false, fmt.Errorf("store: one-time link %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Failures tells how many sign-ins failed for a key in the last hour, and when the first and last were.
type Failures struct {
	Count        int
	Oldest, Last time.Time
}

// AuthFailures returns the failed sign-ins of the last hour for kind (account, ip) and key. Throttling
// keeps them to a hundred or so per key, so they are read as rows.
func (r Reader) AuthFailures(ctx context.Context, kind, key string) (Failures, error) {
	var f Failures
	rows, err := r.q.QueryContext(ctx, `SELECT at FROM auth_failures WHERE kind = $1 AND key = $2 AND at > $3 ORDER BY at`,
		kind, key, r.now().Add(-time.Hour))
	if err != nil {
		return f, fmt.Errorf("store: sign-in failures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return f, err
		}
		if f.Count == 0 {
			f.Oldest = at.UTC()
		}
		f.Last = at.UTC()
		f.Count++
	}
	return f, rows.Err()
}

// AddAuthFailure records a failed sign-in for each kind and key given (pairs: kind, key, kind, key…).
func (tx *Tx) AddAuthFailure(ctx context.Context, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO auth_failures (kind, key, at) VALUES ($1, $2, $3)`, pairs[i], pairs[i+1], tx.at); err != nil {
			return fmt.Errorf("store: sign-in failure: %w", err)
		}
	}
	return nil
}

// ClearAuthFailures forgets the failures of one key, after a successful sign-in.
func (tx *Tx) ClearAuthFailures(ctx context.Context, kind, key string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM auth_failures WHERE kind = $1 AND key = $2`, kind, key)
	return err
}

// KnownDevice returns the user a known-browser token belongs to (0 for none).
func (r Reader) KnownDevice(ctx context.Context, hash string) (int64, error) {
	var uid int64
	err := r.q.QueryRowContext(ctx, `SELECT user_id FROM known_devices WHERE token_hash = $1`, hash).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return uid, err
}

// RememberDevice stores a browser's token after a successful sign-in of userID.
func (tx *Tx) RememberDevice(ctx context.Context, hash string, userID int64) error {
	now := tx.at
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO known_devices (token_hash, user_id, created_at, last_used) VALUES ($1, $2, $3, $3)
		ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, last_used = excluded.last_used`, hash, userID, now)
	if err != nil {
		return fmt.Errorf("store: known device: %w", err)
	}
	return nil
}

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
		e.At = tx.at
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO audit_log (at, event, actor_id, source, entity, entity_id, ip, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.At, e.Event, nullInt(e.ActorID), e.Source, nullString(e.Entity),
		nullInt(e.EntityID), nullString(e.IP), nullString(e.Detail))
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Event, err)
	}
	return nil
}

// AuditLog returns audit events, newest first, optionally of one event kind.
func (r Reader) AuditLog(ctx context.Context, event string, limit int, after string) (Page[AuditEvent], error) {
	var page Page[AuditEvent]
	limit = clampLimit(limit, 50, 1000)
	c, err := decodeCursor(after)
	if err != nil {
		return page, err
	}
	var b sqlBuf
	b.WriteString(`SELECT id, at, event, COALESCE(actor_id, 0), source, COALESCE(entity, ''), COALESCE(entity_id, 0),
		COALESCE(ip, ''), COALESCE(detail, '') FROM audit_log WHERE 1 = 1`)
	if event != "" {
		b.WriteString(" AND event = " + b.arg(event))
	}
	if c.ID != 0 {
		b.WriteString(" AND id < " + b.arg(c.ID))
	}
	b.WriteString(" ORDER BY id DESC LIMIT " + b.arg(limit+1))
	rows, err := r.q.QueryContext(ctx, b.String(), b.args...)
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
		page.Next = cursor{ID: page.Items[limit-1].ID}.encode()
	}
	return page, rows.Err()
}
