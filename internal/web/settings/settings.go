// Package settings is the room of a user's own settings (/settings): name, language, time zone, theme
// and password.
package settings

import (
	"embed"
	"net/http"
	"strconv"

	"tili/internal/crm"
	"tili/internal/i18n"
	signinsvc "tili/internal/service/signin"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the settings page.
func Room() web.Room { return web.Room{Name: "settings", Files: files, Open: open} }

type room struct {
	s   *web.Server
	svc *services.Services
}

func open(s *web.Server, _ *web.Registry) web.Routes {
	rm := &room{s: s, svc: s.Services()}
	return func(mux web.Mux) {
		mux.HandleFunc("GET /settings", s.SignedIn(rm.form))
		mux.HandleFunc("POST /settings", s.SignedIn(rm.save))
		mux.HandleFunc("POST /settings/password", s.SignedIn(rm.savePassword))
	}
}

type settingsView struct {
	*web.Page
	Name, Language, TimeZone, ThemeChoice string
	Problem, PasswordProblem              *crm.Error
	Zones                                 []string
}

// commonZones are the time zones the form suggests; any other may be typed.
func commonZones() []string {
	return []string{"Europe/Helsinki", "Europe/Stockholm", "Europe/Tallinn", "Europe/Oslo", "Europe/Copenhagen",
		"Europe/Berlin", "Europe/London", "UTC", "America/New_York", "Asia/Tokyo"}
}

// GET /settings: the user's name, language, time zone, theme and password.
func (rm *room) form(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := pg.User
	rm.s.Render(w, r, http.StatusOK, "settings/settings", settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone,
		ThemeChoice: u.Theme, Zones: commonZones()})
}

// POST /settings
func (rm *room) save(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := *pg.User
	u.Name, u.Language, u.TimeZone, u.Theme = r.PostFormValue("name"), r.PostFormValue("language"), r.PostFormValue("time_zone"), r.PostFormValue("theme")
	view := settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone, ThemeChoice: u.Theme, Zones: commonZones()}
	if err := rm.svc.Users.Update(r.Context(), pg.Principal, &u); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Stale) {
			view.Problem = pg.Problem(e)
			rm.s.Render(w, r, http.StatusUnprocessableEntity, "settings/settings", view)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	if l, ok := i18n.Parse(u.Language); ok {
		web.SetLanguage(w, string(l))
		pg.Lang = l
	}
	rm.s.Redirect(w, r, "/settings", pg.T("settings.saved"))
}

// POST /settings/password (current, password, password2): change the password; the user's other sessions end.
func (rm *room) savePassword(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := pg.User
	view := settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone, ThemeChoice: u.Theme, Zones: commonZones()}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("password2") {
		view.PasswordProblem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		rm.s.Render(w, r, http.StatusUnprocessableEntity, "settings/settings", view)
		return
	}
	err := rm.svc.Auth.ChangePassword(r.Context(), pg.Principal, r.PostFormValue("current_password"), next, rm.s.Sessions().Token(r.Context()))
	if wait, throttled := signinsvc.IsThrottled(err); throttled {
		w.Header().Set("Retry-After", strconv.FormatInt(web.WaitSeconds(wait), 10))
		view.PasswordProblem = crm.FieldError("current_password", "%s", pg.T("login.throttled", "seconds", web.WaitSeconds(wait)))
		rm.s.Render(w, r, http.StatusTooManyRequests, "settings/settings", view)
		return
	}
	if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
		view.PasswordProblem = pg.Problem(e)
		rm.s.Render(w, r, http.StatusUnprocessableEntity, "settings/settings", view)
		return
	}
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Redirect(w, r, "/settings", pg.T("settings.password_changed"))
}
