package web

import (
	"net/http"
	"strconv"

	"tili/internal/services"

	"tili/internal/crm"
)

// requireAdmin refuses the administration pages to everyone but administrators: they see a 403 page.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request, pg *Page) bool {
	if pg.Principal.Role != crm.Admin {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "%s", pg.T("admin.only")))
		return false
	}
	return true
}

type usersView struct {
	*Page
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

func (s *Server) usersView(r *http.Request, pg *Page) (usersView, error) {
	view := usersView{Page: pg, Roles: crm.Roles, TeamNames: map[int64]string{}}
	var err error
	if view.Users, err = s.svc.Users.List(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	if view.Teams, err = s.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	for _, t := range view.Teams {
		view.TeamNames[t.ID] = t.Name
	}
	view.UserNames = userNames(view.Users)
	return view, nil
}

// GET /admin/users
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	pg.Title, pg.Nav = pg.T("nav.users"), "admin.users"
	view, err := s.usersView(r, pg)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.New.Role = crm.AccountManager
	s.render(w, r, http.StatusOK, "admin_users", view)
}

// POST /admin/users (email, name, role, team): invite a user; the page shows their one-time link.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	pg.Title, pg.Nav = pg.T("nav.users"), "admin.users"
	u := crm.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: crm.Role(r.PostFormValue("role")),
		Language: r.PostFormValue("language")}
	team, _ := strconv.ParseInt(r.PostFormValue("team"), 10, 64)
	if team != 0 {
		u.TeamIDs = []int64{team}
	}
	err := s.svc.Users.Create(r.Context(), pg.Principal, &u)
	view, verr := s.usersView(r, pg)
	if verr != nil {
		s.fail(w, r, pg, verr)
		return
	}
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate) {
			view.Problem, view.New, view.NewTeam = e, u, team
			s.render(w, r, http.StatusUnprocessableEntity, "admin_users", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	token, err := s.svc.Auth.PasswordLink(r.Context(), pg.Principal, u.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.Link, view.LinkFor = s.baseURL+"/set-password?token="+token, u.Email
	view.New.Role = crm.AccountManager
	s.render(w, r, http.StatusOK, "admin_users", view)
}

type userView struct {
	*Page
	U       *crm.User
	Users   []*crm.User
	Teams   []*crm.Team
	Roles   []crm.Role
	Problem *crm.Error
	Link    string
}

// GET /admin/users/{id}
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	s.renderUser(w, r, pg, nil, "", http.StatusOK)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, pg *Page, problem *crm.Error, link string, status int) {
	u, err := s.svc.Users.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Nav = u.Name, "admin.users"
	view := userView{Page: pg, U: u, Roles: crm.Roles, Problem: pg.Problem(problem), Link: link}
	if view.Users, err = s.svc.Users.List(r.Context(), pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Teams, err = s.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, status, "admin_user", view)
}

// POST /admin/users/{id} (version, name, role, team…, manager): change a user.
func (s *Server) adminUserSave(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	r.ParseForm()
	u, err := s.svc.Users.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
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
	if err := s.svc.Users.Update(r.Context(), pg.Principal, u); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Stale || e.Code == crm.Forbidden) {
			s.renderUser(w, r, pg, e, "", http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	s.redirect(w, r, "/admin/users/"+itoa(u.ID), pg.T("admin.user_saved"))
}

// POST /admin/users/{id}/disable
func (s *Server) adminUserDisable(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	if err := s.svc.Users.Disable(r.Context(), pg.Principal, pathID(r)); err != nil {
		s.failAction(w, r, pg, "/admin/users/"+itoa(pathID(r)), err)
		return
	}
	s.redirect(w, r, "/admin/users/"+itoa(pathID(r)), pg.T("admin.user_disabled"))
}

// POST /admin/users/{id}/enable: enable and show a new password link.
func (s *Server) adminUserEnable(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	if err := s.svc.Users.Enable(r.Context(), pg.Principal, pathID(r)); err != nil {
		s.failAction(w, r, pg, "/admin/users/"+itoa(pathID(r)), err)
		return
	}
	s.adminUserReset(w, r, pg)
}

// POST /admin/users/{id}/reset: a new one-time password link, shown on the page.
func (s *Server) adminUserReset(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	token, err := s.svc.Auth.PasswordLink(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.failAction(w, r, pg, "/admin/users/"+itoa(pathID(r)), err)
		return
	}
	s.renderUser(w, r, pg, nil, s.baseURL+"/set-password?token="+token, http.StatusOK)
}

type teamsView struct {
	*Page
	Teams   []*crm.Team
	Members map[int64]int
	Problem *crm.Error
	Name    string
}

// GET /admin/teams
func (s *Server) adminTeams(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	s.renderTeams(w, r, pg, nil, "", http.StatusOK)
}

func (s *Server) renderTeams(w http.ResponseWriter, r *http.Request, pg *Page, problem *crm.Error, name string, status int) {
	pg.Title, pg.Nav = pg.T("nav.teams"), "admin.teams"
	view := teamsView{Page: pg, Members: map[int64]int{}, Problem: pg.Problem(problem), Name: name}
	var err error
	if view.Teams, err = s.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	users, err := s.svc.Users.List(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	for _, u := range users {
		for _, t := range u.TeamIDs {
			view.Members[t]++
		}
	}
	s.render(w, r, status, "admin_teams", view)
}

// POST /admin/teams (name)
func (s *Server) adminTeamCreate(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	t := &crm.Team{Name: r.PostFormValue("name")}
	if err := s.svc.Users.CreateTeam(r.Context(), pg.Principal, t); err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate) {
			s.renderTeams(w, r, pg, e, t.Name, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	s.redirect(w, r, "/admin/teams", pg.T("admin.team_created", "name", t.Name))
}

type tokensView struct {
	*Page
	Tokens    []*services.APIToken
	Users     []*crm.User
	UserNames map[int64]string
	NewToken  string
	Problem   *crm.Error
}

// GET /admin/tokens
func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	s.renderTokens(w, r, pg, "", nil, http.StatusOK)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, pg *Page, token string, problem *crm.Error, status int) {
	pg.Title, pg.Nav = pg.T("nav.tokens"), "admin.tokens"
	view := tokensView{Page: pg, NewToken: token, Problem: pg.Problem(problem)}
	var err error
	if view.Tokens, err = s.svc.Auth.Tokens(r.Context(), pg.Principal, 0); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Users, err = s.svc.Users.List(r.Context(), pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.UserNames = userNames(view.Users)
	s.render(w, r, status, "admin_tokens", view)
}

// POST /admin/tokens (user, scope, name): the token is shown once, on this page.
func (s *Server) adminTokenCreate(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	user, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	nt, err := s.svc.Auth.CreateToken(r.Context(), pg.Principal, user, r.PostFormValue("scope"), filterText(r.PostFormValue("name")))
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.NotFound) {
			s.renderTokens(w, r, pg, "", e, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	s.renderTokens(w, r, pg, nt.Token, nil, http.StatusOK)
}

// POST /admin/tokens/{id}/revoke
func (s *Server) adminTokenRevoke(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	if err := s.svc.Auth.RevokeToken(r.Context(), pg.Principal, pathID(r)); err != nil {
		s.failAction(w, r, pg, "/admin/tokens", err)
		return
	}
	s.redirect(w, r, "/admin/tokens", pg.T("admin.token_revoked"))
}

type sharingView struct {
	*Page
	Setting  map[string]crm.Sharing
	Sharings []crm.Sharing
}

// GET /admin/sharing
func (s *Server) adminSharing(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	pg.Title, pg.Nav = pg.T("nav.sharing"), "admin.sharing"
	set, err := s.svc.Access.Sharing(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_sharing", sharingView{Page: pg, Setting: set, Sharings: crm.Sharings})
}

// POST /admin/sharing: a setting per shareable kind, named by the kind
func (s *Server) adminSharingSave(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !s.requireAdmin(w, r, pg) {
		return
	}
	for _, kind := range crm.ShareableKinds() {
		if v := r.PostFormValue(kind.Name); v != "" {
			if err := s.svc.Access.SetSharing(r.Context(), pg.Principal, kind.Name, crm.Sharing(v)); err != nil {
				s.fail(w, r, pg, err)
				return
			}
		}
	}
	s.redirect(w, r, "/admin/sharing", pg.T("admin.sharing_saved"))
}
