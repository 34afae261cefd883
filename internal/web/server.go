// Package web is the core of tili's HTML pages. It holds what every page stands on: the Server that the
// rooms build on (start-up, rendering, errors, redirects, sign-in checks), the Page around each page and
// its template functions, the frames and shared partials, the error page, the static files (CSS, the
// ES module), the navigation, and the kits every kind of record is built from: lists (filters, sorting,
// paging, saved views, the bin, bulk changes, export), forms (field errors, the lookalike question, the
// conflict page) and record pages (timeline, likely duplicates, panels).
//
// The pages themselves live in rooms, one package per module below this one (internal/web/companies,
// internal/web/people, …), each with its own templates and messages. A room imports this core and the
// services, never another room: what one room shows on a page another owns (a panel, a navigation
// entry, a home section) it offers on the Registry at start-up. The composition root hands the rooms to
// New. Every page works without JavaScript.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/i18n"
	"tili/internal/services"
)

// files are the core's templates, static files and messages: the texts more than one room speaks.
//
//go:embed all:templates static messages.fi.json messages.en.json
var files embed.FS

// Server holds what the pages need; the composition root builds it with New.
type Server struct {
	svc      *services.Services
	sessions *httpx.Sessions
	cat      *i18n.Catalog
	pages    map[string]page
	partials map[string]*template.Template // by room: its partials over the core's, for fragments
	reg      *Registry
	routes   []Routes
	log      *slog.Logger
	baseURL  string
	clock    clock.Clock
	// phoneRegion is the region a phone number without a country code is read in and shown in
	phoneRegion string
}

// Options is what the pages are built from.
type Options struct {
	Services *services.Services
	Sessions *httpx.Sessions
	Log      *slog.Logger
	BaseURL  string
	// Clock tells the time pages show; nil means the machine's clock.
	Clock clock.Clock
	// PhoneRegion is the region a phone number without a country code is read in and shown in; empty
	// means Finland.
	PhoneRegion string
	// Rooms are the pages of each module. Their order is the order their routes are registered in; the
	// navigation has its own order.
	Rooms []Room
}

// New loads every room's messages and parses every template now, so that a broken one stops start-up
// instead of a user's request; then it opens the rooms.
func New(o Options) (*Server, error) {
	messages := []i18n.Messages{{Name: "web", Files: files}}
	for _, room := range o.Rooms {
		messages = append(messages, i18n.Messages{Name: "web/" + room.Name, Files: room.Files})
	}
	cat, err := i18n.Load(messages...)
	if err != nil {
		return nil, err
	}
	s := &Server{svc: o.Services, sessions: o.Sessions, cat: cat, log: o.Log, baseURL: o.BaseURL, clock: o.Clock,
		pages: map[string]page{}, partials: map[string]*template.Template{}, reg: newRegistry()}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	if s.phoneRegion = o.PhoneRegion; s.phoneRegion == "" {
		s.phoneRegion = crm.DefaultPhoneRegion
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	base, err := template.New("").Funcs(templateFuncs()).ParseFS(files, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("web: the core's partials: %w", err)
	}
	if err := s.parseRoom(base, Room{Files: files}); err != nil {
		return nil, err
	}
	for _, room := range o.Rooms {
		if room.Name == "" || s.partials[room.Name] != nil {
			return nil, fmt.Errorf("web: a room needs a name of its own, not %q", room.Name)
		}
		if err := s.parseRoom(base, room); err != nil {
			return nil, err
		}
	}
	for _, room := range o.Rooms {
		if room.Open != nil {
			s.routes = append(s.routes, room.Open(s, s.reg))
		}
	}
	return s, nil
}

// PageNames lists the templates of the pages: "error" for the core's, "ROOM/PAGE" for a room's.
func (s *Server) PageNames() []string {
	var out []string
	for n := range s.pages {
		out = append(out, n)
	}
	return out
}

// Catalog is the message catalog the pages speak from: the core's shared messages and every room's.
func (s *Server) Catalog() *i18n.Catalog { return s.cat }

// Services are the use cases the pages call.
func (s *Server) Services() *services.Services { return s.svc }

// Sessions are the browser sessions: signing in and out, and messages carried to the next page.
func (s *Server) Sessions() *httpx.Sessions { return s.sessions }

// BaseURL is where people reach tili, for links shown to be copied elsewhere.
func (s *Server) BaseURL() string { return s.baseURL }

// Routes registers the static files and every room's pages on mux.
func (s *Server) Routes(mux Mux) {
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	for _, routes := range s.routes {
		routes(mux)
	}
}

// cacheStatic lets browsers keep the stylesheet and script for a day.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// Handler is a page of a signed-in user.
type Handler func(w http.ResponseWriter, r *http.Request, pg *Page)

// SignedIn lets only a signed-in user through; others go to the sign-in page, and come back after it.
func (s *Server) SignedIn(h Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := crm.PrincipalFromContext(r.Context())
		if p.UserID == 0 {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		pg, err := s.newPage(r, p)
		if err != nil {
			s.Fail(w, r, nil, err)
			return
		}
		h(w, r, pg)
	}
}

// Render writes page name ("ROOM/PAGE", or a page of the core's) in its frame: the whole HTML is made
// before anything is sent, so a template error becomes an error page instead of half a page.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	p, ok := s.pages[name]
	if !ok {
		s.log.Error("render: no such page", "page", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := p.t.ExecuteTemplate(&buf, string(p.frame), view); err != nil {
		s.log.Error("render", "page", name, "err", err, "request_id", httpx.RequestID(r.Context()))
		http.Error(w, "Something went wrong on our side; it has been logged with request id "+httpx.RequestID(r.Context())+".", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // pages hold personal data
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Fail answers an error with a page in the user's words: not found, not allowed, or — for an internal
// error — a plain sentence with the request id, the details going to the log. pg may be nil before
// sign-in.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, pg *Page, err error) {
	code := crm.CodeOf(err)
	status, ok := httpx.StatusOf[code]
	if !ok {
		status = http.StatusInternalServerError
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err, "request_id", httpx.RequestID(r.Context()))
	}
	if code == crm.Unauthenticated {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if pg == nil {
		pg = s.AnonymousPage(r)
	}
	view := errorView{Page: pg, Status: status}
	if ok {
		view.Message = pg.ErrText(err)
	}
	pg.Title = pg.T("error.title." + strconv.Itoa(status))
	s.Render(w, r, status, "error", view)
}

type errorView struct {
	*Page
	Status  int
	Message string
}

// FailAction answers a refused action: a user's error goes back to the page as a message, anything
// else is an error page.
func (s *Server) FailAction(w http.ResponseWriter, r *http.Request, pg *Page, back string, err error) {
	switch crm.CodeOf(err) {
	case crm.Invalid, crm.Conflict, crm.Stale, crm.Duplicate:
		s.Redirect(w, r, back, pg.ErrText(err))
	default:
		s.Fail(w, r, pg, err)
	}
}

// Redirect answers a form with a see-other to where the user goes next (POST-redirect-GET), with a
// message to show there.
func (s *Server) Redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" && s.sessions != nil {
		s.sessions.Put(r.Context(), "flash", flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// PathID is the {id} of the path; 0 when it is not a number, which no record has.
func PathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// FormVersion is the version of the record a form was made from.
func FormVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

// SafeNext keeps a "next" or "back" address only when it is a path of this site, so a link cannot
// send anyone elsewhere; otherwise it is "/".
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// RecordPath is the page of record id of kind.
func RecordPath(kind *crm.Kind, id int64) string { return kind.Path + "/" + strconv.FormatInt(id, 10) }

// NamedRecordPath is the page of record id of the kind called name ("" for no such kind), for what
// names its kind rather than holding it (search hits, templates).
func NamedRecordPath(name string, id int64) string {
	kind, err := crm.KindNamed("kind", name)
	if err != nil {
		return ""
	}
	return RecordPath(kind, id)
}

// UserNames maps users' ids to their names.
func UserNames(users []*crm.User) map[int64]string {
	m := make(map[int64]string, len(users))
	for _, u := range users {
		m[u.ID] = u.Name
	}
	return m
}

// TeamNames maps teams' ids to their names.
func TeamNames(teams []*crm.Team) map[int64]string {
	m := make(map[int64]string, len(teams))
	for _, t := range teams {
		m[t.ID] = t.Name
	}
	return m
}

// WaitSeconds is a wait in whole seconds, rounded up, as Retry-After and the messages about throttling
// say it.
func WaitSeconds(wait time.Duration) int64 { return int64(wait.Seconds() + 0.999) }
