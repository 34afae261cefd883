// Package api serves tili's JSON API, /api/v1, built with huma: OpenAPI 3.1 generated from the Go
// types, errors as RFC 9457 problem details, bearer API tokens or the browser session, optimistic
// concurrency through ETag and If-Match.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"tili/internal/services"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"tili/internal/crm"
	"tili/internal/httpx"
)

// Options is what the API is built from.
type Options struct {
	Services *services.Services
	Sessions *httpx.Sessions // nil: no browser sign-in through the API
	Log      *slog.Logger
	BaseURL  string // where tili is served, for the OpenAPI servers list
	Version  string
}

// server holds what the operations need.
type server struct {
	api      huma.API
	svc      *services.Services
	sessions *httpx.Sessions
	log      *slog.Logger
}

var setErrorHook sync.Once

// Register adds the API's operations and its OpenAPI document (/api/openapi.json and .yaml) to mux and
// returns the API, whose OpenAPI() is the document.
func Register(mux *http.ServeMux, o Options) huma.API {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// huma's documented hook for the error model, set once for the process
	setErrorHook.Do(func() {
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
	})
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
	s := &server{api: a, svc: o.Services, sessions: o.Sessions, log: log}
	a.UseMiddleware(keepExchange, s.requireSignIn)
	s.registerAccounts(a)
	s.registerContacts(a)
	s.registerSearch(a)
	s.registerSharing(a)
	s.registerUsers(a)
	s.registerSession(a)
	patchSchemas(a)
	requireIfMatch(a)
	return a
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

func responseOf(ctx context.Context) (http.ResponseWriter, *http.Request) {
	e, _ := ctx.Value(exchangeKey{}).(exchange)
	return e.w, e.r
}

// requireSignIn refuses operations that declare security when the request carries no valid token or
// session, and refuses changes through a read-only token.
func (s *server) requireSignIn(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if op == nil || len(op.Security) == 0 {
		next(ctx)
		return
	}
	p := crm.PrincipalFromContext(ctx.Context())
	if p.UserID == 0 {
		huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "sign in, or send an API token as \"Authorization: Bearer TOKEN\"")
		return
	}
	if p.ReadOnly && ctx.Method() != http.MethodGet {
		huma.WriteErr(s.api, ctx, http.StatusForbidden, "this API token may only read; make a write token to change records")
		return
	}
	next(ctx)
}

// problem maps err to a *httpx.Problem: the caller's errors in their own words, internal ones logged
// with the request id and answered with a plain sentence.
func (s *server) problem(ctx context.Context, err error) *httpx.Problem {
	req, _ := http.NewRequestWithContext(ctx, "", "/", nil)
	return httpx.ProblemOf(req, err, s.log)
}

// secured is the security requirement of every operation that needs a signed-in caller.
var secured = []map[string][]string{{"bearer": {}}, {"session": {}}}

// public is the security requirement of an operation anyone may call (signing in): empty, not nil, so
// the document says so explicitly ("security": []) and an operation that merely forgot its Security
// stays visible to the OpenAPI linters in CI.
var public = []map[string][]string{}

// errorsOf lists the error statuses an operation documents: the common ones and extra.
func errorsOf(extra ...int) []int {
	return append([]int{http.StatusUnauthorized, http.StatusTooManyRequests}, extra...)
}

// etag is the entity tag of a record version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version an If-Match header names; missing answers 428, unreadable 400.
func ifMatch(h string) (int64, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, huma.NewError(http.StatusPreconditionRequired, "send the record's ETag in If-Match (from the GET or the last change), so a change made meanwhile by someone else is not overwritten")
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, huma.NewError(http.StatusBadRequest, fmt.Sprintf("If-Match %q is not an ETag of this API; it looks like \"3\"", h))
	}
	return v, nil
}

// stale turns a Stale error of a request that named its version into 412 Precondition Failed.
func (s *server) stale(ctx context.Context, err error) error {
	if crm.CodeOf(err) == crm.Stale {
		p := httpx.NewProblem(http.StatusPreconditionFailed, string(crm.Stale), err.Error())
		p.RequestID = httpx.RequestID(ctx)
		return p
	}
	return s.problem(ctx, err)
}

// patchSchemas documents the merge-patch bodies: each is its input schema with nothing required, and
// the PATCH operation at path takes it as its application/merge-patch+json body. The handlers read that
// body raw (to apply the patch to the stored record), so huma knows it only as bytes; the schema here is
// for the document alone and validates nothing.
func patchSchemas(a huma.API) {
	oapi := a.OpenAPI()
	reg := oapi.Components.Schemas
	for _, p := range []struct {
		input reflect.Type
		name  string
		path  string
	}{
		{reflect.TypeOf(AccountInput{}), "AccountPatch", "/api/v1/accounts/{id}"},
		{reflect.TypeOf(ContactInput{}), "ContactPatch", "/api/v1/contacts/{id}"},
	} {
		base := reg.Schema(p.input, true, "")
		src := reg.SchemaFromRef(base.Ref)
		cp := *src
		cp.Required = nil
		cp.Title = p.name
		// null clears a field; the owner changes through reassign, not here
		cp.Properties = map[string]*huma.Schema{}
		for name, prop := range src.Properties {
			if name == "owner_id" {
				continue
			}
			np := *prop
			if np.Ref == "" && np.Type != "" {
				np.Nullable = true
			} else if np.Ref != "" {
				np = huma.Schema{AnyOf: []*huma.Schema{{Ref: prop.Ref}, {Type: "null"}}, Description: prop.Description}
			}
			cp.Properties[name] = &np
		}
		cp.Description = "A JSON merge patch (RFC 7396) of the record: the fields given change, null clears one, the others stay."
		reg.Map()[p.name] = &cp
		item := oapi.Paths[p.path]
		if item == nil || item.Patch == nil || item.Patch.RequestBody == nil {
			panic("api: no PATCH " + p.path + " to document " + p.name + " for")
		}
		mt := item.Patch.RequestBody.Content["application/merge-patch+json"]
		if mt == nil {
			panic("api: PATCH " + p.path + " takes no application/merge-patch+json body")
		}
		mt.Schema = &huma.Schema{Ref: "#/components/schemas/" + p.name}
	}
}
