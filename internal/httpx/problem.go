package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	signinsvc "tili/internal/service/signin"

	"tili/internal/crm"
)

// Problem is an error answer of the JSON API, RFC 9457 "problem details": a stable Code for programs,
// Detail for people, and the field errors of a refused input.
type Problem struct {
	Type      string         `json:"type,omitempty" doc:"A URI reference that identifies the problem type; about:blank when only the status says it."`
	Title     string         `json:"title" doc:"The HTTP status in words."`
	Status    int            `json:"status" doc:"The HTTP status code."`
	Detail    string         `json:"detail" doc:"What went wrong, in a sentence a person can act on."`
	Code      string         `json:"code" doc:"A stable error code: invalid, not_found, conflict, stale, forbidden, unauthenticated, duplicate, too_many_requests, precondition_required, internal."`
	Errors    []FieldProblem `json:"errors,omitempty" doc:"The inputs that were refused, each with the reason."`
	RequestID string         `json:"request_id,omitempty" doc:"The id of the request, to find it in the server's log."`
	headers   http.Header
}

// FieldProblem is one refused input.
type FieldProblem struct {
	Field   string `json:"field" doc:"The input, e.g. business_id or body.name."`
	Message string `json:"message" doc:"What is wrong with it and what to do."`
}

func (p *Problem) Error() string { return p.Detail }

// GetStatus gives huma the HTTP status.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType gives huma the media type of the answer.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

// GetHeaders gives huma headers to send with the answer.
func (p *Problem) GetHeaders() http.Header { return p.headers }

// WithHeader adds a header to send with the problem.
func (p *Problem) WithHeader(k, v string) *Problem {
	if p.headers == nil {
		p.headers = http.Header{}
	}
	p.headers.Set(k, v)
	return p
}

// StatusOf is the one table from error codes to HTTP statuses.
var StatusOf = map[crm.Code]int{
	crm.Invalid: http.StatusUnprocessableEntity, crm.NotFound: http.StatusNotFound,
	crm.Conflict: http.StatusConflict, crm.Stale: http.StatusConflict, crm.Forbidden: http.StatusForbidden,
	crm.Unauthenticated: http.StatusUnauthorized, crm.Duplicate: http.StatusConflict,
	crm.TooManyRequests: http.StatusTooManyRequests,
}

// NewProblem builds a problem from a status and message.
func NewProblem(status int, code, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: code, Detail: detail}
}

// ProblemOf turns an error into the problem to answer: a user's error in its own words, an internal one
// as a plain sentence (its details go to the log, with the request id).
func ProblemOf(r *http.Request, err error, log *slog.Logger) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		if p.RequestID == "" {
			p.RequestID = RequestID(r.Context())
		}
		return p
	}
	id := RequestID(r.Context())
	if wait, ok := signinsvc.IsThrottled(err); ok {
		p = NewProblem(http.StatusTooManyRequests, string(crm.TooManyRequests), err.Error())
		p.RequestID = id
		return p.WithHeader("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
	}
	if e, ok := crm.AsError(err); ok {
		p = NewProblem(StatusOf[e.Code], string(e.Code), e.Message)
		if e.Field != "" {
			p.Errors = []FieldProblem{{Field: e.Field, Message: e.Message}}
		}
		p.RequestID = id
		if e.Code == crm.Unauthenticated {
			p.WithHeader("WWW-Authenticate", `Bearer realm="tili"`)
		}
		return p
	}
	log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err, "request_id", id)
	p = NewProblem(http.StatusInternalServerError, "internal", "Something went wrong on our side; it has been logged with request id "+id+".")
	p.RequestID = id
	return p
}

// WriteProblem answers err as problem+json.
func WriteProblem(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	p := ProblemOf(r, err, log)
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}
