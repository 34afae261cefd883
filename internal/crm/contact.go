package crm

import (
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Contact is a person: someone at a customer's company, or a consumer.
type Contact struct {
	ID           int64         `json:"id"`
	FirstName    string        `json:"first_name,omitempty"`
	LastName     string        `json:"last_name,omitempty"`
	Title        string        `json:"title,omitempty"`
	Department   string        `json:"department,omitempty"`
	Emails       []string      `json:"emails,omitempty"`
	Phones       []string      `json:"phones,omitempty"` // E.164
	AccountID    int64         `json:"account_id,omitempty"`
	PastAccounts []PastAccount `json:"past_accounts,omitempty"`
	Role         BuyingRole    `json:"role,omitempty"`
	Influence    Influence     `json:"influence,omitempty"`
	Attitude     Attitude      `json:"attitude,omitempty"`
	Language     string        `json:"language,omitempty"` // BCP 47, e.g. "fi", "sv", "en"
	Channel      Channel       `json:"channel,omitempty"`
	Kind         ContactKind   `json:"kind"`
	Consent      Consent       `json:"consent"`
	OwnerID      int64         `json:"owner_id,omitempty"`
	TeamID       int64         `json:"team_id,omitempty"`
	Description  string        `json:"description,omitempty"`

	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	CreatedBy  int64      `json:"created_by,omitempty"`
	UpdatedBy  int64      `json:"updated_by,omitempty"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"`
	MergedInto int64      `json:"merged_into,omitempty"`
}

// PastAccount is a company a person used to work at.
type PastAccount struct {
	AccountID int64     `json:"account_id"`
	Title     string    `json:"title,omitempty"`
	Until     time.Time `json:"until"`
}

// Consent is what a person has said about being contacted, per channel.
type Consent struct {
	Email ConsentState `json:"email"`
	Phone ConsentState `json:"phone"`
	Post  ConsentState `json:"post"`
	SMS   ConsentState `json:"sms"`
}

// Name is the person's name as shown: first name, then last name.
func (c *Contact) Name() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// Validate normalises c and reports the first problem a user must fix.
func (c *Contact) Validate(phoneRegion string) error {
	c.FirstName = strings.Join(strings.Fields(c.FirstName), " ")
	c.LastName = strings.Join(strings.Fields(c.LastName), " ")
	if c.FirstName == "" && c.LastName == "" {
		return FieldError("last_name", "a person needs a first or a last name")
	}
	for _, f := range []struct{ name, v string }{{"first_name", c.FirstName}, {"last_name", c.LastName},
		{"title", c.Title}, {"department", c.Department}} {
		if err := checkText(f.name, f.v, 200); err != nil {
			return err
		}
	}
	c.Title = strings.TrimSpace(c.Title)
	c.Department = strings.TrimSpace(c.Department)
	var err error
	if c.Emails, err = cleanList(c.Emails, ParseEmail, EmailKey); err != nil {
		return err
	}
	if c.Phones, err = cleanList(c.Phones, func(s string) (string, error) { return ParsePhone(s, phoneRegion) }, func(s string) string { return s }); err != nil {
		return err
	}
	if err := oneOf("role", &c.Role, "", BuyingRoles); err != nil {
		return err
	}
	if err := oneOf("influence", &c.Influence, "", Influences); err != nil {
		return err
	}
	if err := oneOf("attitude", &c.Attitude, "", Attitudes); err != nil {
		return err
	}
	if err := oneOf("channel", &c.Channel, "", Channels); err != nil {
		return err
	}
	if err := oneOf("kind", &c.Kind, "b2b", ContactKinds); err != nil {
		return err
	}
	if c.Kind == "b2c" && c.AccountID != 0 {
		return FieldError("kind", "a consumer (b2c) does not work at a company; choose b2b or leave the company out")
	}
	if l := strings.TrimSpace(c.Language); l != "" {
		tag, err := language.Parse(l)
		if err != nil {
			return FieldError("language", "%q is not a language code; use e.g. fi, sv or en", l)
		}
		c.Language = tag.String()
	} else {
		c.Language = ""
	}
	for _, s := range []struct {
		field string
		v     *ConsentState
	}{{"consent.email", &c.Consent.Email}, {"consent.phone", &c.Consent.Phone}, {"consent.post", &c.Consent.Post}, {"consent.sms", &c.Consent.SMS}} {
		if err := oneOf(s.field, s.v, "unknown", ConsentStates); err != nil {
			return err
		}
	}
	return checkText("description", c.Description, 20000)
}

// NameNorm is the folded name, first name first: what "starts with" search compares.
func (c *Contact) NameNorm() string { return Fold(c.FirstName + " " + c.LastName) }

// SortNorm is the folded name, last name first: how people are sorted, and the second form a person's
// name is found by from its start ("virtanen ma" finds Matti Virtanen).
func (c *Contact) SortNorm() string { return Fold(c.LastName + " " + c.FirstName) }

// SearchText is what a person is found by: names, the names in their e-mail addresses and phone numbers,
// as plain words. The domain of an address is left out: everyone at a company shares it, so searching a
// company's name would list all its people. Whole addresses are found through the e-mail index.
func (c *Contact) SearchText() string {
	words := Words(c.FirstName + " " + c.LastName)
	for _, e := range c.Emails {
		words = append(words, emailWords(e)...)
	}
	for _, p := range c.Phones {
		words = append(words, phoneWords(p)...)
	}
	return joinUnique(words)
}

// Key returns the person's id, for indexing records by it.
func (c *Contact) Key() int64 { return c.ID }
