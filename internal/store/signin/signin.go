package signin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
)

// The stored side of signing in: password hashes, sessions, API tokens, one-time links, failed
// attempts, known browsers and the audit log. What these mean is decided by service and auth; here
// they are only kept.

// PasswordHash returns the stored password hash of a user ("" when none is set).
func PasswordHash(ctx context.Context, r store.Reader, userID int64) (string, error) {
	var h sql.NullString
	err := r.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", crm.Errorf(crm.NotFound, "there is no user #%d", userID)
	}
	return h.String, err
}

// SetPasswordHash stores a user's new password hash and ends every session of theirs but keep (the
// session the change was made in, "" for none).
func SetPasswordHash(ctx context.Context, tx *store.Tx, by store.Actor, userID int64, hash, keep string) error {
	now := tx.Now()
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2,
		version = version + 1, updated_by = $3 WHERE id = $4`, hash, now, store.NullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: password of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.NotFound, "there is no user #%d", userID)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token <> $2`, userID, keep); err != nil {
		return fmt.Errorf("store: sessions of user %d: %w", userID, err)
	}
	return tx.WriteHistory(ctx, by, "user", userID, []store.Change{{Field: "password", New: "changed"}})
}

// RehashPassword replaces a password hash with one of the same password under current parameters; it is
// no change a person made, so nothing else changes.
func RehashPassword(ctx context.Context, tx *store.Tx, userID int64, hash string) error {
	_, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	return err
}

// FindSession returns the data of a live session.
func FindSession(ctx context.Context, r store.Reader, token string) ([]byte, bool, error) {
	var b []byte
	err := r.CachedRow(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, r.Now()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: session: %w", err)
	}
	return b, true, nil
}

// CommitSession saves a session's data until expiry, noting whose it is (0: nobody signed in).
func CommitSession(ctx context.Context, tx *store.Tx, token string, data []byte, expiry time.Time, userID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, user_id = excluded.user_id`,
		token, data, expiry.UTC(), store.NullInt(userID))
	if err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func DeleteSession(ctx context.Context, tx *store.Tx, token string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and failed sign-ins older than an hour.
func DeleteExpiredSessions(ctx context.Context, tx *store.Tx) error {
	now := tx.Now()
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now); err != nil {
		return fmt.Errorf("store: expired sessions: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM auth_failures WHERE at < $1`, now.Add(-time.Hour)); err != nil {
		return fmt.Errorf("store: old sign-in failures: %w", err)
	}
	return nil
}

// CountSessions returns how many live sessions a user has.
func CountSessions(ctx context.Context, r store.Reader, userID int64) (int, error) {
	var n int
	err := r.QueryRow(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expiry > $2`, userID, r.Now()).Scan(&n)
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
func CreateAPIToken(ctx context.Context, tx *store.Tx, by store.Actor, t *APIToken, hash string) error {
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, scope, token_hash, prefix, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.UserID, t.Name, t.Scope, hash, t.Prefix, now, store.NullInt(by.UserID)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create API token: %w", err)
	}
	t.CreatedAt = now
	return nil
}

const tokenColumns = `id, user_id, name, scope, prefix, created_at, last_used_at, revoked_at, token_hash`

func scanToken(s store.Scanner) (*APIToken, error) {
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
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), store.TimePtr(used), store.TimePtr(revoked)
	}
}

// APITokenUser returns the live token with the hash and its user, in one round trip, or crm.NotFound.
func APITokenUser(ctx context.Context, r store.Reader, hash string) (*APIToken, *crm.User, error) {
	rows, err := r.Cached(ctx, `SELECT t.*, `+store.UserColumns+`, COALESCE(tm.team_id, 0)
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
		if users, err = store.ScanUserRow(rows, users, dest...); err != nil {
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
func APITokens(ctx context.Context, r store.Reader, userID int64) ([]*APIToken, error) {
	var b store.Buf
	q := `SELECT ` + tokenColumns + ` FROM api_tokens`
	if userID != 0 {
		q += ` WHERE user_id = ` + b.Arg(userID)
	}
	rows, err := r.Query(ctx, q+` ORDER BY id DESC`, b.Args...)
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
func APITokenByID(ctx context.Context, r store.Reader, id int64) (*APIToken, error) {
	t, err := scanToken(r.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "there is no API token #%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: API token %d: %w", id, err)
	}
	return t, nil
}

// RevokeAPIToken ends a token.
func RevokeAPIToken(ctx context.Context, tx *store.Tx, id int64) error {
	res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.Now(), id)
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
func TouchAPIToken(ctx context.Context, tx *store.Tx, t *APIToken) error {
	now := tx.Now()
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID)
	if err != nil {
		return fmt.Errorf("store: API token %d: %w", t.ID, err)
	}
	t.LastUsedAt = &now
	return nil
}

// EndSignIns ends every session, API token, known browser and unused one-time link of a user.
func EndSignIns(ctx context.Context, tx *store.Tx, userID int64) error {
	now := tx.Now()
	for _, st := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
		{`UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, []any{now, userID}},
		{`DELETE FROM known_devices WHERE user_id = $1`, []any{userID}},
		{`UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, []any{now, userID}},
	} {
		if _, err := tx.Exec(ctx, st.query, st.args...); err != nil {
			return fmt.Errorf("store: end the sign-ins of user %d: %w", userID, err)
		}
	}
	return nil
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
func CreateOneTimeLink(ctx context.Context, tx *store.Tx, l *OneTimeLink, hash string) error {
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE one_time_links SET used_at = $1 WHERE purpose = $2 AND COALESCE(user_id, 0) = $3 AND used_at IS NULL`,
		now, l.Purpose, l.UserID); err != nil {
		return fmt.Errorf("store: one-time links: %w", err)
	}
	return tx.QueryRow(ctx, `INSERT INTO one_time_links (purpose, user_id, token_hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, l.Purpose, store.NullInt(l.UserID), hash, l.ExpiresAt.UTC(), now).Scan(&l.ID)
}

// OneTimeLinkByHash returns the unused, unexpired link with the hash, or crm.NotFound.
func OneTimeLinkByHash(ctx context.Context, r store.Reader, hash string) (*OneTimeLink, error) {
	var l OneTimeLink
	err := r.QueryRow(ctx, `SELECT id, purpose, COALESCE(user_id, 0), expires_at FROM one_time_links
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, hash, r.Now()).Scan(&l.ID, &l.Purpose, &l.UserID, &l.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "this link is not valid: it was used already, has expired or was replaced by a newer one; ask for a new one")
	}
	if err != nil {
		return nil, fmt.Errorf("store: one-time link: %w", err)
	}
	return &l, nil
}

// UseOneTimeLink marks a link used; false when someone used it first.
func UseOneTimeLink(ctx context.Context, tx *store.Tx, id int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE one_time_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.Now(), id)
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
func AuthFailures(ctx context.Context, r store.Reader, kind, key string) (Failures, error) {
	var f Failures
	rows, err := r.Query(ctx, `SELECT at FROM auth_failures WHERE kind = $1 AND key = $2 AND at > $3 ORDER BY at`,
		kind, key, r.Now().Add(-time.Hour))
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
func AddAuthFailure(ctx context.Context, tx *store.Tx, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if _, err := tx.Exec(ctx, `INSERT INTO auth_failures (kind, key, at) VALUES ($1, $2, $3)`, pairs[i], pairs[i+1], tx.Now()); err != nil {
			return fmt.Errorf("store: sign-in failure: %w", err)
		}
	}
	return nil
}

// ClearAuthFailures forgets the failures of one key, after a successful sign-in.
func ClearAuthFailures(ctx context.Context, tx *store.Tx, kind, key string) error {
	_, err := tx.Exec(ctx, `DELETE FROM auth_failures WHERE kind = $1 AND key = $2`, kind, key)
	return err
}

// KnownDevice returns the user a known-browser token belongs to (0 for none).
func KnownDevice(ctx context.Context, r store.Reader, hash string) (int64, error) {
	var uid int64
	err := r.QueryRow(ctx, `SELECT user_id FROM known_devices WHERE token_hash = $1`, hash).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return uid, err
}

// RememberDevice stores a browser's token after a successful sign-in of userID.
func RememberDevice(ctx context.Context, tx *store.Tx, hash string, userID int64) error {
	now := tx.Now()
	_, err := tx.Exec(ctx, `INSERT INTO known_devices (token_hash, user_id, created_at, last_used) VALUES ($1, $2, $3, $3)
		ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, last_used = excluded.last_used`, hash, userID, now)
	if err != nil {
		return fmt.Errorf("store: known device: %w", err)
	}
	return nil
}
