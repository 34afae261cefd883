package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tili/internal/crm"
)

// UserColumns are the columns ScanUserRow reads, of users aliased u.
const UserColumns = `u.id, u.email, u.name, u.role, u.language, u.time_zone, u.theme, COALESCE(u.manager_id, 0), u.disabled_at,
	u.version, u.created_at, u.updated_at`

// CreateUser inserts u (already validated) with its team memberships and a history line.
func (tx *Tx) CreateUser(ctx context.Context, by Actor, u *crm.User) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, u.Email).Scan(&id)
	if err == nil {
		return &crm.Error{Code: crm.Duplicate, Field: "email", Message: fmt.Sprintf("there is already a user %s (#%d)", u.Email, id)}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: user %s: %w", u.Email, err)
	}
	if u.ManagerID != 0 {
		if _, err := tx.User(ctx, u.ManagerID); err != nil {
			return crm.FieldError("manager", "there is no user #%d to be the manager", u.ManagerID)
		}
	}
	now := tx.Now()
	err = tx.QueryRow(ctx, `INSERT INTO users (email, name, role, language, time_zone, theme, manager_id, version,
		created_at, updated_at, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8, $9, $9) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.Language, u.TimeZone, u.Theme, NullInt(u.ManagerID), now, NullInt(by.UserID)).Scan(&u.ID)
	if err != nil {
		if IsUniqueViolation(err) {
			return &crm.Error{Code: crm.Duplicate, Field: "email", Message: fmt.Sprintf("there is already a user %s", u.Email)}
		}
		return fmt.Errorf("store: create user %s: %w", u.Email, err)
	}
	u.Version, u.CreatedAt, u.UpdatedAt = 1, now, now
	for i, team := range u.TeamIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id, position) VALUES ($1, $2, $3)`, team, u.ID, i); err != nil {
			return fmt.Errorf("store: team %d of user %s: %w", team, u.Email, err)
		}
	}
	return tx.WriteHistory(ctx, by, "user", u.ID, []Change{{"created", "", u.Email + " (" + string(u.Role) + ")"}})
}

func (r Reader) user(ctx context.Context, id int64) (*crm.User, error) {
	users, err := r.queryUsers(ctx, `WHERE u.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no user #%d", id)
	}
	return users[0], nil
}

// User returns the user with id, or a crm.NotFound error.
func (r Reader) User(ctx context.Context, id int64) (*crm.User, error) {
	return r.user(ctx, id)
}

// UserByEmail returns the user with the e-mail address (any case), or a crm.NotFound error.
func (r Reader) UserByEmail(ctx context.Context, email string) (*crm.User, error) {
	users, err := r.queryUsers(ctx, `WHERE u.email = $1`, crm.EmailKey(email))
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no user %s", email)
	}
	return users[0], nil
}

// Users returns every user, by name.
func (r Reader) Users(ctx context.Context) ([]*crm.User, error) {
	return r.queryUsers(ctx, ``)
}

// CountUsers returns how many users there are.
func (r Reader) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := r.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// queryUsers returns the users matching where (a WHERE clause on users u, or ""), by name, with their
// teams in one round trip: a row per user and team, the teams in their order.
func (r Reader) queryUsers(ctx context.Context, where string, args ...any) ([]*crm.User, error) {
	rows, err := r.Cached(ctx, `SELECT `+UserColumns+`, COALESCE(tm.team_id, 0) FROM users u
		LEFT JOIN team_members tm ON tm.user_id = u.id `+where+` ORDER BY u.name, u.id, tm.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var users []*crm.User
	for rows.Next() {
		if users, err = ScanUserRow(rows, users); err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
	}
	return users, rows.Err()
}

// ScanUserRow reads a row of UserColumns and one team id (0 for none), preceded by the values of
// before, and appends the user to users, or only the team when the row is of the last user again.
func ScanUserRow(s Scanner, users []*crm.User, before ...any) ([]*crm.User, error) {
	var u crm.User
	var disabled sql.NullTime
	var team int64
	if err := s.Scan(append(before, &u.ID, &u.Email, &u.Name, &u.Role, &u.Language, &u.TimeZone, &u.Theme, &u.ManagerID,
		&disabled, &u.Version, &u.CreatedAt, &u.UpdatedAt, &team)...); err != nil {
		return users, err
	}
	if n := len(users); n > 0 && users[n-1].ID == u.ID {
		users[n-1].TeamIDs = append(users[n-1].TeamIDs, team)
		return users, nil
	}
	u.DisabledAt = TimePtr(disabled)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	if team != 0 {
		u.TeamIDs = []int64{team}
	}
	return append(users, &u), nil
}

// UsersBelowAndSharing returns the users who report to id, directly or further down the manager
// hierarchy, by id, and the sharing settings (as Sharing does): what a sales head's or account
// manager's visibility needs besides their own user, read in one round trip.
func (r Reader) UsersBelowAndSharing(ctx context.Context, id int64) ([]int64, map[string]crm.Sharing, error) {
	rows, err := r.Cached(ctx, `WITH RECURSIVE below(id) AS (
			SELECT id FROM users WHERE manager_id = $1
			UNION SELECT u.id FROM users u JOIN below b ON u.manager_id = b.id)
		SELECT id, '', '' FROM below WHERE id <> $1
		UNION ALL SELECT 0, key, value FROM settings WHERE key LIKE 'sharing.%'`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: users below %d: %w", id, err)
	}
	defer rows.Close()
	var ids []int64
	sharing := map[string]crm.Sharing{}
	for rows.Next() {
		var i int64
		var k, v string
		if err := rows.Scan(&i, &k, &v); err != nil {
			return nil, nil, fmt.Errorf("store: users below %d: %w", id, err)
		}
		if i != 0 {
			ids = append(ids, i)
		} else {
			sharing[strings.TrimPrefix(k, "sharing.")] = crm.Sharing(v)
		}
	}
	slices.Sort(ids)
	return ids, sharing, rows.Err()
}

// CreateTeam inserts a team (already validated).
func (tx *Tx) CreateTeam(ctx context.Context, by Actor, t *crm.Team) error {
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO teams (name, name_norm, version, created_at, updated_at, created_by, updated_by)
		VALUES ($1, $2, 1, $3, $3, $4, $4) RETURNING id`, t.Name, crm.Fold(t.Name), now, NullInt(by.UserID)).Scan(&t.ID)
	if IsUniqueViolation(err) {
		return &crm.Error{Code: crm.Duplicate, Field: "name", Message: fmt.Sprintf("there is already a team called %s", t.Name)}
	}
	if err != nil {
		return fmt.Errorf("store: create team %s: %w", t.Name, err)
	}
	t.Version, t.CreatedAt = 1, now
	return tx.WriteHistory(ctx, by, "team", t.ID, []Change{{"created", "", t.Name}})
}

// Teams returns every team, by name.
func (r Reader) Teams(ctx context.Context) ([]*crm.Team, error) {
	return r.queryTeams(ctx, `SELECT id, name, version, created_at FROM teams ORDER BY name_norm, id`)
}

// TeamByName returns the team with the name (compared without case or diacritics), or crm.NotFound.
func (r Reader) TeamByName(ctx context.Context, name string) (*crm.Team, error) {
	teams, err := r.queryTeams(ctx, `SELECT id, name, version, created_at FROM teams WHERE name_norm = $1`, crm.Fold(name))
	if err != nil {
		return nil, err
	}
	if len(teams) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no team called %s", name)
	}
	return teams[0], nil
}

// Team returns the team with id, or crm.NotFound.
func (r Reader) Team(ctx context.Context, id int64) (*crm.Team, error) {
	teams, err := r.queryTeams(ctx, `SELECT id, name, version, created_at FROM teams WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(teams) == 0 {
		return nil, crm.Errorf(crm.NotFound, "there is no team #%s", strconv.FormatInt(id, 10))
	}
	return teams[0], nil
}

func (r Reader) queryTeams(ctx context.Context, query string, args ...any) ([]*crm.Team, error) {
	rows, err := r.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: teams: %w", err)
	}
	defer rows.Close()
	var teams []*crm.Team
	for rows.Next() {
		var t crm.Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Version, &t.CreatedAt); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		teams = append(teams, &t)
	}
	return teams, rows.Err()
}

// IsEmpty reports whether the database holds no users, companies or people: what demo data needs.
func (r Reader) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := r.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM contacts)`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: count records: %w", err)
	}
	return n == 0, nil
}

// UpdateUser saves u (already validated) if u.Version is current: name, role, language, time zone,
// manager and teams; what changed goes to the user's history.
func (tx *Tx) UpdateUser(ctx context.Context, by Actor, u *crm.User) error {
	old, err := tx.User(ctx, u.ID)
	if err != nil {
		return err
	}
	if old.Version != u.Version {
		return crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you edited version %d, it is now at version %d); reload and try again", old.Email, u.Version, old.Version)
	}
	if u.ManagerID != 0 {
		// a manager chain must not come back to the user
		for id, depth := u.ManagerID, 0; id != 0; depth++ {
			if id == u.ID || depth > 1000 {
				return crm.FieldError("manager", "%s reports to %s already, directly or further down; a manager cannot report to their own report", "#"+strconv.FormatInt(u.ManagerID, 10), u.Email)
			}
			var next sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT manager_id FROM users WHERE id = $1`, id).Scan(&next); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return crm.FieldError("manager", "there is no user #%d to be the manager", id)
				}
				return err
			}
			id = next.Int64
		}
	}
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE users SET name = $1, role = $2, language = $3, time_zone = $4, theme = $5,
		manager_id = $6, version = version + 1, updated_at = $7, updated_by = $8 WHERE id = $9`,
		u.Name, string(u.Role), u.Language, u.TimeZone, u.Theme, NullInt(u.ManagerID), now, NullInt(by.UserID), u.ID); err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	teamsChanged := fmt.Sprint(old.TeamIDs) != fmt.Sprint(u.TeamIDs)
	if teamsChanged {
		if _, err := tx.Exec(ctx, `DELETE FROM team_members WHERE user_id = $1`, u.ID); err != nil {
			return fmt.Errorf("store: teams of user %d: %w", u.ID, err)
		}
		for i, t := range u.TeamIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id, position) VALUES ($1, $2, $3)`, t, u.ID, i); err != nil {
				return fmt.Errorf("store: team %d of user %d: %w", t, u.ID, err)
			}
		}
	}
	ids := func(list []int64) string {
		parts := make([]string, len(list))
		for i, id := range list {
			parts[i] = strconv.FormatInt(id, 10)
		}
		return JoinList(parts)
	}
	id := func(i int64) string {
		if i == 0 {
			return ""
		}
		return strconv.FormatInt(i, 10)
	}
	changes := Diff([]FieldValue{{"name", old.Name}, {"role", string(old.Role)}, {"language", old.Language},
		{"time_zone", old.TimeZone}, {"theme", old.Theme}, {"manager_id", id(old.ManagerID)}, {"team_ids", ids(old.TeamIDs)}},
		[]FieldValue{{"name", u.Name}, {"role", string(u.Role)}, {"language", u.Language},
			{"time_zone", u.TimeZone}, {"theme", u.Theme}, {"manager_id", id(u.ManagerID)}, {"team_ids", ids(u.TeamIDs)}})
	u.Version, u.UpdatedAt, u.CreatedAt, u.DisabledAt = old.Version+1, now, old.CreatedAt, old.DisabledAt
	return tx.WriteHistory(ctx, by, "user", u.ID, changes)
}

// DisableUser marks a user disabled, with a line in their history; EndSignIns ends what they signed in
// with.
func (tx *Tx) DisableUser(ctx context.Context, by Actor, userID int64) error {
	res, err := tx.Exec(ctx, `UPDATE users SET disabled_at = $1, updated_at = $1, updated_by = $2, version = version + 1
		WHERE id = $3 AND disabled_at IS NULL`, tx.Now(), NullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: disable user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.Conflict, "user #%d is already disabled or does not exist", userID)
	}
	return tx.WriteHistory(ctx, by, "user", userID, []Change{{"disabled", "", "yes"}})
}

// EnableUser lets a disabled user sign in again (with a new password: their sessions and tokens are gone).
func (tx *Tx) EnableUser(ctx context.Context, by Actor, userID int64) error {
	now := tx.Now()
	res, err := tx.Exec(ctx, `UPDATE users SET disabled_at = NULL, updated_at = $1, updated_by = $2, version = version + 1
		WHERE id = $3 AND disabled_at IS NOT NULL`, now, NullInt(by.UserID), userID)
	if err != nil {
		return fmt.Errorf("store: enable user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.Conflict, "user #%d is not disabled", userID)
	}
	return tx.WriteHistory(ctx, by, "user", userID, []Change{{"disabled", "yes", ""}})
}
