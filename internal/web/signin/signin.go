// Package signin is the room of the pages before and around sign-in: signing in and out, the form that
// makes the first administrator, the form of a one-time password link, and the switch of language that
// every page offers. Its pages stand in the sign-in frame.
package signin

import (
	"embed"
	"errors"
	"net/http"
	"strconv"

	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/i18n"
	signinsvc "tili/internal/service/signin"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the sign-in pages.
func Room() web.Room {
	return web.Room{Name: "signin", Files: files, Frame: web.SignInFrame, Open: open}
}

type room struct {
	s        *web.Server
	svc      *services.Services
	sessions *httpx.Sessions
}

func open(s *web.Server, _ *web.Registry) web.Routes {
	rm := &room{s: s, svc: s.Services(), sessions: s.Sessions()}
	return func(mux web.Mux) {
		mux.HandleFunc("GET /login", rm.loginForm)
		mux.HandleFunc("POST /login", rm.loginSubmit)
		mux.HandleFunc("POST /logout", rm.logout)
		mux.HandleFunc("GET /setup", rm.setupForm)
		mux.HandleFunc("POST /setup", rm.setupSubmit)
		mux.HandleFunc("GET /set-password", rm.setPasswordForm)
		mux.HandleFunc("POST /set-password", rm.setPasswordSubmit)
		mux.HandleFunc("POST /language", rm.language)
	}
}

type loginView struct {
	*web.Page
	Email, Next string
	Problem     string
}

// GET /login
func (rm *room) loginForm(w http.ResponseWriter, r *http.Request) {
	if crm.PrincipalFromContext(r.Context()).UserID != 0 {
		http.Redirect(w, r, web.SafeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("sign.in")
	if n, err := rm.svc.UserCount(r.Context()); err == nil && n == 0 {
		pg.Flash = pg.T("login.no_users")
	}
	rm.s.Render(w, r, http.StatusOK, "signin/login", loginView{Page: pg, Next: web.SafeNext(r.URL.Query().Get("next"))})
}

// POST /login (email, password): sign in and go where the user was headed.
func (rm *room) loginSubmit(w http.ResponseWriter, r *http.Request) {
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("sign.in")
	view := loginView{Page: pg, Email: r.PostFormValue("email"), Next: web.SafeNext(r.PostFormValue("next"))}
	u, err := rm.sessions.SignIn(w, r, view.Email, r.PostFormValue("password"))
	if err == nil {
		// the page after sign-in speaks the user's language
		web.SetLanguage(w, u.Language)
		http.Redirect(w, r, view.Next, http.StatusSeeOther)
		return
	}
	status := http.StatusUnauthorized
	switch wait, throttled := signinsvc.IsThrottled(err); {
	case throttled:
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.FormatInt(web.WaitSeconds(wait), 10))
		view.Problem = pg.T("login.throttled", "seconds", web.WaitSeconds(wait))
	case crm.CodeOf(err) == crm.Unauthenticated:
		view.Problem = pg.T("login.wrong")
	default:
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Render(w, r, status, "signin/login", view)
}

// POST /logout: end the session on the server and in the browser.
func (rm *room) logout(w http.ResponseWriter, r *http.Request) {
	if err := rm.sessions.SignOut(r.Context()); err != nil {
		rm.s.Fail(w, r, nil, err)
		return
	}
	// what this user opened last is not the next user's business
	web.ForgetRecent(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type passwordView struct {
	*web.Page
	Token, Email, Name string
	Problem            *crm.Error
}

// GET /setup?token=: the form that creates the first administrator.
func (rm *room) setupForm(w http.ResponseWriter, r *http.Request) {
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("setup.title")
	token := r.URL.Query().Get("token")
	if purpose, _, err := rm.svc.Auth.Link(r.Context(), token); err != nil || purpose != "setup" {
		rm.s.Render(w, r, http.StatusNotFound, "signin/link", passwordView{Page: pg})
		return
	}
	rm.s.Render(w, r, http.StatusOK, "signin/setup", passwordView{Page: pg, Token: token})
}

// POST /setup: create the first administrator and sign them in.
func (rm *room) setupSubmit(w http.ResponseWriter, r *http.Request) {
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("setup.title")
	view := passwordView{Page: pg, Token: r.PostFormValue("token"), Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		view.Problem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		rm.s.Render(w, r, http.StatusUnprocessableEntity, "signin/setup", view)
		return
	}
	u := &crm.User{Email: view.Email, Name: view.Name, Language: string(pg.Lang)}
	if err := rm.svc.Auth.UseSetupLink(r.Context(), view.Token, u, password); err != nil {
		if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
			view.Problem = pg.Problem(e)
			rm.s.Render(w, r, http.StatusUnprocessableEntity, "signin/setup", view)
			return
		}
		if crm.CodeOf(err) == crm.NotFound || crm.CodeOf(err) == crm.Conflict {
			rm.s.Render(w, r, http.StatusNotFound, "signin/link", view)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	if _, err := rm.sessions.SignIn(w, r, u.Email, password); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// GET /set-password?token=: the form of a one-time password link.
func (rm *room) setPasswordForm(w http.ResponseWriter, r *http.Request) {
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("password.title")
	token := r.URL.Query().Get("token")
	purpose, email, err := rm.svc.Auth.Link(r.Context(), token)
	if err != nil || purpose != "password" {
		rm.s.Render(w, r, http.StatusNotFound, "signin/link", passwordView{Page: pg})
		return
	}
	rm.s.Render(w, r, http.StatusOK, "signin/password", passwordView{Page: pg, Token: token, Email: email})
}

// POST /set-password: set the password and sign the user in.
func (rm *room) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	pg := rm.s.AnonymousPage(r)
	pg.Title = pg.T("password.title")
	view := passwordView{Page: pg, Token: r.PostFormValue("token")}
	if _, email, err := rm.svc.Auth.Link(r.Context(), view.Token); err == nil {
		view.Email = email
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		view.Problem = crm.FieldError("password2", "%s", pg.T("password.mismatch"))
		rm.s.Render(w, r, http.StatusUnprocessableEntity, "signin/password", view)
		return
	}
	u, err := rm.svc.Auth.UsePasswordLink(r.Context(), view.Token, password)
	if err != nil {
		var e *crm.Error
		if errors.As(err, &e) && e.Code == crm.Invalid {
			view.Problem = pg.Problem(e)
			rm.s.Render(w, r, http.StatusUnprocessableEntity, "signin/password", view)
			return
		}
		if crm.CodeOf(err) == crm.NotFound {
			rm.s.Render(w, r, http.StatusNotFound, "signin/link", view)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	if _, err := rm.sessions.SignIn(w, r, u.Email, password); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// POST /language (lang, back): switch the language; a signed-in user's setting changes with it.
func (rm *room) language(w http.ResponseWriter, r *http.Request) {
	lang, ok := i18n.Parse(r.PostFormValue("lang"))
	if !ok {
		lang = i18n.Fi
	}
	web.SetLanguage(w, string(lang))
	if p := crm.PrincipalFromContext(r.Context()); p.UserID != 0 {
		if u, err := rm.svc.Auth.User(r.Context(), p); err == nil && u.Language != string(lang) {
			u.Language = string(lang)
			if err := rm.svc.Users.Update(r.Context(), p, u); err != nil {
				rm.s.Fail(w, r, nil, err)
				return
			}
		}
	}
	http.Redirect(w, r, web.SafeNext(r.PostFormValue("back")), http.StatusSeeOther)
}
