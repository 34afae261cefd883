package people

import (
	"html/template"
	"net/http"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

type pageView struct {
	web.RecordView
	C       *crm.Contact
	Company *crm.Account
	Past    []pastCompany
}

// pastCompany is a company the person worked at before.
type pastCompany struct {
	ID          int64
	Name, Title string
	UntilText   string
}

// page serves GET /people/{id}: the person's facts, consent, past companies and timeline.
func (c *room) page(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	p, rv, err := web.RecordPage(c.s, r, pg, c.records)
	if err != nil {
		c.s.Fail(w, r, pg, err)
		return
	}
	view := pageView{RecordView: rv, C: p}
	if p.AccountID != 0 {
		view.Company, _ = c.svc.Accounts.Get(r.Context(), pg.Principal, p.AccountID)
	}
	past := make([]int64, 0, len(p.PastAccounts))
	for _, pa := range p.PastAccounts {
		past = append(past, pa.AccountID)
	}
	names, err := c.s.AccountNames(r.Context(), pg, past)
	if err != nil {
		c.s.Fail(w, r, pg, err)
		return
	}
	for _, pa := range p.PastAccounts {
		view.Past = append(view.Past, pastCompany{ID: pa.AccountID, Name: names[pa.AccountID], Title: pa.Title, UntilText: pg.Date(pa.Until)})
	}
	c.s.RememberRecent(w, r, pg, crm.KindContact, p.ID)
	c.s.Render(w, r, http.StatusOK, "people/person", view)
}

// mergeText shows one merge field of a person as text.
func mergeText(pg *web.Page, p *crm.Contact, field string) string {
	switch field {
	case "first_name":
		return p.FirstName
	case "last_name":
		return p.LastName
	case "title":
		return p.Title
	case "department":
		return p.Department
	case "emails":
		return strings.Join(p.Emails, ", ")
	case "phones":
		return strings.Join(web.Phones(pg, p.Phones), ", ")
	case "account_id":
		if p.AccountID != 0 {
			return "#" + web.IDText(p.AccountID)
		}
	case "role":
		return pg.Enum("role", p.Role)
	case "influence":
		return pg.Enum("influence", p.Influence)
	case "attitude":
		return pg.Enum("attitude", p.Attitude)
	case "language":
		return p.Language
	case "channel":
		return pg.Enum("channel", p.Channel)
	case "description":
		return p.Description
	}
	return ""
}

// companyPanel is what the people room shows on a company's page.
type companyPanel struct {
	*web.Page
	web.RecordContext
	People     []*crm.Contact
	MorePeople bool
}

// addToCompany is the button on a company's page that adds a person at the company.
func (c *room) addToCompany(_ *http.Request, pg *web.Page, company web.RecordContext) (template.HTML, error) {
	return c.s.Fragment("people", "company-add-person", companyPanel{Page: pg, RecordContext: company})
}

// ofCompany is the company's people with their buying-centre roles, and a quick add.
func (c *room) ofCompany(r *http.Request, pg *web.Page, company web.RecordContext) (template.HTML, error) {
	people, err := c.svc.Contacts.List(r.Context(), pg.Principal, services.ContactFilter{AccountID: company.ID, Limit: 100})
	if err != nil {
		return "", err
	}
	return c.s.Fragment("people", "company-people", companyPanel{Page: pg, RecordContext: company, People: people.Items,
		MorePeople: people.Next != ""})
}
