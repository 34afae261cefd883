// Package session is the room of the JSON API for signing in and out with the browser session
// (/api/v1/session); API tokens need neither.
package session

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/api"
	"tili/internal/crm"
)

// signedIn is the user who signed in, with the ETag of their record.
type signedIn struct {
	ETag string `header:"ETag"`
	Body *crm.User
}

type signInIn struct {
	Body struct {
		Email    string `json:"email" maxLength:"320"`
		Password string `json:"password" maxLength:"1024"`
	}
}

// Register adds the sign-in and sign-out.
func Register(s *api.Server) {
	a := s.API
	tags := []string{"Session"}
	huma.Register(a, huma.Operation{OperationID: "signIn", Method: http.MethodPost, Path: "/api/v1/session",
		Summary: "Sign in", Description: "Starts a browser session (a cookie) for the user. An unknown address and a wrong password get the same answer. Failed attempts are limited per account and per client address (429 with Retry-After).",
		Tags: tags, Security: api.Public(), Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *signInIn) (*signedIn, error) {
			if s.Sessions == nil {
				return nil, huma.NewError(http.StatusNotFound, "sessions are not available here")
			}
			w, r := api.Exchange(ctx)
			u, err := s.Sessions.SignIn(w, r, in.Body.Email, in.Body.Password)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &signedIn{ETag: api.ETag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "signOut", Method: http.MethodDelete, Path: "/api/v1/session",
		Summary: "Sign out", Description: "Ends the browser session on the server.", Tags: tags, Security: []map[string][]string{{"session": {}}},
		DefaultStatus: http.StatusNoContent, Errors: api.ErrorsOf()},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			if s.Sessions == nil || crm.PrincipalFromContext(ctx).Source == "" {
				return nil, huma.NewError(http.StatusUnauthorized, "not signed in")
			}
			if err := s.Sessions.SignOut(ctx); err != nil {
				return nil, s.Problem(ctx, err)
			}
			return nil, nil
		})
}
