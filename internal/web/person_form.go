package web

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
)

// personForm is the person form as typed.
type personForm struct {
	ID, Version                              int64
	First, Last, Title, Department           string
	Emails, Phones, AccountID, AccountName   string
	Role, Influence, Attitude, Language      string
	Channel, Kind                            string
	ConsentEmail, ConsentPhone, ConsentPost  string
	ConsentSMS, OwnerID, TeamID, Description string
}

func readPersonForm(r *http.Request) personForm {
	v := func(k string) string { return r.PostFormValue(k) }
	version, _ := strconv.ParseInt(v("version"), 10, 64)
	return personForm{Version: version, First: v("first_name"), Last: v("last_name"), Title: v("title"),
		Department: v("department"), Emails: v("emails"), Phones: v("phones"), AccountID: v("account_id"),
		AccountName: v("account_name"), Role: v("role"), Influence: v("influence"), Attitude: v("attitude"),
		Language: v("language"), Channel: v("channel"), Kind: v("kind"), ConsentEmail: v("consent_email"),
		ConsentPhone: v("consent_phone"), ConsentPost: v("consent_post"), ConsentSMS: v("consent_sms"),
		OwnerID: v("owner"), TeamID: v("team"), Description: v("description")}
}

func (f personForm) contact() (*crm.Contact, error) {
	c := &crm.Contact{ID: f.ID, Version: f.Version, FirstName: f.First, LastName: f.Last, Title: f.Title,
		Department: f.Department, Emails: splitList(f.Emails), Phones: splitList(f.Phones), Role: crm.BuyingRole(f.Role),
		Influence: crm.Influence(f.Influence), Attitude: crm.Attitude(f.Attitude), Language: f.Language,
		Channel: crm.Channel(f.Channel), Kind: crm.ContactKind(f.Kind), Description: f.Description,
		Consent: crm.Consent{Email: crm.ConsentState(f.ConsentEmail), Phone: crm.ConsentState(f.ConsentPhone),
			Post: crm.ConsentState(f.ConsentPost), SMS: crm.ConsentState(f.ConsentSMS)}}
	for field, s := range map[string]string{"account_id": f.AccountID, "owner": f.OwnerID, "team": f.TeamID} {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return c, crm.FieldError(field, "choose from the list")
		}
		switch field {
		case "account_id":
			c.AccountID = n
		case "owner":
			c.OwnerID = n
		case "team":
			c.TeamID = n
		}
	}
	return c, nil
}

// contactFromForm reads the person of a form. Without JavaScript the picker gives no id, and the id the
// page came with stays beside whatever the user types over the company's name or clears: the name
// decides. A company the user may not see was shown without a name, and stays.
func (s *Server) contactFromForm(r *http.Request, pg *Page, f *personForm) (*crm.Contact, error) {
	name := strings.TrimSpace(filterText(f.AccountName))
	if _, sent := r.PostForm["account_name"]; sent {
		if id, err := strconv.ParseInt(strings.TrimSpace(f.AccountID), 10, 64); err == nil {
			if a, err := s.svc.Accounts.Get(r.Context(), pg.Principal, id); err == nil && crm.Fold(a.Name) != crm.Fold(name) {
				f.AccountID = ""
			}
		}
	}
	if name != "" && strings.TrimSpace(f.AccountID) == "" {
		id, err := s.pickAccount(r.Context(), pg, name, 0)
		if err != nil {
			if e, ok := crm.AsError(err); ok {
				return nil, crm.FieldError("account_id", "%s", e.Message)
			}
			return nil, err
		}
		f.AccountID = itoa(id)
	}
	return f.contact()
}

func personFormOf(pg *Page, c *crm.Contact, accountName string) personForm {
	f := personForm{ID: c.ID, Version: c.Version, First: c.FirstName, Last: c.LastName, Title: c.Title,
		Department: c.Department, Emails: strings.Join(c.Emails, "\n"), AccountName: accountName, Role: string(c.Role),
		Influence: string(c.Influence), Attitude: string(c.Attitude), Language: c.Language, Channel: string(c.Channel),
		Kind: string(c.Kind), ConsentEmail: string(c.Consent.Email), ConsentPhone: string(c.Consent.Phone),
		ConsentPost: string(c.Consent.Post), ConsentSMS: string(c.Consent.SMS), Description: c.Description}
	var phones []string
	for _, p := range c.Phones {
		phones = append(phones, pg.Phone(p))
	}
	f.Phones = strings.Join(phones, "\n")
	if c.AccountID != 0 {
		f.AccountID = itoa(c.AccountID)
	}
	if c.OwnerID != 0 {
		f.OwnerID = itoa(c.OwnerID)
	}
	if c.TeamID != 0 {
		f.TeamID = itoa(c.TeamID)
	}
	return f
}

type personFormView struct {
	*Page
	F          personForm
	New        bool
	Problem    *crm.Error
	Likely     []service.Likely
	Conflict   bool
	Diffs      []diffLine
	Users      []*crm.User
	Teams      []*crm.Team
	Roles      []crm.BuyingRole
	Influences []crm.Influence
	Attitudes  []crm.Attitude
	Channels   []crm.Channel
	Consents   []crm.ConsentState
}

func (s *Server) personFormView(r *http.Request, pg *Page, f personForm, isNew bool) (personFormView, error) {
	view := personFormView{Page: pg, F: f, New: isNew, Roles: crm.BuyingRoles, Influences: crm.Influences,
		Attitudes: crm.Attitudes, Channels: crm.Channels, Consents: crm.ConsentStates}
	var err error
	if view.Users, err = s.svc.Users.List(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	view.Teams, err = s.svc.Users.Teams(r.Context(), pg.Principal)
	return view, err
}

// GET /people/new[?account=ID]
func (s *Server) personNew(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !pg.CanCreate() {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "your role (%s) may not add people", pg.Principal.Role))
		return
	}
	pg.Title, pg.Nav = pg.T("people.add"), "people"
	f := personForm{Kind: "b2b", OwnerID: itoa(pg.Principal.UserID), ConsentEmail: "unknown", ConsentPhone: "unknown",
		ConsentPost: "unknown", ConsentSMS: "unknown"}
	if id, err := strconv.ParseInt(r.URL.Query().Get("account"), 10, 64); err == nil && id > 0 {
		if a, err := s.svc.Accounts.Get(r.Context(), pg.Principal, id); err == nil {
			f.AccountID, f.AccountName = itoa(a.ID), a.Name
		}
	}
	view, err := s.personFormView(r, pg, f, true)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "person_form", view)
}

// POST /people/new
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request, pg *Page) {
	pg.Title, pg.Nav = pg.T("people.add"), "people"
	f := readPersonForm(r)
	view, err := s.personFormView(r, pg, f, true)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	c, err := s.contactFromForm(r, pg, &view.F)
	if err == nil && r.PostFormValue("confirm_duplicate") != "1" {
		probe := *c
		if probe.Validate(s.phoneRegion) == nil {
			likely, lerr := s.svc.Contacts.Lookalikes(r.Context(), pg.Principal, &probe)
			if lerr != nil {
				s.fail(w, r, pg, lerr)
				return
			}
			if len(likely) > 0 {
				view.Likely = likely
				s.render(w, r, http.StatusOK, "person_form", view)
				return
			}
		}
	}
	if err == nil {
		_, err = s.svc.Contacts.Create(r.Context(), pg.Principal, c)
	}
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate || e.Field != "") {
			view.Problem = pg.Problem(e)
			s.render(w, r, http.StatusUnprocessableEntity, "person_form", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	to := "/people/" + itoa(c.ID)
	if back := r.PostFormValue("back"); strings.HasPrefix(back, "/companies/") {
		to = safeNext(back) // the quick add on a company page returns there
	}
	s.redirect(w, r, to, pg.T("person.created", "name", c.Name()))
}

// GET /people/{id}/edit
func (s *Server) personEdit(w http.ResponseWriter, r *http.Request, pg *Page) {
	c, err := s.svc.Contacts.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	rights, err := s.svc.Contacts.Rights(r.Context(), pg.Principal, c.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if !rights.Edit {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "%s", pg.T("person.may_not_edit", "name", c.Name())))
		return
	}
	pg.Title, pg.Nav = pg.T("person.edit", "name", c.Name()), "people"
	accountName := ""
	if c.AccountID != 0 {
		if a, err := s.svc.Accounts.Get(r.Context(), pg.Principal, c.AccountID); err == nil {
			accountName = a.Name
		}
	}
	view, err := s.personFormView(r, pg, personFormOf(pg, c, accountName), false)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "person_form", view)
}

// POST /people/{id}/edit
func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request, pg *Page) {
	f := readPersonForm(r)
	f.ID = pathID(r)
	pg.Nav = "people"
	current, err := s.svc.Contacts.Get(r.Context(), pg.Principal, f.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title = pg.T("person.edit", "name", current.Name())
	view, err := s.personFormView(r, pg, f, false)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	c, err := s.contactFromForm(r, pg, &view.F)
	if err == nil {
		c.OwnerID = current.OwnerID
		_, err = s.svc.Contacts.Update(r.Context(), pg.Principal, c)
	}
	switch e, ok := crm.AsError(err); {
	case err == nil:
		s.redirect(w, r, "/people/"+itoa(f.ID), pg.T("person.saved"))
	case ok && e.Code == crm.Stale:
		view.Conflict, view.Problem = true, pg.Problem(e)
		view.Diffs = personDiffs(pg, personFormOf(pg, current, ""), f)
		view.F.Version = current.Version
		s.render(w, r, http.StatusConflict, "person_form", view)
	case ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate || e.Field != ""):
		view.Problem = pg.Problem(e)
		s.render(w, r, http.StatusUnprocessableEntity, "person_form", view)
	default:
		s.fail(w, r, pg, err)
	}
}

func personDiffs(pg *Page, theirs, yours personForm) []diffLine {
	var out []diffLine
	add := func(key, a, b string) {
		if strings.TrimSpace(a) != strings.TrimSpace(b) {
			out = append(out, diffLine{Field: pg.T("field." + key), Theirs: a, Yours: b})
		}
	}
	add("first_name", theirs.First, yours.First)
	add("last_name", theirs.Last, yours.Last)
	add("title", theirs.Title, yours.Title)
	add("department", theirs.Department, yours.Department)
	add("emails", theirs.Emails, yours.Emails)
	add("phones", theirs.Phones, yours.Phones)
	add("company", theirs.AccountID, yours.AccountID)
	add("role", pg.Enum("role", theirs.Role), pg.Enum("role", yours.Role))
	add("influence", pg.Enum("influence", theirs.Influence), pg.Enum("influence", yours.Influence))
	add("attitude", pg.Enum("attitude", theirs.Attitude), pg.Enum("attitude", yours.Attitude))
	add("language", theirs.Language, yours.Language)
	add("channel", pg.Enum("channel", theirs.Channel), pg.Enum("channel", yours.Channel))
	add("description", theirs.Description, yours.Description)
	return out
}
