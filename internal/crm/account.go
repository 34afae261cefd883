package crm

import (
	"strings"
	"time"
)

// Account is a company: a suspect, a prospect, a customer or a key account.
type Account struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	BusinessID       string      `json:"business_id,omitempty"` // Finnish Y-tunnus, normalised
	VATID            string      `json:"vat_id,omitempty"`      // EU VAT number, normalised
	Stage            Stage       `json:"stage"`
	Tier             Tier        `json:"tier,omitempty"`
	Segment          string      `json:"segment,omitempty"`
	IndustryCode     string      `json:"industry_code,omitempty"` // TOL 2008 main section A–U
	Industry         string      `json:"industry,omitempty"`
	Employees        *int64      `json:"employees,omitempty"`
	RevenueBand      RevenueBand `json:"revenue_band,omitempty"`
	Website          string      `json:"website,omitempty"`
	Phones           []string    `json:"phones,omitempty"` // E.164
	Emails           []string    `json:"emails,omitempty"`
	VisitingAddress  Address     `json:"visiting_address,omitzero"`
	PostalAddress    Address     `json:"postal_address,omitzero"`
	BillingAddress   Address     `json:"billing_address,omitzero"`
	EInvoiceAddress  string      `json:"einvoice_address,omitempty"`
	EInvoiceOperator string      `json:"einvoice_operator,omitempty"`
	ParentID         int64       `json:"parent_id,omitempty"`
	OwnerID          int64       `json:"owner_id,omitempty"` // 0: unassigned
	TeamID           int64       `json:"team_id,omitempty"`
	Tags             []string    `json:"tags,omitempty"`
	Description      string      `json:"description,omitempty"`
	// InternalNotes is confidential: only the owner, the managers above the owner and administrators
	// see it (crm.Viewer.CanSeeConfidential).
	InternalNotes string `json:"internal_notes,omitempty"`

	Version    int64      `json:"version"` // optimistic concurrency: an update names the version it read
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	CreatedBy  int64      `json:"created_by,omitempty"`
	UpdatedBy  int64      `json:"updated_by,omitempty"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"` // in the bin since
	MergedInto int64      `json:"merged_into,omitempty"`
}

// Validate normalises a and reports the first problem a user must fix. phoneRegion is the region a
// phone number without a country code is read in.
func (a *Account) Validate(phoneRegion string) error {
	a.Name = strings.Join(strings.Fields(a.Name), " ")
	if a.Name == "" {
		return FieldError("name", "a company needs a name")
	}
	if err := checkText("name", a.Name, 200); err != nil {
		return err
	}
	if strings.TrimSpace(a.BusinessID) != "" {
		id, err := ParseBusinessID(a.BusinessID)
		if err != nil {
			return err
		}
		a.BusinessID = id
	} else {
		a.BusinessID = ""
	}
	if strings.TrimSpace(a.VATID) != "" {
		v, err := ParseVATID(a.VATID)
		if err != nil {
			return err
		}
		if a.BusinessID != "" && strings.HasPrefix(v, "FI") && v != VATIDFromBusinessID(a.BusinessID) {
			return FieldError("vat_id", "a Finnish VAT number is FI followed by the business ID digits; for %s it is %s", a.BusinessID, VATIDFromBusinessID(a.BusinessID))
		}
		a.VATID = v
	} else {
		a.VATID = ""
	}
	if err := oneOf("stage", &a.Stage, Prospect, Stages); err != nil {
		return err
	}
	if err := oneOf("tier", &a.Tier, "", Tiers); err != nil {
		return err
	}
	a.Segment = strings.TrimSpace(a.Segment)
	a.Industry = strings.TrimSpace(a.Industry)
	code, err := parseIndustryCode(a.IndustryCode)
	if err != nil {
		return err
	}
	a.IndustryCode = code
	if a.Employees != nil && *a.Employees < 0 {
		return FieldError("employees", "the number of employees cannot be negative")
	}
	if err := parseRevenueBand(&a.RevenueBand); err != nil {
		return err
	}
	if a.Website, err = ParseWebsite(a.Website); err != nil {
		return err
	}
	if a.Phones, err = cleanList(a.Phones, func(s string) (string, error) { return ParsePhone(s, phoneRegion) }, func(s string) string { return s }); err != nil {
		return err
	}
	if a.Emails, err = cleanList(a.Emails, ParseEmail, EmailKey); err != nil {
		return err
	}
	for _, ad := range []struct {
		field string
		a     *Address
	}{{"visiting_address", &a.VisitingAddress}, {"postal_address", &a.PostalAddress}, {"billing_address", &a.BillingAddress}} {
		if err := ad.a.validate(ad.field); err != nil {
			return err
		}
	}
	if a.EInvoiceAddress, a.EInvoiceOperator, err = parseEInvoice(a.EInvoiceAddress, a.EInvoiceOperator); err != nil {
		return err
	}
	if a.ParentID != 0 && a.ParentID == a.ID {
		return FieldError("parent_id", "a company cannot be its own parent company")
	}
	if a.Tags, err = cleanTags(a.Tags); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"segment", a.Segment}, {"industry", a.Industry}} {
		if err := checkText(f.name, f.v, 200); err != nil {
			return err
		}
	}
	if err := checkText("internal_notes", a.InternalNotes, 20000); err != nil {
		return err
	}
	return checkText("description", a.Description, 20000)
}

// SearchText is what an account is found by: its name, business and VAT IDs, the names in its e-mail
// addresses, its web domain and phone numbers, as plain words. Whole e-mail addresses are found through
// the e-mail index (see EmailQuery).
func (a *Account) SearchText() string {
	words := Words(a.Name)
	if a.BusinessID != "" {
		words = append(words, strings.ReplaceAll(a.BusinessID, "-", ""), a.BusinessID[:7])
	}
	if a.VATID != "" {
		words = append(words, Fold(a.VATID))
	}
	for _, e := range a.Emails {
		words = append(words, emailWords(e)...)
	}
	if d := WebsiteDomain(a.Website); d != "" {
		words = append(words, Words(d)...)
	}
	for _, p := range a.Phones {
		words = append(words, phoneWords(p)...)
	}
	return joinUnique(words)
}

// Domains returns the web and e-mail domains of a, the company's own only: addresses at public
// mail services say nothing about which company someone works for.
func (a *Account) Domains() []string {
	var ds []string
	if d := WebsiteDomain(a.Website); d != "" {
		ds = append(ds, d)
	}
	for _, e := range a.Emails {
		if d := EmailDomain(e); !PublicMailDomain(d) {
			ds = append(ds, d)
		}
	}
	return uniqueStrings(ds)
}

// NameKey is what two company names are compared by when looking for duplicates: folded, legal forms
// such as Oy, Ab, Oyj, Ltd or GmbH left out, and only letters and digits kept ("Oy Äijälä Ab" → "aijala").
func NameKey(name string) string {
	var kept []string
	for _, w := range Words(name) {
		if !legalForms[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = Words(name)
	}
	return strings.Join(kept, "")
}

var legalForms = map[string]bool{
	"oy": true, "oyj": true, "ab": true, "abp": true, "ky": true, "ay": true, "tmi": true, "osk": true,
	"ry": true, "rf": true, "ltd": true, "plc": true, "llc": true, "inc": true, "corp": true, "co": true,
	"gmbh": true, "ag": true, "kg": true, "sa": true, "as": true, "asa": true, "aps": true, "bv": true,
	"nv": true, "srl": true, "spa": true, "sas": true, "sarl": true, "oü": true, "ou": true, "uab": true,
	"sia": true, "sp": true, "zoo": true, "limited": true, "company": true, "group": true, "konserni": true,
}

var publicMailDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true, "live.com": true,
	"yahoo.com": true, "icloud.com": true, "me.com": true, "proton.me": true, "protonmail.com": true,
	"luukku.com": true, "suomi24.fi": true, "kolumbus.fi": true, "elisanet.fi": true, "welho.com": true,
	"saunalahti.fi": true, "dnainternet.net": true, "gmx.de": true, "gmx.com": true, "web.de": true,
}

// PublicMailDomain reports whether d is a mail service anyone can sign up to.
func PublicMailDomain(d string) bool { return publicMailDomains[strings.ToLower(d)] }

func joinUnique(words []string) string { return strings.Join(uniqueStrings(words), " ") }

func uniqueStrings(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// SimilarNames reports whether two name keys (see NameKey) are so close that they are likely one name
// mistyped: at most one edit apart for short names, two for names of ten or more letters.
func SimilarNames(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 5 || len(rb) < 5 {
		return false
	}
	allowed := 1
	if len(ra) >= 10 && len(rb) >= 10 {
		allowed = 2
	}
	if d := len(ra) - len(rb); d > allowed || -d > allowed {
		return false
	}
	return editDistance(ra, rb) <= allowed
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Key returns the company's id, for indexing records by it.
func (a *Account) Key() int64 { return a.ID }
