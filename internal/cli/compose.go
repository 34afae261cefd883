package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tili/internal/api"
	"tili/internal/clock"
	"tili/internal/httpx"
	"tili/internal/service"
	"tili/internal/web"
)

// HandlerOptions are the settings of the HTTP side.
type HandlerOptions struct {
	BaseURL        string
	TrustedProxies string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	RateLimit      httpx.RateLimit
	Log            *slog.Logger
	// Clock tells the time of sessions, rate limits and pages; nil means the machine's clock.
	Clock clock.Clock
}

// NewHandler wires the HTTP server of tili on the use cases: sessions, the JSON API, the health
// endpoints and the middleware. serve and the tests build it the same way.
func NewHandler(svc *service.Services, o HandlerOptions) (http.Handler, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	proxies, err := httpx.ParseProxies(o.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies: %w; give addresses or CIDR ranges separated by commas", err)
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	sessions := httpx.NewSessions(svc.Auth, httpx.SessionOptions{Idle: o.SessionIdle, Absolute: o.SessionMax,
		Secure: strings.HasPrefix(o.BaseURL, "https://"), Clock: o.Clock}, o.Log)
	pages, err := web.New(web.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL, Clock: o.Clock})
	if err != nil {
		return nil, err
	}
	return httpx.Handler(httpx.Options{
		Log: o.Log, Ready: svc.Ready, Sessions: sessions, TrustedProxies: proxies, RateLimit: o.RateLimit, Clock: o.Clock,
		Routes: func(mux *http.ServeMux) {
			api.Register(mux, api.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL})
			pages.Routes(mux)
		},
	}), nil
}
