// Package httpx assembles tili's HTTP server: the mux, the middleware every request passes (request id,
// logging, recovery, security headers, cross-origin protection, body limits), the health endpoints, and
// a graceful start and stop.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"tili/internal/clock"
)

// Options is what the server is built from.
type Options struct {
	Log *slog.Logger
	// Ready reports whether the server can serve (database reachable, schema current); /readyz shows it.
	Ready func(ctx context.Context) error
	// Routes registers the pages and API on the mux.
	Routes func(mux *http.ServeMux)
	// MaxBodyBytes caps a request body; 0 means 1 MiB.
	MaxBodyBytes int64
	// Sessions, when set, keeps browser sessions and tells who is signed in (and API tokens).
	Sessions *Sessions
	// TrustedProxies may tell the client's address in X-Forwarded-For.
	TrustedProxies []netip.Prefix
	// RateLimit applies to the JSON API; the zero value turns it off.
	RateLimit RateLimit
	// Clock tells the time of the rate limits; nil means the machine's clock.
	Clock clock.Clock
}

// Handler returns the whole handler stack.
func Handler(o Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := o.Ready(ctx); err != nil {
			o.Log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	if o.Routes != nil {
		o.Routes(mux)
	}
	limit := o.MaxBodyBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	fail := func(w http.ResponseWriter, r *http.Request, err error) { WriteProblem(w, r, err, o.Log) }
	var h http.Handler = mux
	h = limitBody(h, limit)
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	h = limitRate(h, o.RateLimit, o.Clock, fail)
	if o.Sessions != nil {
		h = o.Sessions.authenticate(h, fail)
		h = o.Sessions.mgr.LoadAndSave(h)
	}
	h = securityHeaders(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = clientIP(h, o.TrustedProxies)
	h = requestCache(h)
	h = recoverPanics(h, o.Log)
	h = logRequests(h, o.Log)
	h = requestID(h)
	return h
}

// Listen opens the address the server will take requests on, with a message that says what to do when
// the port is taken.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (is another program using the port? choose another with --addr)", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx ends, then stops accepting, lets running requests finish (up to 15
// seconds) and returns.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errs := make(chan error, 1)
	go func() { errs <- srv.Serve(ln) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing running requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errs; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
