// Package users is the room of the JSON API for users, teams, API tokens, the signed-in user (/api/v1/me)
// and the audit log of security events.
package users

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/api"
	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

type usersOut struct {
	Body struct {
		Items []*crm.User `json:"items" nullable:"false"`
		Next  string      `json:"next_cursor"`
	}
}

// UserInput is a new user.
type UserInput struct {
	Email     string  `json:"email" format:"email" doc:"The address the user signs in with."`
	Name      string  `json:"name" minLength:"1" maxLength:"200"`
	Role      string  `json:"role,omitempty" enum:"admin,sales_head,account_manager,assistant,read_only" doc:"account_manager when not given."`
	Language  string  `json:"language,omitempty" enum:"fi,en"`
	TimeZone  string  `json:"time_zone,omitempty" doc:"IANA time zone; Europe/Helsinki when not given."`
	ManagerID int64   `json:"manager_id,omitempty"`
	TeamIDs   []int64 `json:"team_ids,omitempty" doc:"The teams; the first is the team the user's new records get."`
}

// UserPatch changes a user: a JSON merge patch of name, role, language, time zone, manager and teams.
type UserPatch struct {
	Name      string  `json:"name,omitempty"`
	Role      string  `json:"role,omitempty" enum:"admin,sales_head,account_manager,assistant,read_only"`
	Language  string  `json:"language,omitempty" enum:"fi,en"`
	TimeZone  string  `json:"time_zone,omitempty"`
	ManagerID int64   `json:"manager_id,omitempty"`
	TeamIDs   []int64 `json:"team_ids,omitempty"`
}

type userOne struct {
	ETag string `header:"ETag"`
	Body *crm.User
}

type userPatchIn struct {
	api.IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw."`
	Body    UserPatch
}

type teamsOut struct {
	Body struct {
		Items []*crm.Team `json:"items" nullable:"false"`
		Next  string      `json:"next_cursor"`
	}
}

type teamOut struct{ Body *crm.Team }

type tokensIn struct {
	User int64 `query:"user" doc:"Administrators: only this user's tokens (default: everyone's)."`
}

type tokensOut struct {
	Body struct {
		Items []*TokenInfo `json:"items" nullable:"false"`
		Next  string       `json:"next_cursor"`
	}
}

// TokenInfo describes an API token without revealing it.
type TokenInfo struct {
	ID         int64   `json:"id"`
	UserID     int64   `json:"user_id"`
	Name       string  `json:"name"`
	Scope      string  `json:"scope" enum:"read,write"`
	Prefix     string  `json:"prefix" doc:"The first characters of the token, to tell tokens apart."`
	CreatedAt  string  `json:"created_at" format:"date-time"`
	LastUsedAt *string `json:"last_used_at,omitempty" format:"date-time"`
	RevokedAt  *string `json:"revoked_at,omitempty" format:"date-time"`
}

// TokenInput asks for a new API token.
type TokenInput struct {
	UserID int64  `json:"user_id,omitempty" doc:"Whose token; the caller's own when not given (administrators may make them for anyone)."`
	Scope  string `json:"scope,omitempty" enum:"read,write" doc:"read (default) or write; a write token also reads."`
	Name   string `json:"name,omitempty" maxLength:"100" doc:"What the token is for."`
}

type tokenCreated struct {
	Body struct {
		Token string     `json:"token" doc:"The token itself: shown this once, stored only as a hash."`
		Info  *TokenInfo `json:"info"`
	}
}

type auditIn struct {
	Event string `query:"event" doc:"Only this kind of event, e.g. sign_in.failed."`
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	After string `query:"after"`
}

type auditOut struct {
	Body struct {
		Items []service.AuditEvent `json:"items" nullable:"false"`
		Next  string               `json:"next_cursor"`
	}
}

func tokenInfo(t *services.APIToken) *TokenInfo {
	ti := &TokenInfo{ID: t.ID, UserID: t.UserID, Name: t.Name, Scope: t.Scope, Prefix: t.Prefix, CreatedAt: t.CreatedAt.Format(timeFormat)}
	if t.LastUsedAt != nil {
		s := t.LastUsedAt.Format(timeFormat)
		ti.LastUsedAt = &s
	}
	if t.RevokedAt != nil {
		s := t.RevokedAt.Format(timeFormat)
		ti.RevokedAt = &s
	}
	return ti
}

const timeFormat = "2006-01-02T15:04:05.999999999Z07:00"

// changeUser makes a change to user id that answers nothing of its own (disabling, enabling), and answers
// the user as they are after it.
func changeUser(ctx context.Context, s *api.Server, id int64, change func(context.Context, crm.Principal, int64) error) (*userOne, error) {
	p := api.Principal(ctx)
	if err := change(ctx, p, id); err != nil {
		return nil, s.Problem(ctx, err)
	}
	u, err := s.Services.Users.Get(ctx, p, id)
	if err != nil {
		return nil, s.Problem(ctx, err)
	}
	return &userOne{ETag: api.ETag(u.Version), Body: u}, nil
}

// Register adds the operations on users, teams, API tokens, the signed-in user and the audit log.
func Register(s *api.Server) {
	a := s.API
	tags := []string{"Users"}
	secured := api.Secured()
	huma.Register(a, huma.Operation{OperationID: "getMe", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "The signed-in user", Description: "Who the token or session belongs to.", Tags: tags, Security: secured, Errors: api.ErrorsOf()},
		func(ctx context.Context, _ *struct{}) (*userOne, error) {
			u, err := s.Services.Auth.User(ctx, api.Principal(ctx))
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &userOne{ETag: api.ETag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "listUsers", Method: http.MethodGet, Path: "/api/v1/users",
		Summary: "List users", Description: "Everyone signed in may list the users: owners are shown on records.",
		Tags: tags, Security: secured, Errors: api.ErrorsOf()},
		func(ctx context.Context, _ *struct{}) (*usersOut, error) {
			users, err := s.Services.Users.List(ctx, api.Principal(ctx))
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &usersOut{}
			out.Body.Items = api.NonNil(users)
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createUser", Method: http.MethodPost, Path: "/api/v1/users",
		Summary: "Add a user", Description: "Administrators only. The new user sets a password through a one-time link (`tili user reset`).",
		Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: api.ErrorsOf(http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body UserInput }) (*userOne, error) {
			u := &crm.User{Email: in.Body.Email, Name: in.Body.Name, Role: crm.Role(in.Body.Role), Language: in.Body.Language,
				TimeZone: in.Body.TimeZone, ManagerID: in.Body.ManagerID, TeamIDs: in.Body.TeamIDs}
			if err := s.Services.Users.Create(ctx, api.Principal(ctx), u); err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &userOne{ETag: api.ETag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "getUser", Method: http.MethodGet, Path: "/api/v1/users/{id}",
		Summary: "Get a user", Description: "One user with their role, teams and manager.", Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusNotFound)},
		func(ctx context.Context, in *api.IDPath) (*userOne, error) {
			u, err := s.Services.Users.Get(ctx, api.Principal(ctx), in.ID)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &userOne{ETag: api.ETag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "updateUser", Method: http.MethodPatch, Path: "/api/v1/users/{id}",
		Summary: "Change a user", Description: "Administrators change anyone; users their own name, language and time zone.",
		Tags: tags, Security: secured,
		Errors: api.ErrorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed,
			http.StatusUnprocessableEntity, http.StatusPreconditionRequired)},
		func(ctx context.Context, in *userPatchIn) (*userOne, error) {
			version, err := api.IfMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			p := api.Principal(ctx)
			u, err := s.Services.Users.Get(ctx, p, in.ID)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			b := in.Body
			if b.Name != "" {
				u.Name = b.Name
			}
			if b.Role != "" {
				u.Role = crm.Role(b.Role)
			}
			if b.Language != "" {
				u.Language = b.Language
			}
			if b.TimeZone != "" {
				u.TimeZone = b.TimeZone
			}
			if b.ManagerID != 0 {
				u.ManagerID = b.ManagerID
			}
			if b.TeamIDs != nil {
				u.TeamIDs = b.TeamIDs
			}
			u.Version = version
			if err := s.Services.Users.Update(ctx, p, u); err != nil {
				return nil, s.Stale(ctx, err)
			}
			return &userOne{ETag: api.ETag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "disableUser", Method: http.MethodPost, Path: "/api/v1/users/{id}/disable",
		Summary: "Disable a user", Description: "Administrators only. Ends all the user's sessions and API tokens at once.",
		Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *api.IDPath) (*userOne, error) {
			return changeUser(ctx, s, in.ID, s.Services.Users.Disable)
		})

	huma.Register(a, huma.Operation{OperationID: "enableUser", Method: http.MethodPost, Path: "/api/v1/users/{id}/enable",
		Summary: "Enable a disabled user", Description: "Administrators only. The user needs a new password (a one-time link) to sign in again.", Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict)},
		func(ctx context.Context, in *api.IDPath) (*userOne, error) {
			return changeUser(ctx, s, in.ID, s.Services.Users.Enable)
		})

	huma.Register(a, huma.Operation{OperationID: "listTeams", Method: http.MethodGet, Path: "/api/v1/teams",
		Summary: "List teams", Description: "Every team; a record's team decides who of its members see it.", Tags: tags, Security: secured, Errors: api.ErrorsOf()},
		func(ctx context.Context, _ *struct{}) (*teamsOut, error) {
			teams, err := s.Services.Users.Teams(ctx, api.Principal(ctx))
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &teamsOut{}
			out.Body.Items = api.NonNil(teams)
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createTeam", Method: http.MethodPost, Path: "/api/v1/teams",
		Summary: "Add a team", Description: "Administrators only.", Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: api.ErrorsOf(http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct {
			Body struct {
				Name string `json:"name" minLength:"1" maxLength:"100"`
			}
		}) (*teamOut, error) {
			t := &crm.Team{Name: in.Body.Name}
			if err := s.Services.Users.CreateTeam(ctx, api.Principal(ctx), t); err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &teamOut{Body: t}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "listTokens", Method: http.MethodGet, Path: "/api/v1/tokens",
		Summary: "List API tokens", Description: "Administrators see everyone's, others their own. Tokens themselves are never shown again.",
		Tags: tags, Security: secured, Errors: api.ErrorsOf()},
		func(ctx context.Context, in *tokensIn) (*tokensOut, error) {
			list, err := s.Services.Auth.Tokens(ctx, api.Principal(ctx), in.User)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &tokensOut{Body: struct {
				Items []*TokenInfo `json:"items" nullable:"false"`
				Next  string       `json:"next_cursor"`
			}{Items: []*TokenInfo{}}}
			for _, t := range list {
				out.Body.Items = append(out.Body.Items, tokenInfo(t))
			}
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createToken", Method: http.MethodPost, Path: "/api/v1/tokens",
		Summary: "Make an API token", Description: "The token is in the answer this once; only its hash is kept.",
		Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body TokenInput }) (*tokenCreated, error) {
			p := api.Principal(ctx)
			user := in.Body.UserID
			if user == 0 {
				user = p.UserID
			}
			nt, err := s.Services.Auth.CreateToken(ctx, p, user, in.Body.Scope, in.Body.Name)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &tokenCreated{}
			out.Body.Token, out.Body.Info = nt.Token, tokenInfo(nt.Info)
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "revokeToken", Method: http.MethodDelete, Path: "/api/v1/tokens/{id}",
		Summary: "Revoke an API token", Description: "Administrators any token, others their own. The token stops working at once.", Tags: tags, Security: secured, DefaultStatus: http.StatusNoContent,
		Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound)},
		func(ctx context.Context, in *api.IDPath) (*struct{}, error) {
			if err := s.Services.Auth.RevokeToken(ctx, api.Principal(ctx), in.ID); err != nil {
				return nil, s.Problem(ctx, err)
			}
			return nil, nil
		})

	huma.Register(a, huma.Operation{OperationID: "auditLog", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "Security events", Description: "Sign-ins, refused access, role, team, share and token changes; administrators only. Newest first.",
		Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusForbidden, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *auditIn) (*auditOut, error) {
			page, err := s.Services.Users.AuditLog(ctx, api.Principal(ctx), in.Event, in.Limit, in.After)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &auditOut{}
			out.Body.Items, out.Body.Next = api.NonNil(page.Items), page.Next
			return out, nil
		})
}
