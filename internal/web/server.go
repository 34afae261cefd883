// Package web serves tili's HTML pages: one file per page or action, templates embedded and parsed once
// at start-up, a small ES module for enhancements. Every page works without JavaScript.
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
	"path"
	"strconv"
	"strings"

	"tili/internal/services"

	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/i18n"
)

//go:embed all:templates static
var files embed.FS

// Server holds what the pages need; the composition root builds it.
type Server struct {
	svc      *services.Services
	sessions *httpx.Sessions
	cat      *i18n.Catalog
	pages    map[string]*template.Template
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
}

// New parses every template now, so a broken one stops start-up instead of a user's request.
func New(o Options) (*Server, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{svc: o.Services, sessions: o.Sessions, cat: cat, log: o.Log, baseURL: o.BaseURL, clock: o.Clock,
		pages: map[string]*template.Template{}}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	if s.phoneRegion = o.PhoneRegion; s.phoneRegion == "" {
		s.phoneRegion = crm.DefaultPhoneRegion
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	shared, err := fs.Glob(files, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(files, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	if len(shared) == 0 || len(pages) == 0 {
		return nil, fmt.Errorf("web: the embedded templates are missing")
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(files, append(append([]string{}, shared...), p)...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return s, nil
}

// PageNames lists the templates of the pages, for the test that renders every one.
func (s *Server) PageNames() []string {
	var out []string
	for n := range s.pages {
		out = append(out, n)
	}
	return out
}

// Catalog is the message catalog the pages speak from.
func (s *Server) Catalog() *i18n.Catalog { return s.cat }

// Routes registers the pages on mux (Go 1.22 method and wildcard patterns).
func (s *Server) Routes(mux *http.ServeMux) {
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})

	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /setup", s.setupForm)
	mux.HandleFunc("POST /setup", s.setupSubmit)
	mux.HandleFunc("GET /set-password", s.setPasswordForm)
	mux.HandleFunc("POST /set-password", s.setPasswordSubmit)
	mux.HandleFunc("POST /language", s.language)

	mux.HandleFunc("GET /{$}", s.signedIn(s.home))
	mux.HandleFunc("GET /search", s.signedIn(s.search))
	mux.HandleFunc("GET /search/suggest", s.signedIn(s.suggest))
	mux.HandleFunc("GET /settings", s.signedIn(s.settingsForm))
	mux.HandleFunc("POST /settings", s.signedIn(s.settingsSave))
	mux.HandleFunc("POST /settings/password", s.signedIn(s.passwordSave))

	mux.HandleFunc("GET /companies", s.signedIn(s.companies))
	mux.HandleFunc("GET /companies/export", s.signedIn(s.companiesExport))
	mux.HandleFunc("POST /companies/bulk", s.signedIn(s.companiesBulk))
	mux.HandleFunc("POST /companies/views", s.signedIn(s.viewSave("companies")))
	mux.HandleFunc("POST /companies/views/{id}/delete", s.signedIn(s.viewDelete("companies")))
	mux.HandleFunc("GET /companies/new", s.signedIn(s.companyNew))
	mux.HandleFunc("POST /companies/new", s.signedIn(s.companyCreate))
	mux.HandleFunc("GET /companies/{id}", s.signedIn(s.company))
	mux.HandleFunc("GET /companies/{id}/edit", s.signedIn(s.companyEdit))
	mux.HandleFunc("POST /companies/{id}/edit", s.signedIn(s.companyUpdate))
	mux.HandleFunc("POST /companies/{id}/delete", s.signedIn(s.companyDelete))
	mux.HandleFunc("POST /companies/{id}/restore", s.signedIn(s.companyRestore))
	mux.HandleFunc("GET /companies/{id}/merge", s.signedIn(s.companyMergeForm))
	mux.HandleFunc("POST /companies/{id}/merge", s.signedIn(s.companyMerge))
	mux.HandleFunc("GET /companies/{id}/history", s.signedIn(s.companyHistory))
	mux.HandleFunc("GET /companies/{id}/share", s.signedIn(s.shareForm(crm.KindAccount)))
	mux.HandleFunc("POST /companies/{id}/share", s.signedIn(s.shareSave(crm.KindAccount)))
	mux.HandleFunc("POST /companies/{id}/reassign", s.signedIn(s.reassign(crm.KindAccount, reassignWith(s.svc.Accounts.Reassign))))

	mux.HandleFunc("GET /people", s.signedIn(s.people))
	mux.HandleFunc("GET /people/export", s.signedIn(s.peopleExport))
	mux.HandleFunc("POST /people/views", s.signedIn(s.viewSave("people")))
	mux.HandleFunc("POST /people/views/{id}/delete", s.signedIn(s.viewDelete("people")))
	mux.HandleFunc("GET /people/new", s.signedIn(s.personNew))
	mux.HandleFunc("POST /people/new", s.signedIn(s.personCreate))
	mux.HandleFunc("GET /people/{id}", s.signedIn(s.person))
	mux.HandleFunc("GET /people/{id}/edit", s.signedIn(s.personEdit))
	mux.HandleFunc("POST /people/{id}/edit", s.signedIn(s.personUpdate))
	mux.HandleFunc("POST /people/{id}/delete", s.signedIn(s.personDelete))
	mux.HandleFunc("POST /people/{id}/restore", s.signedIn(s.personRestore))
	mux.HandleFunc("GET /people/{id}/merge", s.signedIn(s.personMergeForm))
	mux.HandleFunc("POST /people/{id}/merge", s.signedIn(s.personMerge))
	mux.HandleFunc("GET /people/{id}/history", s.signedIn(s.personHistory))
	mux.HandleFunc("GET /people/{id}/share", s.signedIn(s.shareForm(crm.KindContact)))
	mux.HandleFunc("POST /people/{id}/share", s.signedIn(s.shareSave(crm.KindContact)))
	mux.HandleFunc("POST /people/{id}/reassign", s.signedIn(s.reassign(crm.KindContact, reassignWith(s.svc.Contacts.Reassign))))
	mux.HandleFunc("POST /shares/{id}/delete", s.signedIn(s.shareDelete))

	mux.HandleFunc("GET /admin/users", s.signedIn(s.adminUsers))
	mux.HandleFunc("POST /admin/users", s.signedIn(s.adminUserCreate))
	mux.HandleFunc("GET /admin/users/{id}", s.signedIn(s.adminUser))
	mux.HandleFunc("POST /admin/users/{id}", s.signedIn(s.adminUserSave))
	mux.HandleFunc("POST /admin/users/{id}/disable", s.signedIn(s.adminUserDisable))
	mux.HandleFunc("POST /admin/users/{id}/enable", s.signedIn(s.adminUserEnable))
	mux.HandleFunc("POST /admin/users/{id}/reset", s.signedIn(s.adminUserReset))
	mux.HandleFunc("GET /admin/teams", s.signedIn(s.adminTeams))
	mux.HandleFunc("POST /admin/teams", s.signedIn(s.adminTeamCreate))
	mux.HandleFunc("GET /admin/tokens", s.signedIn(s.adminTokens))
	mux.HandleFunc("POST /admin/tokens", s.signedIn(s.adminTokenCreate))
	mux.HandleFunc("POST /admin/tokens/{id}/revoke", s.signedIn(s.adminTokenRevoke))
	mux.HandleFunc("GET /admin/sharing", s.signedIn(s.adminSharing))
	mux.HandleFunc("POST /admin/sharing", s.signedIn(s.adminSharingSave))
}

// cacheStatic lets browsers keep the stylesheet and script for a day.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// signedIn lets only a signed-in user through; others go to the sign-in page, and come back after it.
func (s *Server) signedIn(h func(w http.ResponseWriter, r *http.Request, pg *Page)) http.HandlerFunc {
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
			s.fail(w, r, nil, err)
			return
		}
		h(w, r, pg)
	}
}

// render writes a page: the whole HTML is made before anything is sent, so a template error becomes an
// error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	t := s.pages[name]
	if t == nil {
		s.log.Error("render: no such page", "page", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	wrapper := "page"
	if strings.HasPrefix(name, "auth_") {
		wrapper = "authpage"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, wrapper, view); err != nil {
		s.log.Error("render", "page", name, "err", err, "request_id", httpx.RequestID(r.Context()))
		http.Error(w, "Something went wrong on our side; it has been logged with request id "+httpx.RequestID(r.Context())+".", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // pages hold personal data
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error with a page in the user's words: not found, not allowed, or — for an internal
// error — a plain sentence with the request id, the details going to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, pg *Page, err error) {
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
		pg = s.anonymousPage(r)
	}
	view := errorView{Page: pg, Status: status}
	if ok {
		view.Message = pg.ErrText(err)
	}
	pg.Title = pg.T("error.title." + strconv.Itoa(status))
	s.render(w, r, status, "error", view)
}

type errorView struct {
	*Page
	Status  int
	Message string
}

// pathID is the {id} of the path; 0 when it is not a number, which no record has.
func pathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// redirect answers a form with a see-other to where the user goes next (POST-redirect-GET), with a
// message to show there.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" && s.sessions != nil {
		s.sessions.Put(r.Context(), "flash", flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
