package people

import (
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/web"
)

// personForm is the person form as typed; the tags are the form kit's (see web.Form).
type personForm struct {
	First        string `form:"first_name" diff:"first_name"`
	Last         string `form:"last_name" diff:"last_name"`
	Title        string `form:"title" diff:"title"`
	Department   string `form:"department" diff:"department"`
	Emails       string `form:"emails" diff:"emails"`
	Phones       string `form:"phones" diff:"phones"`
	AccountID    string `form:"account_id" diff:"company"`
	AccountName  string `form:"account_name"`
	Role         string `form:"role" diff:"role,enum"`
	Influence    string `form:"influence" diff:"influence,enum"`
	Attitude     string `form:"attitude" diff:"attitude,enum"`
	Language     string `form:"language" diff:"language"`
	Channel      string `form:"channel" diff:"channel,enum"`
	Kind         string `form:"kind"`
	ConsentEmail string `form:"consent_email"`
	ConsentPhone string `form:"consent_phone"`
	ConsentPost  string `form:"consent_post"`
	ConsentSMS   string `form:"consent_sms"`
	OwnerID      string `form:"owner"`
	TeamID       string `form:"team"`
	Description  string `form:"description" diff:"description"`
}

// choices are what the form's selects offer.
type choices struct {
	Roles      []crm.BuyingRole
	Influences []crm.Influence
	Attitudes  []crm.Attitude
	Channels   []crm.Channel
	Consents   []crm.ConsentState
}

func formChoices() choices {
	return choices{Roles: crm.BuyingRoles, Influences: crm.Influences, Attitudes: crm.Attitudes, Channels: crm.Channels,
		Consents: crm.ConsentStates}
}

// fields are the person's own parts of the form kit.
type fields struct{ c *room }

func (fields) MayNotAdd(role crm.Role) error {
	return crm.Errorf(crm.Forbidden, "your role (%s) may not add people", role)
}

// Blank is a new person of the user's, consent unknown, at the company ?account= names.
func (f fields) Blank(r *http.Request, pg *web.Page) personForm {
	form := personForm{Kind: "b2b", OwnerID: web.IDText(pg.Principal.UserID), ConsentEmail: "unknown", ConsentPhone: "unknown",
		ConsentPost: "unknown", ConsentSMS: "unknown"}
	if id, err := strconv.ParseInt(r.URL.Query().Get("account"), 10, 64); err == nil && id > 0 {
		if a, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, id); err == nil {
			form.AccountID, form.AccountName = web.IDText(a.ID), a.Name
		}
	}
	return form
}

// Of is the form of a saved person, naming their company when the user may see it.
func (f fields) Of(r *http.Request, pg *web.Page, p *crm.Contact) personForm {
	form := personForm{First: p.FirstName, Last: p.LastName, Title: p.Title, Department: p.Department,
		Emails: strings.Join(p.Emails, "\n"), Phones: strings.Join(web.Phones(pg, p.Phones), "\n"), Role: string(p.Role),
		Influence: string(p.Influence), Attitude: string(p.Attitude), Language: p.Language, Channel: string(p.Channel),
		Kind: string(p.Kind), ConsentEmail: string(p.Consent.Email), ConsentPhone: string(p.Consent.Phone),
		ConsentPost: string(p.Consent.Post), ConsentSMS: string(p.Consent.SMS), Description: p.Description,
		AccountID: web.ChosenText(p.AccountID), OwnerID: web.ChosenText(p.OwnerID), TeamID: web.ChosenText(p.TeamID)}
	if p.AccountID != 0 {
		if a, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, p.AccountID); err == nil {
			form.AccountName = a.Name
		}
	}
	return form
}

// Record turns the form into a person. Without JavaScript the picker gives no id, and the id the page
// came with stays beside whatever the user types over the company's name or clears: the name decides. A
// company the user may not see was shown without a name, and stays.
func (f fields) Record(r *http.Request, pg *web.Page, id, version int64, form *personForm) (*crm.Contact, error) {
	name := strings.TrimSpace(web.FilterText(form.AccountName))
	if _, sent := r.PostForm["account_name"]; sent {
		if aid, err := strconv.ParseInt(strings.TrimSpace(form.AccountID), 10, 64); err == nil {
			if a, err := f.c.svc.Accounts.Get(r.Context(), pg.Principal, aid); err == nil && crm.Fold(a.Name) != crm.Fold(name) {
				form.AccountID = ""
			}
		}
	}
	if name != "" && strings.TrimSpace(form.AccountID) == "" {
		aid, err := f.c.s.Pick(r.Context(), pg, crm.KindAccount, name, 0)
		if err != nil {
			return nil, web.PickError("account_id", err)
		}
		form.AccountID = web.IDText(aid)
	}
	p := &crm.Contact{ID: id, Version: version, FirstName: form.First, LastName: form.Last, Title: form.Title,
		Department: form.Department, Emails: web.SplitList(form.Emails), Phones: web.SplitList(form.Phones),
		Role: crm.BuyingRole(form.Role), Influence: crm.Influence(form.Influence), Attitude: crm.Attitude(form.Attitude),
		Language: form.Language, Channel: crm.Channel(form.Channel), Kind: crm.ContactKind(form.Kind), Description: form.Description,
		Consent: crm.Consent{Email: crm.ConsentState(form.ConsentEmail), Phone: crm.ConsentState(form.ConsentPhone),
			Post: crm.ConsentState(form.ConsentPost), SMS: crm.ConsentState(form.ConsentSMS)}}
	ids, err := web.Chosen(map[string]string{"account_id": form.AccountID, "owner": form.OwnerID, "team": form.TeamID})
	p.AccountID, p.OwnerID, p.TeamID = ids["account_id"], ids["owner"], ids["team"]
	return p, err
}

func (fields) Valid(p *crm.Contact, phoneRegion string) bool {
	probe := *p
	return probe.Validate(phoneRegion) == nil
}

// Keep keeps the owner, which changes by reassigning.
func (fields) Keep(p, saved *crm.Contact, _ bool) { p.OwnerID = saved.OwnerID }
