// Package app is tili's composition root: the one place that wires the database, the clock, the use
// cases and the HTTP side together. The command line and the tests build tili through it; nothing else
// imports it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/api"
	companyapi "tili/internal/api/companies"
	peopleapi "tili/internal/api/people"
	searchapi "tili/internal/api/search"
	sessionapi "tili/internal/api/session"
	sharingapi "tili/internal/api/sharing"
	userapi "tili/internal/api/users"
	"tili/internal/clock"
	"tili/internal/httpx"
	"tili/internal/service"
	"tili/internal/services"
	"tili/internal/store"
	"tili/internal/web"
	adminweb "tili/internal/web/admin"
	companyweb "tili/internal/web/companies"
	homeweb "tili/internal/web/home"
	peopleweb "tili/internal/web/people"
	recordweb "tili/internal/web/records"
	searchweb "tili/internal/web/search"
	settingsweb "tili/internal/web/settings"
	signinweb "tili/internal/web/signin"
)

// Options is what tili is built from, besides the database.
type Options struct {
	// PhoneRegion is the region (ISO 3166 code) a phone number without a country code is read in and
	// shown in; empty means Finland.
	PhoneRegion string
	// Clock tells the time everywhere; nil means the machine's clock.
	Clock clock.Clock
}

// App is a wired tili: the database, the clock and the use cases.
type App struct {
	DB       *store.DB
	Clock    clock.Clock
	Services *services.Services
	options  Options
}

// OpenOptions says which database to open and how, besides Options.
type OpenOptions struct {
	Options
	Store store.Options
	// RequireCurrentSchema refuses a database whose schema is older than this binary (when it was not
	// migrated on open).
	RequireCurrentSchema bool
}

// Open opens the database and builds tili on it.
func Open(ctx context.Context, o OpenOptions) (*App, error) {
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	o.Store.Clock = o.Clock
	db, err := store.Open(ctx, o.Store)
	if err != nil {
		return nil, err
	}
	if o.RequireCurrentSchema {
		current, want, err := db.SchemaStatus(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if current < want {
			db.Close()
			return nil, fmt.Errorf("the database schema is at version %d and this tili needs %d; run 'tili migrate up' first (or drop --migrate=false)", current, want)
		}
	}
	return New(db, o.Options), nil
}

// New builds tili on an open database.
func New(db *store.DB, o Options) *App {
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	return &App{DB: db, Clock: o.Clock, options: o,
		Services: services.New(db, service.Options{PhoneRegion: o.PhoneRegion, Clock: o.Clock})}
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// HandlerOptions are the settings of the HTTP side.
type HandlerOptions struct {
	BaseURL        string
	TrustedProxies string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	RateLimit      httpx.RateLimit
	Log            *slog.Logger
}

// Handler wires the HTTP server of tili on the use cases: sessions, the pages, the JSON API, the
// health endpoints and the middleware. serve and the tests build it the same way.
func (a *App) Handler(o HandlerOptions) (http.Handler, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	proxies, err := httpx.ParseProxies(o.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies: %w; give addresses or CIDR ranges separated by commas", err)
	}
	svc := a.Services
	sessions := httpx.NewSessions(svc.Auth, httpx.SessionOptions{Idle: o.SessionIdle, Absolute: o.SessionMax,
		Secure: strings.HasPrefix(o.BaseURL, "https://"), Clock: a.Clock}, o.Log)
	pages, err := web.New(web.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL, Clock: a.Clock,
		PhoneRegion: a.options.PhoneRegion, Rooms: WebRooms()})
	if err != nil {
		return nil, err
	}
	return httpx.Handler(httpx.Options{
		Log: o.Log, Ready: svc.Ready, Sessions: sessions, TrustedProxies: proxies, RateLimit: o.RateLimit, Clock: a.Clock,
		Routes: func(mux *http.ServeMux) {
			api.Register(mux, api.Options{Services: svc, Sessions: sessions, Log: o.Log, BaseURL: o.BaseURL, Rooms: apiRooms()})
			pages.Routes(mux)
		},
	}), nil
}

// WebRooms are the rooms of the web pages, one per module; the web core wires them together. Their
// order is the order their routes are registered in.
func WebRooms() []web.Room {
	return []web.Room{signinweb.Room(), homeweb.Room(), companyweb.Room(), peopleweb.Room(), recordweb.Room(), searchweb.Room(),
		settingsweb.Room(), adminweb.Room()}
}

// OpenAPI returns the OpenAPI document of the JSON API as served at baseURL; it needs no database.
func OpenAPI(baseURL string) *huma.OpenAPI {
	return api.Register(http.NewServeMux(), api.Options{BaseURL: baseURL, Rooms: apiRooms()}).OpenAPI()
}

// apiRooms are the rooms of the JSON API, each registering its module's operations. They are listed here
// rather than in the API core because every room imports the core.
func apiRooms() []api.Room {
	return []api.Room{companyapi.Register, peopleapi.Register, searchapi.Register, sharingapi.Register, userapi.Register,
		sessionapi.Register}
}
