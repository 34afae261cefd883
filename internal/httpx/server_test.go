package httpx

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	ready := errors.New("the database schema is at version 1, this tili needs 2: run 'tili migrate up'")
	h := Handler(Options{
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ready:        func(context.Context) error { return ready },
		MaxBodyBytes: 16,
		Routes: func(mux *http.ServeMux) {
			mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
			mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
				if _, err := io.ReadAll(r.Body); err != nil {
					http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				}
			})
		},
	})
	do := func(method, path, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
		return w
	}
	if w := do("GET", "/readyz", ""); w.Code != 503 || !strings.Contains(w.Body.String(), "tili migrate up") {
		t.Fatalf("not ready: %d %s", w.Code, w.Body)
	}
	ready = nil
	if w := do("GET", "/readyz", ""); w.Code != 200 {
		t.Fatalf("ready: %d %s", w.Code, w.Body)
	}
	w := do("GET", "/boom", "")
	if w.Code != 500 || !strings.Contains(w.Body.String(), w.Header().Get("X-Request-Id")) || strings.Contains(w.Body.String(), "boom") {
		t.Fatalf("a panic must answer 500 with the request id and without details: %d %q", w.Code, w.Body)
	}
	if w := do("POST", "/echo", strings.Repeat("x", 17)); w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("body over the limit: %d", w.Code)
	}
	if w := do("GET", "/healthz", ""); !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("security headers: %v", w.Header())
	}
}
