package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tili/internal/api"
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
	sessions := httpx.NewSessions(svc.Auth, httpx.SessionOptions{Idle: o.SessionIdle, Absolute: o.SessionMax,
		Secure: strings.HasPrefix(o.BaseURL, "https://")}, o.Log)
	pages, err := web.New(web.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL})
	if err != nil {
		return nil, err
	}
	return httpx.Handler(httpx.Options{
		Log: o.Log, Ready: svc.Ready, Sessions: sessions, TrustedProxies: proxies, RateLimit: o.RateLimit,
		Routes: func(mux *http.ServeMux) {
			api.Register(mux, api.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL})
			pages.Routes(mux)
		},
	}), nil
}
