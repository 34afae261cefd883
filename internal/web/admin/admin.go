// Package admin is the room of the administration pages (/admin/…, administrators only): users and
// their one-time password links, teams, API tokens and the sharing defaults of each kind of record.
package admin

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the administration pages.
func Room() web.Room { return web.Room{Name: "admin", Files: files, Open: open} }

type room struct {
	s   *web.Server
	svc *services.Services
}

func open(s *web.Server, reg *web.Registry) web.Routes {
	rm := &room{s: s, svc: s.Services()}
	for i, e := range []struct{ key, path, label string }{{"admin.users", "/admin/users", "nav.users"},
		{"admin.teams", "/admin/teams", "nav.teams"}, {"admin.tokens", "/admin/tokens", "nav.tokens"},
		{"admin.sharing", "/admin/sharing", "nav.sharing"}} {
		reg.OfferNav(web.NavEntry{Key: e.key, Path: e.path, Label: e.label, Order: 10 * (i + 1), Admin: true})
	}
	return func(mux web.Mux) {
		for _, route := range []struct {
			pattern string
			h       web.Handler
		}{
			{"GET /admin/users", rm.users},
			{"POST /admin/users", rm.userCreate},
			{"GET /admin/users/{id}", rm.user},
			{"POST /admin/users/{id}", rm.userSave},
			{"POST /admin/users/{id}/disable", rm.switchUser(rm.svc.Users.Disable, rm.disabled)},
			{"POST /admin/users/{id}/enable", rm.switchUser(rm.svc.Users.Enable, rm.userReset)},
			{"POST /admin/users/{id}/reset", rm.userReset},
			{"GET /admin/teams", rm.teams},
			{"POST /admin/teams", rm.teamCreate},
			{"GET /admin/tokens", rm.tokens},
			{"POST /admin/tokens", rm.tokenCreate},
			{"POST /admin/tokens/{id}/revoke", rm.tokenRevoke},
			{"GET /admin/sharing", rm.sharing},
			{"POST /admin/sharing", rm.sharingSave},
		} {
			mux.HandleFunc(route.pattern, s.SignedIn(rm.adminOnly(route.h)))
		}
	}
}

// adminOnly refuses the administration pages to everyone but administrators: they see a 403 page.
func (rm *room) adminOnly(h web.Handler) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		if pg.Principal.Role != crm.Admin {
			rm.s.Fail(w, r, pg, crm.Errorf(crm.Forbidden, "%s", pg.T("admin.only")))
			return
		}
		h(w, r, pg)
	}
}

type usersView struct {
	*web.Page
	Users     []*crm.User
	Teams     []*crm.Team
	TeamNames map[int64]string
	UserNames map[int64]string
	Roles     []crm.Role
	Problem   *crm.Error
	New       crm.User
	NewTeam   int64
	Link      string // a one-time link just made
	LinkFor   string
}

func (rm *room) usersView(r *http.Request, pg *web.Page) (usersView, error) {
	view := usersView{Page: pg, Roles: crm.Roles}
	var err error
	if view.Users, err = rm.svc.Users.List(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	if view.Teams, err = rm.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	view.UserNames, view.TeamNames = web.UserNames(view.Users), web.TeamNames(view.Teams)
	return view, nil
}

// GET /admin/users
func (rm *room) users(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.users"), "admin.users"
	view, err := rm.usersView(r, pg)
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	view.New.Role = crm.AccountManager
	rm.s.Render(w, r, http.StatusOK, "admin/users", view)
}

// POST /admin/users (email, name, role, team): invite a user; the page shows their one-time link.
func (rm *room) userCreate(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.users"), "admin.users"
	u := crm.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: crm.Role(r.PostFormValue("role")),
		Language: r.PostFormValue("language")}
	team, _ := strconv.ParseInt(r.PostFormValue("team"), 10, 64)
	if team != 0 {
		u.TeamIDs = []int64{team}
	}
	err := rm.svc.Users.Create(r.Context(), pg.Principal, &u)
	view, verr := rm.usersView(r, pg)
	if verr != nil {
		rm.s.Fail(w, r, pg, verr)
		return
	}
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate) {
			view.Problem, view.New, view.NewTeam = e, u, team
			rm.s.Render(w, r, http.StatusUnprocessableEntity, "admin/users", view)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	token, err := rm.svc.Auth.PasswordLink(r.Context(), pg.Principal, u.ID)
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	view.Link, view.LinkFor = rm.s.BaseURL()+"/set-password?token="+token, u.Email
	view.New.Role = crm.AccountManager
	rm.s.Render(w, r, http.StatusOK, "admin/users", view)
}

type userView struct {
	*web.Page
	U       *crm.User
	Users   []*crm.User
	Teams   []*crm.Team
	Roles   []crm.Role
	Problem *crm.Error
	Link    string
}

// GET /admin/users/{id}
func (rm *room) user(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	rm.renderUser(w, r, pg, nil, "", http.StatusOK)
}

func (rm *room) renderUser(w http.ResponseWriter, r *http.Request, pg *web.Page, problem *crm.Error, link string, status int) {
	u, err := rm.svc.Users.Get(r.Context(), pg.Principal, web.PathID(r))
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Nav = u.Name, "admin.users"
	view := userView{Page: pg, U: u, Roles: crm.Roles, Problem: pg.Problem(problem), Link: link}
	if view.Users, err = rm.svc.Users.List(r.Context(), pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	if view.Teams, err = rm.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Render(w, r, status, "admin/user", view)
}

// POST /admin/users/{id} (version, name, role, team…, manager): change a user.
func (rm *room) userSave(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	r.ParseForm()
	u, err := rm.svc.Users.Get(r.Context(), pg.Principal, web.PathID(r))
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	u.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	u.Name, u.Role = r.PostFormValue("name"), crm.Role(r.PostFormValue("role"))
	u.ManagerID, _ = strconv.ParseInt(r.PostFormValue("manager"), 10, 64)
	u.TeamIDs = nil
	for _, t := range r.PostForm["team"] {
		if id, err := strconv.ParseInt(t, 10, 64); err == nil {
			u.TeamIDs = append(u.TeamIDs, id)
		}
	}
	if err := rm.svc.Users.Update(r.Context(), pg.Principal, u); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Stale || e.Code == crm.Forbidden) {
			rm.renderUser(w, r, pg, e, "", http.StatusUnprocessableEntity)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Redirect(w, r, "/admin/users/"+web.IDText(u.ID), pg.T("admin.user_saved"))
}

// switchUser disables or enables the user of the path (POST /admin/users/{id}/disable and /enable), and
// then answers with then.
func (rm *room) switchUser(change func(context.Context, crm.Principal, int64) error, then web.Handler) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		if err := change(r.Context(), pg.Principal, web.PathID(r)); err != nil {
			rm.s.FailAction(w, r, pg, userPath(r), err)
			return
		}
		then(w, r, pg)
	}
}

// userPath is the page of the user of the path.
func userPath(r *http.Request) string { return "/admin/users/" + web.IDText(web.PathID(r)) }

// disabled goes back to the user just disabled.
func (rm *room) disabled(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	rm.s.Redirect(w, r, userPath(r), pg.T("admin.user_disabled"))
}

// POST /admin/users/{id}/reset: a new one-time password link, shown on the page (after enabling too).
func (rm *room) userReset(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	token, err := rm.svc.Auth.PasswordLink(r.Context(), pg.Principal, web.PathID(r))
	if err != nil {
		rm.s.FailAction(w, r, pg, userPath(r), err)
		return
	}
	rm.renderUser(w, r, pg, nil, rm.s.BaseURL()+"/set-password?token="+token, http.StatusOK)
}

type teamsView struct {
	*web.Page
	Teams   []*crm.Team
	Members map[int64]int
	Problem *crm.Error
	Name    string
}

// GET /admin/teams
func (rm *room) teams(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	rm.renderTeams(w, r, pg, nil, "", http.StatusOK)
}

func (rm *room) renderTeams(w http.ResponseWriter, r *http.Request, pg *web.Page, problem *crm.Error, name string, status int) {
	pg.Title, pg.Nav = pg.T("nav.teams"), "admin.teams"
	view := teamsView{Page: pg, Members: map[int64]int{}, Problem: pg.Problem(problem), Name: name}
	var err error
	if view.Teams, err = rm.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	users, err := rm.svc.Users.List(r.Context(), pg.Principal)
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	for _, u := range users {
		for _, t := range u.TeamIDs {
			view.Members[t]++
		}
	}
	rm.s.Render(w, r, status, "admin/teams", view)
}

// POST /admin/teams (name)
func (rm *room) teamCreate(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	t := &crm.Team{Name: r.PostFormValue("name")}
	if err := rm.svc.Users.CreateTeam(r.Context(), pg.Principal, t); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate) {
			rm.renderTeams(w, r, pg, e, t.Name, http.StatusUnprocessableEntity)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Redirect(w, r, "/admin/teams", pg.T("admin.team_created", "name", t.Name))
}

type tokensView struct {
	*web.Page
	Tokens    []*services.APIToken
	Users     []*crm.User
	UserNames map[int64]string
	NewToken  string
	Problem   *crm.Error
}

// GET /admin/tokens
func (rm *room) tokens(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	rm.renderTokens(w, r, pg, "", nil, http.StatusOK)
}

func (rm *room) renderTokens(w http.ResponseWriter, r *http.Request, pg *web.Page, token string, problem *crm.Error, status int) {
	pg.Title, pg.Nav = pg.T("nav.tokens"), "admin.tokens"
	view := tokensView{Page: pg, NewToken: token, Problem: pg.Problem(problem)}
	var err error
	if view.Tokens, err = rm.svc.Auth.Tokens(r.Context(), pg.Principal, 0); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	if view.Users, err = rm.svc.Users.List(r.Context(), pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	view.UserNames = web.UserNames(view.Users)
	rm.s.Render(w, r, status, "admin/tokens", view)
}

// POST /admin/tokens (user, scope, name): the token is shown once, on this page.
func (rm *room) tokenCreate(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	user, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	nt, err := rm.svc.Auth.CreateToken(r.Context(), pg.Principal, user, r.PostFormValue("scope"), web.FilterText(r.PostFormValue("name")))
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.NotFound) {
			rm.renderTokens(w, r, pg, "", e, http.StatusUnprocessableEntity)
			return
		}
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.renderTokens(w, r, pg, nt.Token, nil, http.StatusOK)
}

// POST /admin/tokens/{id}/revoke
func (rm *room) tokenRevoke(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	if err := rm.svc.Auth.RevokeToken(r.Context(), pg.Principal, web.PathID(r)); err != nil {
		rm.s.FailAction(w, r, pg, "/admin/tokens", err)
		return
	}
	rm.s.Redirect(w, r, "/admin/tokens", pg.T("admin.token_revoked"))
}

type sharingView struct {
	*web.Page
	Setting  map[string]crm.Sharing
	Sharings []crm.Sharing
}

// GET /admin/sharing
func (rm *room) sharing(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	pg.Title, pg.Nav = pg.T("nav.sharing"), "admin.sharing"
	set, err := rm.svc.Access.Sharing(r.Context(), pg.Principal)
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Render(w, r, http.StatusOK, "admin/sharing", sharingView{Page: pg, Setting: set, Sharings: crm.Sharings})
}

// POST /admin/sharing: a setting per shareable kind, named by the kind
func (rm *room) sharingSave(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	for _, kind := range crm.ShareableKinds() {
		if v := r.PostFormValue(kind.Name); v != "" {
			if err := rm.svc.Access.SetSharing(r.Context(), pg.Principal, kind.Name, crm.Sharing(v)); err != nil {
				rm.s.Fail(w, r, pg, err)
				return
			}
		}
	}
	rm.s.Redirect(w, r, "/admin/sharing", pg.T("admin.sharing_saved"))
}
