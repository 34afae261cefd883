package crm

import (
	"context"
	"strings"
	"time"
)

// Role is what a user may do in general; record ownership, teams and shares narrow it down.
type Role string

const (
	Admin          Role = "admin"
	SalesHead      Role = "sales_head"
	AccountManager Role = "account_manager"
	Assistant      Role = "assistant"
	ReadOnly       Role = "read_only"
)

// Roles lists the roles from the widest.
var Roles = []Role{Admin, SalesHead, AccountManager, Assistant, ReadOnly}

// User is someone who signs in to tili.
type User struct {
	ID         int64      `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Language   string     `json:"language"`  // "fi" or "en"
	TimeZone   string     `json:"time_zone"` // IANA, e.g. Europe/Helsinki
	Theme      string     `json:"theme"`     // light, dark or system
	ManagerID  int64      `json:"manager_id,omitempty"`
	TeamIDs    []int64    `json:"team_ids,omitempty"` // the first is the team a new record of theirs gets
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Validate normalises u and reports the first problem.
func (u *User) Validate() error {
	email, err := ParseEmail(u.Email)
	if err != nil {
		return err
	}
	u.Email = strings.ToLower(email)
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	if u.Name == "" {
		return FieldError("name", "a user needs a name")
	}
	if err := checkText("name", u.Name, 200); err != nil {
		return err
	}
	if err := oneOf("role", &u.Role, AccountManager, Roles); err != nil {
		return err
	}
	switch u.Language = strings.ToLower(strings.TrimSpace(u.Language)); u.Language {
	case "":
		u.Language = "fi"
	case "fi", "en":
	default:
		return FieldError("language", "%q is not a language of tili; use fi or en", u.Language)
	}
	switch u.Theme = strings.TrimSpace(u.Theme); u.Theme {
	case "":
		u.Theme = "system"
	case "light", "dark", "system":
	default:
		return FieldError("theme", "%q is not a theme; use light, dark or system", u.Theme)
	}
	if u.TimeZone = strings.TrimSpace(u.TimeZone); u.TimeZone == "" {
		u.TimeZone = "Europe/Helsinki"
	}
	if _, err := time.LoadLocation(u.TimeZone); err != nil {
		return FieldError("time_zone", "%q is not a time zone; use a name such as Europe/Helsinki", u.TimeZone)
	}
	if u.ManagerID != 0 && u.ManagerID == u.ID {
		return FieldError("manager", "a user cannot be their own manager")
	}
	return nil
}

// Team is a group of users who share records.
type Team struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate normalises t and reports the first problem.
func (t *Team) Validate() error {
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	if t.Name == "" {
		return FieldError("name", "a team needs a name")
	}
	return checkText("name", t.Name, 100)
}

// Principal is who is acting, and through which door (ui, api, cli, import). ReadOnly is set for an
// API token that may only read: whatever the role, such a principal changes nothing.
type Principal struct {
	UserID   int64  `json:"user_id"`
	Role     Role   `json:"role"`
	Source   string `json:"source"`
	ReadOnly bool   `json:"read_only,omitempty"`
}

// System is the built-in administrator the command-line tool acts as: it may do everything and is no
// user; its changes carry no user id.
func System(source string) Principal { return Principal{Role: Admin, Source: source} }

type principalKey struct{}

// ContextWithPrincipal returns ctx carrying p; the auth middleware and the CLI call it.
func ContextWithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns who is acting; the zero Principal (no user) may do nothing.
func PrincipalFromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}
