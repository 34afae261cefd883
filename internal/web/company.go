package web

import (
	"net/http"

	historysvc "tili/internal/service/history"
	"tili/internal/services"

	"tili/internal/crm"
	"tili/internal/service"
)

type companyView struct {
	*Page
	A            *crm.Account
	Rights       service.Rights
	Parent       *crm.Account
	Subsidiaries []*crm.Account
	People       []*crm.Contact
	MorePeople   bool
	Timeline     historysvc.TimelinePage
	Owner, Team  string
	Likely       []service.Likely
	Users        []*crm.User
	Changes      []changeLine
}

// GET /companies/{id}: everything about one company: the key facts, its people, its timeline.
func (s *Server) company(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, p, id := r.Context(), pg.Principal, pathID(r)
	a, err := s.svc.Accounts.Get(ctx, p, id)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Nav = a.Name, "companies"
	view := companyView{Page: pg, A: a}
	if view.Rights, err = s.svc.Accounts.Rights(ctx, p, id); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if a.ParentID != 0 {
		view.Parent, _ = s.svc.Accounts.Get(ctx, p, a.ParentID) // a parent the user may not see is left out
	}
	subs, err := s.svc.Accounts.List(ctx, p, services.AccountFilter{ParentID: id, Limit: 50})
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.Subsidiaries = subs.Items
	people, err := s.svc.Contacts.List(ctx, p, services.ContactFilter{AccountID: id, Limit: 100})
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.People, view.MorePeople = people.Items, people.Next != ""
	if view.Timeline, err = s.svc.Timeline.Of(ctx, p, crm.KindAccount.Name, id, 30, ""); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Users, err = s.svc.Users.List(ctx, p); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	names := userNames(view.Users)
	view.Owner = names[a.OwnerID]
	if a.TeamID != 0 {
		if teams, err := s.svc.Users.Teams(ctx, p); err == nil {
			for _, t := range teams {
				if t.ID == a.TeamID {
					view.Team = t.Name
				}
			}
		}
	}
	view.Changes = s.changeLines(pg, view.Timeline.Items, view.Users)
	if a.DeletedAt == nil {
		if view.Likely, err = s.svc.Accounts.Lookalikes(ctx, p, a); err != nil {
			s.fail(w, r, pg, err)
			return
		}
	}
	rememberRecent(w, r, pg.Principal.UserID, "a", id)
	s.render(w, r, http.StatusOK, "company", view)
}

func userNames(users []*crm.User) map[int64]string {
	m := make(map[int64]string, len(users))
	for _, u := range users {
		m[u.ID] = u.Name
	}
	return m
}
