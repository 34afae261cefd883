package companies

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/web"
)

// companyForm is the company form as typed: every value a string, so a refused form comes back exactly
// as the user left it. The tags are the form kit's: the form field each is read from, and under which
// label the conflict page compares it.
type companyForm struct {
	Name             string `form:"name" diff:"name"`
	BusinessID       string `form:"business_id" diff:"business_id"`
	VATID            string `form:"vat_id" diff:"vat_id"`
	Stage            string `form:"stage" diff:"stage,enum"`
	Tier             string `form:"tier" diff:"tier"`
	Segment          string `form:"segment" diff:"segment"`
	IndustryCode     string `form:"industry_code" diff:"industry"`
	Industry         string `form:"industry" diff:"industry"`
	Employees        string `form:"employees" diff:"employees"`
	RevenueBand      string `form:"revenue_band" diff:"revenue_band"`
	Website          string `form:"website" diff:"website"`
	Phones           string `form:"phones" diff:"phones"`
	Emails           string `form:"emails" diff:"emails"`
	Tags             string `form:"tags" diff:"tags"`
	VisitStreet      string `form:"visit_street" diff:"visiting_address"`
	VisitPostal      string `form:"visit_postal_code" diff:"visiting_address"`
	VisitCity        string `form:"visit_city" diff:"visiting_address"`
	VisitCC          string `form:"visit_country"`
	PostStreet       string `form:"post_street" diff:"postal_address"`
	PostPostal       string `form:"post_postal_code" diff:"postal_address"`
	PostCity         string `form:"post_city" diff:"postal_address"`
	PostCC           string `form:"post_country"`
	BillStreet       string `form:"bill_street" diff:"billing_address"`
	BillPostal       string `form:"bill_postal_code" diff:"billing_address"`
	BillCity         string `form:"bill_city" diff:"billing_address"`
	BillCC           string `form:"bill_country"`
	EInvoiceAddress  string `form:"einvoice_address" diff:"einvoice"`
	EInvoiceOperator string `form:"einvoice_operator" diff:"einvoice"`
	ParentID         string `form:"parent_id" diff:"parent"`
	ParentName       string `form:"parent_name"`
	OwnerID          string `form:"owner"`
	TeamID           string `form:"team" diff:"team"`
	Description      string `form:"description" diff:"description"`
	InternalNotes    string `form:"internal_notes"`
}

// choices are what the form's selects offer.
type choices struct {
	Stages   []crm.Stage
	Tiers    []crm.Tier
	Bands    []crm.RevenueBand
	Sections []string // the sections of the industry classification, A to U
}

func formChoices() choices {
	c := choices{Stages: crm.Stages, Tiers: crm.Tiers, Bands: crm.RevenueBands}
	for s := 'A'; s <= 'U'; s++ {
		c.Sections = append(c.Sections, string(s))
	}
	return c
}

// fields are the company's own parts of the form kit.
type fields struct{ c *room }

func (fields) MayNotAdd(role crm.Role) error {
	return crm.Errorf(crm.Forbidden, "your role (%s) may not add companies", role)
}

// Blank is a new company: a prospect of the user's, under the parent company ?parent= names.
func (f fields) Blank(r *http.Request, pg *web.Page) companyForm {
	form := companyForm{Stage: string(crm.Prospect), OwnerID: web.IDText(pg.Principal.UserID)}
	if p := r.URL.Query().Get("parent"); p != "" {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			if parent, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, id); err == nil {
				form.ParentID, form.ParentName = web.IDText(parent.ID), parent.Name
			}
		}
	}
	return form
}

// Of is the form of a saved company, naming its parent company when the user may see it.
func (f fields) Of(r *http.Request, pg *web.Page, a *crm.Account) companyForm {
	form := companyForm{Name: a.Name, BusinessID: a.BusinessID, VATID: a.VATID, Stage: string(a.Stage),
		Tier: string(a.Tier), Segment: a.Segment, IndustryCode: a.IndustryCode, Industry: a.Industry,
		RevenueBand: string(a.RevenueBand), Website: a.Website, Emails: strings.Join(a.Emails, "\n"), Tags: strings.Join(a.Tags, ", "),
		VisitStreet: a.VisitingAddress.Street, VisitPostal: a.VisitingAddress.PostalCode, VisitCity: a.VisitingAddress.City,
		VisitCC: a.VisitingAddress.Country, PostStreet: a.PostalAddress.Street, PostPostal: a.PostalAddress.PostalCode,
		PostCity: a.PostalAddress.City, PostCC: a.PostalAddress.Country, BillStreet: a.BillingAddress.Street,
		BillPostal: a.BillingAddress.PostalCode, BillCity: a.BillingAddress.City, BillCC: a.BillingAddress.Country,
		EInvoiceAddress: a.EInvoiceAddress, EInvoiceOperator: a.EInvoiceOperator,
		Description: a.Description, InternalNotes: a.InternalNotes, Phones: strings.Join(web.Phones(pg, a.Phones), "\n"),
		ParentID: web.ChosenText(a.ParentID), OwnerID: web.ChosenText(a.OwnerID), TeamID: web.ChosenText(a.TeamID)}
	if a.Employees != nil {
		form.Employees = strconv.FormatInt(*a.Employees, 10)
	}
	if a.ParentID != 0 {
		if p, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, a.ParentID); err == nil {
			form.ParentName = p.Name
		}
	}
	return form
}

// Record turns the form into a company; a number that is not one is an error about its field. The
// parent company is found by its typed name when the picker gave no id (without JavaScript).
func (f fields) Record(r *http.Request, pg *web.Page, id, version int64, form *companyForm) (*crm.Account, error) {
	name := strings.TrimSpace(form.ParentName)
	if _, sent := r.PostForm["parent_name"]; sent {
		// the id the page came with stays beside whatever the user types over the parent's name: the
		// typed name decides, and a cleared name is no parent — unless the parent is one the user may not
		// see, whose name the form never showed
		if pid, err := strconv.ParseInt(strings.TrimSpace(form.ParentID), 10, 64); err == nil {
			p, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, pid)
			if err == nil && crm.Fold(p.Name) != crm.Fold(name) {
				form.ParentID = ""
			}
		}
	}
	if strings.TrimSpace(form.ParentID) == "" && name != "" {
		pid, err := f.c.s.Pick(r.Context(), pg, crm.KindAccount, name, id)
		if err != nil {
			return nil, web.PickError("parent_id", err)
		}
		form.ParentID = web.IDText(pid)
	}
	a := &crm.Account{ID: id, Version: version, Name: form.Name, BusinessID: form.BusinessID, VATID: form.VATID,
		Stage: crm.Stage(form.Stage), Tier: crm.Tier(form.Tier), Segment: form.Segment, IndustryCode: form.IndustryCode,
		Industry: form.Industry, RevenueBand: crm.RevenueBand(form.RevenueBand), Website: form.Website,
		Phones: web.SplitList(form.Phones), Emails: web.SplitList(form.Emails), Tags: web.SplitList(form.Tags),
		VisitingAddress: crm.Address{Street: form.VisitStreet, PostalCode: form.VisitPostal, City: form.VisitCity, Country: form.VisitCC},
		PostalAddress:   crm.Address{Street: form.PostStreet, PostalCode: form.PostPostal, City: form.PostCity, Country: form.PostCC},
		BillingAddress:  crm.Address{Street: form.BillStreet, PostalCode: form.BillPostal, City: form.BillCity, Country: form.BillCC},
		EInvoiceAddress: form.EInvoiceAddress, EInvoiceOperator: form.EInvoiceOperator,
		Description: form.Description, InternalNotes: form.InternalNotes}
	if e := strings.TrimSpace(form.Employees); e != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(e, " ", ""), "\u00a0", ""), 10, 64)
		if err != nil {
			return a, crm.FieldError("employees", "write the number of employees as a whole number, e.g. 240")
		}
		a.Employees = &n
	}
	ids, err := web.Chosen(map[string]string{"parent_id": form.ParentID, "owner": form.OwnerID, "team": form.TeamID})
	a.ParentID, a.OwnerID, a.TeamID = ids["parent_id"], ids["owner"], ids["team"]
	return a, err
}

func (fields) Valid(a *crm.Account, phoneRegion string) bool {
	probe := *a
	return probe.Validate(phoneRegion) == nil
}

// Keep keeps the owner, which changes by reassigning, and leaves out the internal notes of a user who
// may not write them (the service keeps the saved ones).
func (fields) Keep(a, saved *crm.Account, confidential bool) {
	a.OwnerID = saved.OwnerID
	if !confidential {
		a.InternalNotes = ""
	}
}
