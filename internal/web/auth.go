package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	signinsvc "tili/internal/service/signin"

	"tili/internal/crm"
	"tili/internal/i18n"
)

type loginView struct {
	*Page
	Email, Next string
	Problem     string
}

// safeNext keeps a "next" address only when it is a path of this site, so a sign-in link cannot send
// anyone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// GET /login
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if crm.PrincipalFromContext(r.Context()).UserID != 0 {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	pg := s.anonymousPage(r)
	pg.Title = pg.T("sign.in")
	if n, err := s.svc.UserCount(r.Context()); err == nil && n == 0 {
		pg.Flash = pg.T("login.no_users")
	}
	s.render(w, r, http.StatusOK, "auth_login", loginView{Page: pg, Next: safeNext(r.URL.Query().Get("next"))})
}

// POST /login (email, password): sign in and go where the user was headed.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	pg := s.anonymousPage(r)
	pg.Title = pg.T("sign.in")
	view := loginView{Page: pg, Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
	u, err := s.sessions.SignIn(w, r, view.Email, r.PostFormValue("password"))
	if err == nil {
		// the page after sign-in speaks the user's language
		http.SetCookie(w, &http.Cookie{Name: "tili_lang", Value: u.Language, Path: "/", MaxAge: 400 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		http.Redirect(w, r, view.Next, http.StatusSeeOther)
		return
	}
	status := http.StatusUnauthorized
	switch wait, throttled := signinsvc.IsThrottled(err); {
	case throttled:
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", itoa(int64(wait.Seconds()+0.999)))
		view.Problem = pg.T("login.throttled", "seconds", int64(wait.Seconds()+0.999))
	case crm.CodeOf(err) == crm.Unauthenticated:
		view.Problem = pg.T("login.wrong")
	default:
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, status, "auth_login", view)
}

// POST /logout: end the session on the server and in the browser.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.SignOut(r.Context()); err != nil {
		s.fail(w, r, nil, err)
		return
	}
	// what this user opened last is not the next user's business
	http.SetCookie(w, &http.Cookie{Name: recentCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type passwordView struct {
	*Page
	Token, Email, Name string
	Problem            *crm.Error
}

// GET /setup?token=: the form that creates the first administrator.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	pg := s.anonymousPage(r)
	pg.Title = pg.T("setup.title")
	token := r.URL.Query().Get("token")
	if purpose, _, err := s.svc.Auth.Link(r.Context(), token); err != nil || purpose != "setup" {
		s.render(w, r, http.StatusNotFound, "auth_link", passwordView{Page: pg})
		return
	}
	s.render(w, r, http.StatusOK, "auth_setup", passwordView{Page: pg, Token: token})
}

// POST /setup: create the first administrator and sign them in.
func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	pg := s.anonymousPage(r)
	pg.Title = pg.T("setup.title")
	view := passwordView{Page: pg, Token: r.PostFormValue("token"), Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		view.Problem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		s.render(w, r, http.StatusUnprocessableEntity, "auth_setup", view)
		return
	}
	u := &crm.User{Email: view.Email, Name: view.Name, Language: string(pg.Lang)}
	if err := s.svc.Auth.UseSetupLink(r.Context(), view.Token, u, password); err != nil {
		if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
			view.Problem = pg.Problem(e)
			s.render(w, r, http.StatusUnprocessableEntity, "auth_setup", view)
			return
		}
		if crm.CodeOf(err) == crm.NotFound || crm.CodeOf(err) == crm.Conflict {
			s.render(w, r, http.StatusNotFound, "auth_link", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	if _, err := s.sessions.SignIn(w, r, u.Email, password); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// GET /set-password?token=: the form of a one-time password link.
func (s *Server) setPasswordForm(w http.ResponseWriter, r *http.Request) {
	pg := s.anonymousPage(r)
	pg.Title = pg.T("password.title")
	token := r.URL.Query().Get("token")
	purpose, email, err := s.svc.Auth.Link(r.Context(), token)
	if err != nil || purpose != "password" {
		s.render(w, r, http.StatusNotFound, "auth_link", passwordView{Page: pg})
		return
	}
	s.render(w, r, http.StatusOK, "auth_password", passwordView{Page: pg, Token: token, Email: email})
}

// POST /set-password: set the password and sign the user in.
func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	pg := s.anonymousPage(r)
	pg.Title = pg.T("password.title")
	view := passwordView{Page: pg, Token: r.PostFormValue("token")}
	if _, email, err := s.svc.Auth.Link(r.Context(), view.Token); err == nil {
		view.Email = email
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		view.Problem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		s.render(w, r, http.StatusUnprocessableEntity, "auth_password", view)
		return
	}
	u, err := s.svc.Auth.UsePasswordLink(r.Context(), view.Token, password)
	if err != nil {
		var e *crm.Error
		if errors.As(err, &e) && e.Code == crm.Invalid {
			view.Problem = pg.Problem(e)
			s.render(w, r, http.StatusUnprocessableEntity, "auth_password", view)
			return
		}
		if crm.CodeOf(err) == crm.NotFound {
			s.render(w, r, http.StatusNotFound, "auth_link", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	if _, err := s.sessions.SignIn(w, r, u.Email, password); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// POST /language (lang, back): switch the language; a signed-in user's setting changes with it.
func (s *Server) language(w http.ResponseWriter, r *http.Request) {
	lang, ok := i18n.Parse(r.PostFormValue("lang"))
	if !ok {
		lang = i18n.Fi
	}
	http.SetCookie(w, &http.Cookie{Name: "tili_lang", Value: string(lang), Path: "/", MaxAge: 400 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	if p := crm.PrincipalFromContext(r.Context()); p.UserID != 0 {
		if u, err := s.svc.Auth.User(r.Context(), p); err == nil && u.Language != string(lang) {
			u.Language = string(lang)
			if err := s.svc.Users.Update(r.Context(), p, u); err != nil {
				s.fail(w, r, nil, err)
				return
			}
		}
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
}
