package web

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
)

// companyForm is the company form as typed: every value a string, so a refused form comes back exactly
// as the user left it.
type companyForm struct {
	ID, Version                                  int64
	Name, BusinessID, VATID, Stage, Tier         string
	Segment, IndustryCode, Industry, Employees   string
	RevenueBand, Website, Phones, Emails, Tags   string
	VisitStreet, VisitPostal, VisitCity, VisitCC string
	PostStreet, PostPostal, PostCity, PostCC     string
	BillStreet, BillPostal, BillCity, BillCC     string
	EInvoiceAddress, EInvoiceOperator            string
	ParentID, ParentName, OwnerID, TeamID        string
	Description, InternalNotes                   string
}

func readCompanyForm(r *http.Request) companyForm {
	v := func(k string) string { return r.PostFormValue(k) }
	id, _ := strconv.ParseInt(v("id"), 10, 64)
	version, _ := strconv.ParseInt(v("version"), 10, 64)
	return companyForm{ID: id, Version: version, Name: v("name"), BusinessID: v("business_id"), VATID: v("vat_id"),
		Stage: v("stage"), Tier: v("tier"), Segment: v("segment"), IndustryCode: v("industry_code"), Industry: v("industry"),
		Employees: v("employees"), RevenueBand: v("revenue_band"), Website: v("website"), Phones: v("phones"),
		Emails: v("emails"), Tags: v("tags"), VisitStreet: v("visit_street"), VisitPostal: v("visit_postal_code"),
		VisitCity: v("visit_city"), VisitCC: v("visit_country"), PostStreet: v("post_street"), PostPostal: v("post_postal_code"),
		PostCity: v("post_city"), PostCC: v("post_country"), BillStreet: v("bill_street"), BillPostal: v("bill_postal_code"),
		BillCity: v("bill_city"), BillCC: v("bill_country"), EInvoiceAddress: v("einvoice_address"),
		EInvoiceOperator: v("einvoice_operator"), ParentID: v("parent_id"), ParentName: v("parent_name"), OwnerID: v("owner"),
		TeamID: v("team"), Description: v("description"), InternalNotes: v("internal_notes")}
}

// splitList reads a list typed one per line or separated by commas or semicolons.
func splitList(s string) []string {
	return nonEmpty(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }))
}

// account turns the form into a company; a number that is not one is an error about its field.
func (f companyForm) account() (*crm.Account, error) {
	a := &crm.Account{ID: f.ID, Version: f.Version, Name: f.Name, BusinessID: f.BusinessID, VATID: f.VATID,
		Stage: crm.Stage(f.Stage), Tier: crm.Tier(f.Tier), Segment: f.Segment, IndustryCode: f.IndustryCode, Industry: f.Industry,
		RevenueBand: crm.RevenueBand(f.RevenueBand), Website: f.Website, Phones: splitList(f.Phones),
		Emails: splitList(f.Emails), Tags: splitList(f.Tags),
		VisitingAddress: crm.Address{Street: f.VisitStreet, PostalCode: f.VisitPostal, City: f.VisitCity, Country: f.VisitCC},
		PostalAddress:   crm.Address{Street: f.PostStreet, PostalCode: f.PostPostal, City: f.PostCity, Country: f.PostCC},
		BillingAddress:  crm.Address{Street: f.BillStreet, PostalCode: f.BillPostal, City: f.BillCity, Country: f.BillCC},
		EInvoiceAddress: f.EInvoiceAddress, EInvoiceOperator: f.EInvoiceOperator,
		Description: f.Description, InternalNotes: f.InternalNotes}
	if e := strings.TrimSpace(f.Employees); e != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(e, " ", ""), "\u00a0", ""), 10, 64)
		if err != nil {
			return a, crm.FieldError("employees", "write the number of employees as a whole number, e.g. 240")
		}
		a.Employees = &n
	}
	for field, s := range map[string]string{"parent_id": f.ParentID, "owner": f.OwnerID, "team": f.TeamID} {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return a, crm.FieldError(field, "choose from the list")
		}
		switch field {
		case "parent_id":
			a.ParentID = n
		case "owner":
			a.OwnerID = n
		case "team":
			a.TeamID = n
		}
	}
	return a, nil
}

// accountFromForm reads the company of a form, finding the parent company by its typed name when the
// picker gave no id (without JavaScript).
func (s *Server) accountFromForm(r *http.Request, pg *Page, f *companyForm) (*crm.Account, error) {
	name := strings.TrimSpace(f.ParentName)
	if _, sent := r.PostForm["parent_name"]; sent {
		// the id the page came with stays beside whatever the user types over the parent's name: the
		// typed name decides, and a cleared name is no parent — unless the parent is one the user may not
		// see, whose name the form never showed
		if id, err := strconv.ParseInt(strings.TrimSpace(f.ParentID), 10, 64); err == nil {
			p, err := s.svc.Accounts.Get(r.Context(), pg.Principal, id)
			if err == nil && crm.Fold(p.Name) != crm.Fold(name) {
				f.ParentID = ""
			}
		}
	}
	if strings.TrimSpace(f.ParentID) == "" && name != "" {
		id, err := s.pickAccount(r.Context(), pg, name, f.ID)
		if err != nil {
			if e, ok := err.(*crm.Error); ok {
				return nil, crm.FieldError("parent_id", "%s", e.Message)
			}
			return nil, err
		}
		f.ParentID = itoa(id)
	}
	return f.account()
}

func companyFormOf(pg *Page, a *crm.Account, parentName string) companyForm {
	f := companyForm{ID: a.ID, Version: a.Version, Name: a.Name, BusinessID: a.BusinessID, VATID: a.VATID, Stage: string(a.Stage),
		Tier: string(a.Tier), Segment: a.Segment, IndustryCode: a.IndustryCode, Industry: a.Industry,
		RevenueBand: string(a.RevenueBand), Website: a.Website, Emails: strings.Join(a.Emails, "\n"), Tags: strings.Join(a.Tags, ", "),
		VisitStreet: a.VisitingAddress.Street, VisitPostal: a.VisitingAddress.PostalCode, VisitCity: a.VisitingAddress.City,
		VisitCC: a.VisitingAddress.Country, PostStreet: a.PostalAddress.Street, PostPostal: a.PostalAddress.PostalCode,
		PostCity: a.PostalAddress.City, PostCC: a.PostalAddress.Country, BillStreet: a.BillingAddress.Street,
		BillPostal: a.BillingAddress.PostalCode, BillCity: a.BillingAddress.City, BillCC: a.BillingAddress.Country,
		EInvoiceAddress: a.EInvoiceAddress, EInvoiceOperator: a.EInvoiceOperator, ParentName: parentName,
		Description: a.Description, InternalNotes: a.InternalNotes}
	var phones []string
	for _, p := range a.Phones {
		phones = append(phones, pg.Phone(p))
	}
	f.Phones = strings.Join(phones, "\n")
	if a.Employees != nil {
		f.Employees = strconv.FormatInt(*a.Employees, 10)
	}
	if a.ParentID != 0 {
		f.ParentID = strconv.FormatInt(a.ParentID, 10)
	}
	if a.OwnerID != 0 {
		f.OwnerID = strconv.FormatInt(a.OwnerID, 10)
	}
	if a.TeamID != 0 {
		f.TeamID = strconv.FormatInt(a.TeamID, 10)
	}
	return f
}

type companyFormView struct {
	*Page
	F            companyForm
	New          bool
	Problem      *crm.Error
	Likely       []service.Likely
	Conflict     bool
	Diffs        []diffLine
	Users        []*crm.User
	Teams        []*crm.Team
	Confidential bool
	Stages       []crm.Stage
	Tiers        []crm.Tier
	Bands        []crm.RevenueBand
	Sections     []string
}

// diffLine is a field that differs between the saved record and what the user typed.
type diffLine struct {
	Field, Theirs, Yours string
}

func (s *Server) companyFormView(r *http.Request, pg *Page, f companyForm, isNew bool) (companyFormView, error) {
	view := companyFormView{Page: pg, F: f, New: isNew, Stages: crm.Stages, Tiers: crm.Tiers, Bands: crm.RevenueBands,
		Confidential: true}
	for c := 'A'; c <= 'U'; c++ {
		view.Sections = append(view.Sections, string(c))
	}
	var err error
	if view.Users, err = s.svc.Users.List(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	if view.Teams, err = s.svc.Users.Teams(r.Context(), pg.Principal); err != nil {
		return view, err
	}
	if !isNew && f.ID != 0 {
		rights, err := s.svc.Accounts.Rights(r.Context(), pg.Principal, f.ID)
		if err != nil {
			return view, err
		}
		view.Confidential = rights.Confidential
	}
	return view, nil
}

// GET /companies/new
func (s *Server) companyNew(w http.ResponseWriter, r *http.Request, pg *Page) {
	if !pg.CanCreate() {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "your role (%s) may not add companies", pg.Principal.Role))
		return
	}
	pg.Title, pg.Nav = pg.T("companies.new"), "companies"
	f := companyForm{Stage: string(crm.Prospect), OwnerID: itoa(pg.Principal.UserID)}
	if p := r.URL.Query().Get("parent"); p != "" {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			if parent, err := s.svc.Accounts.Get(r.Context(), pg.Principal, id); err == nil {
				f.ParentID, f.ParentName = itoa(parent.ID), parent.Name
			}
		}
	}
	view, err := s.companyFormView(r, pg, f, true)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.render(w, r, http.StatusOK, "company_form", view)
}

// POST /companies/new: create, or show the form again with the problem next to its field. A name like
// an existing company's asks once before saving.
func (s *Server) companyCreate(w http.ResponseWriter, r *http.Request, pg *Page) {
	pg.Title, pg.Nav = pg.T("companies.new"), "companies"
	f := readCompanyForm(r)
	view, err := s.companyFormView(r, pg, f, true)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	a, err := s.accountFromForm(r, pg, &view.F)
	if err == nil && r.PostFormValue("confirm_duplicate") != "1" {
		probe := *a
		if probe.Validate(s.phoneRegion) == nil {
			likely, lerr := s.svc.Accounts.Lookalikes(r.Context(), pg.Principal, &probe)
			if lerr != nil {
				s.fail(w, r, pg, lerr)
				return
			}
			if len(likely) > 0 {
				view.Likely = likely
				s.render(w, r, http.StatusOK, "company_form", view)
				return
			}
		}
	}
	if err == nil {
		_, err = s.svc.Accounts.Create(r.Context(), pg.Principal, a)
	}
	if err != nil {
		if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate || e.Field != "") {
			view.Problem = pg.Problem(e)
			s.render(w, r, http.StatusUnprocessableEntity, "company_form", view)
			return
		}
		s.fail(w, r, pg, err)
		return
	}
	s.redirect(w, r, "/companies/"+itoa(a.ID), pg.T("company.created", "name", a.Name))
}

// GET /companies/{id}/edit
func (s *Server) companyEdit(w http.ResponseWriter, r *http.Request, pg *Page) {
	a, err := s.svc.Accounts.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Nav = pg.T("company.edit", "name", a.Name), "companies"
	parentName := ""
	if a.ParentID != 0 {
		if p, err := s.svc.Accounts.Get(r.Context(), pg.Principal, a.ParentID); err == nil {
			parentName = p.Name
		}
	}
	view, err := s.companyFormView(r, pg, companyFormOf(pg, a, parentName), false)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	rights, err := s.svc.Accounts.Rights(r.Context(), pg.Principal, a.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if !rights.Edit {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "%s", pg.T("company.may_not_edit", "name", a.Name)))
		return
	}
	s.render(w, r, http.StatusOK, "company_form", view)
}

// POST /companies/{id}/edit: save, or show the form again: with the problem next to its field, or, when
// someone else saved in between, with their values beside the user's so the user can decide.
func (s *Server) companyUpdate(w http.ResponseWriter, r *http.Request, pg *Page) {
	f := readCompanyForm(r)
	f.ID = pathID(r)
	pg.Nav = "companies"
	current, err := s.svc.Accounts.Get(r.Context(), pg.Principal, f.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title = pg.T("company.edit", "name", current.Name)
	view, err := s.companyFormView(r, pg, f, false)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	a, err := s.accountFromForm(r, pg, &view.F)
	if err == nil {
		a.OwnerID = current.OwnerID // the owner changes through reassigning
		if !view.Confidential {
			a.InternalNotes = ""
		}
		_, err = s.svc.Accounts.Update(r.Context(), pg.Principal, a)
	}
	switch e, ok := crm.AsError(err); {
	case err == nil:
		s.redirect(w, r, "/companies/"+itoa(f.ID), pg.T("company.saved"))
	case ok && e.Code == crm.Stale:
		view.Conflict, view.Problem = true, pg.Problem(e)
		view.Diffs = companyDiffs(pg, companyFormOf(pg, current, ""), f)
		view.F.Version = current.Version // saving again applies the user's values over the current version
		s.render(w, r, http.StatusConflict, "company_form", view)
	case ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate || e.Field != ""):
		view.Problem = pg.Problem(e)
		s.render(w, r, http.StatusUnprocessableEntity, "company_form", view)
	default:
		s.fail(w, r, pg, err)
	}
}

// companyDiffs lists the fields where the saved company and the user's form differ.
func companyDiffs(pg *Page, theirs, yours companyForm) []diffLine {
	var out []diffLine
	add := func(key, a, b string) {
		if strings.TrimSpace(a) != strings.TrimSpace(b) {
			out = append(out, diffLine{Field: pg.T("field." + key), Theirs: a, Yours: b})
		}
	}
	add("name", theirs.Name, yours.Name)
	add("business_id", theirs.BusinessID, yours.BusinessID)
	add("vat_id", theirs.VATID, yours.VATID)
	add("stage", pg.Enum("stage", theirs.Stage), pg.Enum("stage", yours.Stage))
	add("tier", theirs.Tier, yours.Tier)
	add("segment", theirs.Segment, yours.Segment)
	add("industry", theirs.IndustryCode+" "+theirs.Industry, yours.IndustryCode+" "+yours.Industry)
	add("employees", theirs.Employees, yours.Employees)
	add("revenue_band", theirs.RevenueBand, yours.RevenueBand)
	add("website", theirs.Website, yours.Website)
	add("phones", theirs.Phones, yours.Phones)
	add("emails", theirs.Emails, yours.Emails)
	add("tags", theirs.Tags, yours.Tags)
	add("visiting_address", theirs.VisitStreet+" "+theirs.VisitPostal+" "+theirs.VisitCity, yours.VisitStreet+" "+yours.VisitPostal+" "+yours.VisitCity)
	add("postal_address", theirs.PostStreet+" "+theirs.PostPostal+" "+theirs.PostCity, yours.PostStreet+" "+yours.PostPostal+" "+yours.PostCity)
	add("billing_address", theirs.BillStreet+" "+theirs.BillPostal+" "+theirs.BillCity, yours.BillStreet+" "+yours.BillPostal+" "+yours.BillCity)
	add("einvoice", theirs.EInvoiceAddress+" "+theirs.EInvoiceOperator, yours.EInvoiceAddress+" "+yours.EInvoiceOperator)
	add("parent", theirs.ParentID, yours.ParentID)
	add("team", theirs.TeamID, yours.TeamID)
	add("description", theirs.Description, yours.Description)
	return out
}
