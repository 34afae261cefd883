package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/crm"
)

type signInIn struct {
	Body struct {
		Email    string `json:"email" maxLength:"320"`
		Password string `json:"password" maxLength:"1024"`
	}
}

func (s *server) registerSession(a huma.API) {
	tags := []string{"Session"}
	huma.Register(a, huma.Operation{OperationID: "signIn", Method: http.MethodPost, Path: "/api/v1/session",
		Summary: "Sign in", Description: "Starts a browser session (a cookie) for the user. An unknown address and a wrong password get the same answer. Failed attempts are limited per account and per client address (429 with Retry-After).",
		Tags: tags, Security: public, Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *signInIn) (*userOne, error) {
			if s.sessions == nil {
				return nil, huma.NewError(http.StatusNotFound, "sessions are not available here")
			}
			w, r := responseOf(ctx)
			u, err := s.sessions.SignIn(w, r, in.Body.Email, in.Body.Password)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return &userOne{ETag: etag(u.Version), Body: u}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "signOut", Method: http.MethodDelete, Path: "/api/v1/session",
		Summary: "Sign out", Description: "Ends the browser session on the server.", Tags: tags, Security: []map[string][]string{{"session": {}}},
		DefaultStatus: http.StatusNoContent, Errors: errorsOf()},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			if s.sessions == nil || crm.PrincipalFromContext(ctx).Source == "" {
				return nil, huma.NewError(http.StatusUnauthorized, "not signed in")
			}
			if err := s.sessions.SignOut(ctx); err != nil {
				return nil, s.problem(ctx, err)
			}
			return nil, nil
		})
}
