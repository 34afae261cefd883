package web

import (
	"net/http"
	"strconv"
	"strings"

	historysvc "tili/internal/service/history"

	"tili/internal/crm"
	"tili/internal/service"
)

type personView struct {
	*Page
	C           *crm.Contact
	Rights      service.Rights
	Company     *crm.Account
	Past        []pastCompany
	Owner, Team string
	Users       []*crm.User
	Changes     []changeLine
	Timeline    historysvc.TimelinePage
	Likely      []service.Likely
}

type pastCompany struct {
	ID          int64
	Name, Title string
	Until       interface{ IsZero() bool }
	UntilText   string
}

// GET /people/{id}
func (s *Server) person(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx, p, id := r.Context(), pg.Principal, pathID(r)
	c, err := s.svc.Contacts.Get(ctx, p, id)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Nav = c.Name(), "people"
	view := personView{Page: pg, C: c}
	if view.Rights, err = s.svc.Contacts.Rights(ctx, p, id); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if c.AccountID != 0 {
		view.Company, _ = s.svc.Accounts.Get(ctx, p, c.AccountID)
	}
	var pastIDs []int64
	for _, pa := range c.PastAccounts {
		pastIDs = append(pastIDs, pa.AccountID)
	}
	names, err := s.svc.Accounts.Names(ctx, p, pastIDs)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	for _, pa := range c.PastAccounts {
		view.Past = append(view.Past, pastCompany{ID: pa.AccountID, Name: names[pa.AccountID], Title: pa.Title, UntilText: pg.Date(pa.Until)})
	}
	if view.Users, err = s.svc.Users.List(ctx, p); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.Owner = userNames(view.Users)[c.OwnerID]
	if view.Timeline, err = s.svc.Timeline.Of(ctx, p, crm.KindContact.Name, id, 30, ""); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.Changes = s.changeLines(pg, view.Timeline.Items, view.Users)
	if c.DeletedAt == nil {
		if view.Likely, err = s.svc.Contacts.Lookalikes(ctx, p, c); err != nil {
			s.fail(w, r, pg, err)
			return
		}
	}
	rememberRecent(w, r, pg.Principal.UserID, "c", id)
	s.render(w, r, http.StatusOK, "person", view)
}

// POST /people/{id}/delete
func (s *Server) personDelete(w http.ResponseWriter, r *http.Request, pg *Page) {
	c, err := s.svc.Contacts.Delete(r.Context(), pg.Principal, pathID(r), formVersion(r))
	if err != nil {
		s.failAction(w, r, pg, "/people/"+itoa(pathID(r)), err)
		return
	}
	s.redirect(w, r, "/people/"+itoa(c.ID), pg.T("person.deleted", "name", c.Name()))
}

// POST /people/{id}/restore
func (s *Server) personRestore(w http.ResponseWriter, r *http.Request, pg *Page) {
	c, err := s.svc.Contacts.Restore(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.failAction(w, r, pg, "/people/"+itoa(pathID(r)), err)
		return
	}
	s.redirect(w, r, "/people/"+itoa(c.ID), pg.T("person.restored", "name", c.Name()))
}

// GET /people/{id}/history
func (s *Server) personHistory(w http.ResponseWriter, r *http.Request, pg *Page) {
	c, err := s.svc.Contacts.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.history(w, r, pg, crm.KindContact, c.ID, c.Name())
}

type personMergeView struct {
	*Page
	Keep, Dup *crm.Contact
	Rows      []mergeRow
}

// GET /people/{id}/merge?with=DUP
func (s *Server) personMergeForm(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	keep, err := s.svc.Contacts.Get(ctx, pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	dupID, _ := strconv.ParseInt(r.URL.Query().Get("with"), 10, 64)
	dup, err := s.svc.Contacts.Get(ctx, pg.Principal, dupID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	rights, err := s.svc.Contacts.Rights(ctx, pg.Principal, keep.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if !rights.Edit {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "you may view %s but not change it", keep.Name()))
		return
	}
	pg.Title, pg.Nav = pg.T("merge.title", "name", keep.Name()), "people"
	view := personMergeView{Page: pg, Keep: keep, Dup: dup}
	for _, field := range crm.ContactMergeFields {
		k, d := contactFieldText(pg, keep, field), contactFieldText(pg, dup, field)
		if k != d {
			view.Rows = append(view.Rows, mergeRow{Field: field, Label: pg.T("field." + field), Keep: k, Dup: d, TakeDup: k == ""})
		}
	}
	s.render(w, r, http.StatusOK, "person_merge", view)
}

// POST /people/{id}/merge
func (s *Server) personMerge(w http.ResponseWriter, r *http.Request, pg *Page) {
	r.ParseForm()
	dupID, _ := strconv.ParseInt(r.PostFormValue("dup"), 10, 64)
	var fromDup []string
	for _, field := range crm.ContactMergeFields {
		if r.PostFormValue("take_"+field) == "dup" {
			fromDup = append(fromDup, field)
		}
	}
	c, err := s.svc.Contacts.Merge(r.Context(), pg.Principal, pathID(r), dupID, fromDup...)
	if err != nil {
		s.failAction(w, r, pg, "/people/"+itoa(pathID(r))+"/merge?with="+itoa(dupID), err)
		return
	}
	s.redirect(w, r, "/people/"+itoa(c.ID), pg.T("merge.done"))
}

func contactFieldText(pg *Page, c *crm.Contact, field string) string {
	switch field {
	case "first_name":
		return c.FirstName
	case "last_name":
		return c.LastName
	case "title":
		return c.Title
	case "department":
		return c.Department
	case "emails":
		return strings.Join(c.Emails, ", ")
	case "phones":
		var out []string
		for _, p := range c.Phones {
			out = append(out, pg.Phone(p))
		}
		return strings.Join(out, ", ")
	case "account_id":
		if c.AccountID == 0 {
			return ""
		}
		return "#" + itoa(c.AccountID)
	case "role":
		return pg.Enum("role", c.Role)
	case "influence":
		return pg.Enum("influence", c.Influence)
	case "attitude":
		return pg.Enum("attitude", c.Attitude)
	case "language":
		return c.Language
	case "channel":
		return pg.Enum("channel", c.Channel)
	case "description":
		return c.Description
	}
	return ""
}
