package web

import (
	"net/http"

	signinsvc "tili/internal/service/signin"

	"tili/internal/crm"
	"tili/internal/i18n"
)

type settingsView struct {
	*Page
	Name, Language, TimeZone, ThemeChoice string
	Problem, PasswordProblem              *crm.Error
	Zones                                 []string
}

var commonZones = []string{"Europe/Helsinki", "Europe/Stockholm", "Europe/Tallinn", "Europe/Oslo", "Europe/Copenhagen",
	"Europe/Berlin", "Europe/London", "UTC", "America/New_York", "Asia/Tokyo"}

// GET /settings: the user's name, language, time zone, theme and password.
func (s *Server) settingsForm(w http.ResponseWriter, r *http.Request, pg *Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := pg.User
	s.render(w, r, http.StatusOK, "settings", settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone,
		ThemeChoice: u.Theme, Zones: commonZones})
}

// POST /settings
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request, pg *Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := *pg.User
	u.Name, u.Language, u.TimeZone, u.Theme = r.PostFormValue("name"), r.PostFormValue("language"), r.PostFormValue("time_zone"), r.PostFormValue("theme")
	view := settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone, ThemeChoice: u.Theme, Zones: commonZones}
	if err := s.svc.Users.Update(r.Context(), pg.Principal, &u); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Stale) {
			view.Problem = pg.Problem(e)
			s.render(w, r, http.StatusUnprocessableEntity, "settings", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	if l, ok := i18n.Parse(u.Language); ok {
		http.SetCookie(w, &http.Cookie{Name: "tili_lang", Value: string(l), Path: "/", MaxAge: 400 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		pg.Lang = l
	}
	s.redirect(w, r, "/settings", pg.T("settings.saved"))
}

// POST /settings/password (current, password, password2): change the password; the user's other sessions end.
func (s *Server) passwordSave(w http.ResponseWriter, r *http.Request, pg *Page) {
	pg.Title, pg.Nav = pg.T("nav.settings"), "settings"
	u := pg.User
	view := settingsView{Page: pg, Name: u.Name, Language: u.Language, TimeZone: u.TimeZone, ThemeChoice: u.Theme, Zones: commonZones}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("password2") {
		view.PasswordProblem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		s.render(w, r, http.StatusUnprocessableEntity, "settings", view)
		return
	}
	err := s.svc.Auth.ChangePassword(r.Context(), pg.Principal, r.PostFormValue("current_password"), next, s.sessions.Token(r.Context()))
	if wait, throttled := signinsvc.IsThrottled(err); throttled {
		w.Header().Set("Retry-After", itoa(int64(wait.Seconds()+0.999)))
		view.PasswordProblem = crm.FieldError("current_password", "%s", pg.T("login.throttled", "seconds", int64(wait.Seconds()+0.999)))
		s.render(w, r, http.StatusTooManyRequests, "settings", view)
		return
	}
	if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
		view.PasswordProblem = pg.Problem(e)
		s.render(w, r, http.StatusUnprocessableEntity, "settings", view)
		return
	}
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.redirect(w, r, "/settings", pg.T("settings.password_changed"))
}
