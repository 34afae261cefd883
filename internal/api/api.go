// Package api is the core of tili's JSON API, /api/v1, built with huma: it sets up the API (OpenAPI 3.1
// generated from the Go types, security schemes, tags), the error model (RFC 9457 problem details), who
// may call (bearer API tokens or the browser session), optimistic concurrency through ETag and If-Match,
// JSON merge patches, and the record kit (records.go) with which a kind of record registers its
// operations. The operations themselves live in rooms, one package per module below this one (companies,
// people, users, sharing, search, session); each registers its operations on the Server the core hands
// it, and imports this core, never another room.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/services"
)

// Options is what the API is built from.
type Options struct {
	Services *services.Services // nil: the document alone, for `tili openapi`
	Sessions *httpx.Sessions    // nil: no browser sign-in through the API
	Log      *slog.Logger
	BaseURL  string // where tili is served, for the OpenAPI servers list
	Version  string
	// Rooms register the operations. The composition root lists them: the core cannot, as every room
	// imports it.
	Rooms []Room
}

// Room is one module's part of the API: it registers the module's operations on the API the core set up.
type Room func(*Server)

// Server is what a room's operations need: the API to register them on, the use cases, the sessions.
type Server struct {
	API      huma.API
	Services *services.Services
	Sessions *httpx.Sessions // nil: no browser sign-in through the API
	log      *slog.Logger
}

// setErrorHook guards huma.NewError and huma.NewErrorWithContext, the one package-level mutable setting
// of tili: huma builds its own errors (validation, unreadable input) through these documented hooks,
// which are package variables of huma with no per-API alternative. Every API in the process (a server,
// the tests' many servers, the document printed by `tili openapi`) wants the same problem model, so the
// hooks are set once, never changed, and no API depends on when they were set.
var setErrorHook sync.Once

// Register sets up the API on mux with its OpenAPI document (/api/openapi.json and .yaml), lets each of
// o.Rooms register its operations, and returns the API, whose OpenAPI() is the document.
func Register(mux *http.ServeMux, o Options) huma.API {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	setErrorHook.Do(useProblems)
	version := o.Version
	if version == "" {
		version = "1.0.0"
	}
	config := huma.Config{
		OpenAPI: &huma.OpenAPI{
			OpenAPI: "3.1.0",
			Info: &huma.Info{
				Title:       "tili API",
				Version:     version,
				Description: "The JSON API of tili, a CRM for account managers: companies (accounts), people (contacts), search, field history, sharing, users, teams and API tokens. Authenticate with an API token as a bearer token (`tili token create`), or with the browser session. Lists are paged with an opaque `next_cursor`. Updates are JSON merge patches that need the record's ETag in `If-Match`.",
				License:     &huma.License{Name: "Apache-2.0", Identifier: "Apache-2.0"},
				// each installation is run by its own people; they, not the authors, answer for its API
				Contact: &huma.Contact{Name: "The administrators of this tili installation"},
			},
			Components: &huma.Components{
				Schemas: huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer),
				SecuritySchemes: map[string]*huma.SecurityScheme{
					"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token made with `tili token create` or POST /api/v1/tokens."},
					"session": {Type: "apiKey", In: "cookie", Name: "tili_session", Description: "The browser session of a signed-in user (named __Host-tili_session under TLS)."},
				},
			},
			Tags: []*huma.Tag{
				{Name: "Companies", Description: "Accounts: the companies an account manager works with."},
				{Name: "People", Description: "Contacts: the people at companies, and consumers."},
				{Name: "Search", Description: "Companies and people by name, e-mail address, phone number or business ID."},
				{Name: "Sharing", Description: "Explicit shares of single records, and how far teams see their members' records."},
				{Name: "Users", Description: "Users, teams, API tokens and the signed-in user."},
				{Name: "Session", Description: "Signing in and out with the browser session."},
			},
		},
		OpenAPIPath:   "/api/openapi",
		Formats:       huma.DefaultFormats,
		DefaultFormat: "application/json",
	}
	if o.BaseURL != "" {
		config.Servers = []*huma.Server{{URL: strings.TrimSuffix(o.BaseURL, "/"), Description: "this tili"}}
	}
	a := humago.New(mux, config)
	svc := o.Services
	if svc == nil {
		// the document alone: the rooms name the use cases when they register, but nothing calls them
		svc = &services.Services{}
	}
	s := &Server{API: a, Services: svc, Sessions: o.Sessions, log: log}
	a.UseMiddleware(keepExchange, s.requireSignIn)
	for _, room := range o.Rooms {
		room(s)
	}
	requireIfMatch(a)
	return a
}

// useProblems makes huma's own errors (validation, unreadable input, a missing route parameter) the same
// problem details as tili's: a code for programs, the refused inputs by name, the request id.
func useProblems() {
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		p := httpx.NewProblem(status, codeOfStatus(status), msg)
		for _, e := range errs {
			if d, ok := e.(huma.ErrorDetailer); ok {
				det := d.ErrorDetail()
				p.Errors = append(p.Errors, httpx.FieldProblem{Field: det.Location, Message: det.Message})
			} else if e != nil {
				p.Errors = append(p.Errors, httpx.FieldProblem{Message: e.Error()})
			}
		}
		if status == http.StatusUnprocessableEntity && len(p.Errors) > 0 {
			p.Detail = "the request was refused: " + p.Errors[0].Field + ": " + p.Errors[0].Message
		}
		return p
	}
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		err := huma.NewError(status, msg, errs...)
		if p, ok := err.(*httpx.Problem); ok && ctx != nil {
			p.RequestID = httpx.RequestID(ctx.Context())
		}
		return err
	}
}

// requireIfMatch documents If-Match as required on every PATCH. The handlers check it themselves, to
// answer 428 Precondition Required rather than a validation error.
func requireIfMatch(a huma.API) {
	for _, item := range a.OpenAPI().Paths {
		if item.Patch == nil {
			continue
		}
		for _, prm := range item.Patch.Parameters {
			if prm.In == "header" && prm.Name == "If-Match" {
				prm.Required = true
			}
		}
	}
}

// codeOfStatus is the problem code of a status huma answers by itself (validation, unreadable input).
func codeOfStatus(status int) string {
	switch status {
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return string(crm.Invalid)
	case http.StatusNotFound:
		return string(crm.NotFound)
	case http.StatusUnauthorized:
		return string(crm.Unauthenticated)
	case http.StatusForbidden:
		return string(crm.Forbidden)
	case http.StatusConflict:
		return string(crm.Conflict)
	case http.StatusPreconditionFailed:
		return string(crm.Stale)
	case http.StatusPreconditionRequired:
		return "precondition_required"
	case http.StatusTooManyRequests:
		return string(crm.TooManyRequests)
	}
	if status >= 500 {
		return "internal"
	}
	return "error"
}

type exchangeKey struct{}

type exchange struct {
	w http.ResponseWriter
	r *http.Request
}

// keepExchange puts the request and response writer into the operation's context, for the operations
// that set cookies (signing in).
func keepExchange(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	next(huma.WithValue(ctx, exchangeKey{}, exchange{w, r}))
}

// Exchange is the response writer and the request of the operation running in ctx, for the operations
// that set cookies (signing in); both are nil outside one.
func Exchange(ctx context.Context) (http.ResponseWriter, *http.Request) {
	e, _ := ctx.Value(exchangeKey{}).(exchange)
	return e.w, e.r
}

// requireSignIn refuses operations that declare security when the request carries no valid token or
// session, and refuses changes through a read-only token.
func (s *Server) requireSignIn(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if op == nil || len(op.Security) == 0 {
		next(ctx)
		return
	}
	p := crm.PrincipalFromContext(ctx.Context())
	if p.UserID == 0 {
		huma.WriteErr(s.API, ctx, http.StatusUnauthorized, "sign in, or send an API token as \"Authorization: Bearer TOKEN\"")
		return
	}
	if p.ReadOnly && ctx.Method() != http.MethodGet {
		huma.WriteErr(s.API, ctx, http.StatusForbidden, "this API token may only read; make a write token to change records")
		return
	}
	next(ctx)
}

// Problem maps err to a *httpx.Problem: the caller's errors in their own words, internal ones logged
// with the request id and answered with a plain sentence.
func (s *Server) Problem(ctx context.Context, err error) *httpx.Problem {
	req, _ := http.NewRequestWithContext(ctx, "", "/", nil)
	return httpx.ProblemOf(req, err, s.log)
}

// Stale is Problem for a request that named the version it changes (If-Match): a Stale error answers 412
// Precondition Failed rather than 409.
func (s *Server) Stale(ctx context.Context, err error) error {
	if crm.CodeOf(err) == crm.Stale {
		p := httpx.NewProblem(http.StatusPreconditionFailed, string(crm.Stale), err.Error())
		p.RequestID = httpx.RequestID(ctx)
		return p
	}
	return s.Problem(ctx, err)
}

// Secured is the security requirement of every operation that needs a signed-in caller: a token or a
// session.
func Secured() []map[string][]string { return []map[string][]string{{"bearer": {}}, {"session": {}}} }

// Public is the security requirement of an operation anyone may call (signing in): empty, not nil, so
// the document says so explicitly ("security": []) and an operation that merely forgot its Security
// stays visible to the OpenAPI linters in CI.
func Public() []map[string][]string { return []map[string][]string{} }

// ErrorsOf lists the error statuses an operation documents: the common ones and extra.
func ErrorsOf(extra ...int) []int {
	return append([]int{http.StatusUnauthorized, http.StatusTooManyRequests}, extra...)
}

// Principal is who calls the operation running in ctx.
func Principal(ctx context.Context) crm.Principal { return crm.PrincipalFromContext(ctx) }

// NonNil is the items of a list answer: an empty list rather than null when there are none.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
