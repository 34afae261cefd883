package crm

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
)

// Address is a street address; Country is an ISO 3166 alpha-2 code ("FI").
type Address struct {
	Street     string `json:"street,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	City       string `json:"city,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Line is the address on one line, "street, postal code city, country": the one way tili writes an
// address as text (history, the command line). A country alone is left out when it is Finland, the
// country an address without one is taken to be in.
func (a Address) Line() string {
	var parts []string
	if a.Street != "" {
		parts = append(parts, a.Street)
	}
	if pc := strings.TrimSpace(a.PostalCode + " " + a.City); pc != "" {
		parts = append(parts, pc)
	}
	if a.Country != "" && (len(parts) > 0 || a.Country != "FI") {
		parts = append(parts, a.Country)
	}
	return strings.Join(parts, ", ")
}

// IsZero reports whether no part of the address is given.
func (a Address) IsZero() bool { return a == Address{} }

func (a *Address) validate(field string) error {
	a.Street = strings.TrimSpace(a.Street)
	a.PostalCode = strings.TrimSpace(a.PostalCode)
	a.City = strings.TrimSpace(a.City)
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	if a.Country == "" && (a.Street != "" || a.PostalCode != "" || a.City != "") {
		a.Country = "FI"
	}
	if a.Country != "" && !countryCode.MatchString(a.Country) {
		return FieldError(field+".country", "%q is not a country code; use two letters such as FI, SE or DE", a.Country)
	}
	if a.Country == "FI" && a.PostalCode != "" && !finnishPostalCode.MatchString(a.PostalCode) {
		return FieldError(field+".postal_code", "%q is not a Finnish postal code; it has five digits, e.g. 00100", a.PostalCode)
	}
	for _, part := range []struct{ name, v string }{{"street", a.Street}, {"postal_code", a.PostalCode}, {"city", a.City}} {
		if err := checkText(field+"."+part.name, part.v, 200); err != nil {
			return err
		}
	}
	return nil
}

var (
	countryCode       = regexp.MustCompile(`^[A-Z]{2}$`)
	finnishPostalCode = regexp.MustCompile(`^\d{5}$`)
)

// ParseEmail checks an e-mail address and returns it trimmed with its domain in lower case.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", FieldError("email", "%q is not an e-mail address; write it like name@example.fi", s)
	}
	at := strings.LastIndexByte(s, '@')
	return s[:at+1] + strings.ToLower(s[at+1:]), nil
}

// EmailKey is what makes two e-mail addresses the same one: the whole address without case.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(PlainText(email))) }

// EmailDomain returns the domain of an e-mail address, in lower case.
func EmailDomain(email string) string {
	return strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
}

// ParseWebsite reads a web address as typed ("www.aijala.fi") and returns it as a URL with a scheme.
func ParseWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") || strings.ContainsAny(u.Host, " ") {
		return "", FieldError("website", "%q is not a web address; write it like www.example.fi", strings.TrimPrefix(s, "https://"))
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// WebsiteDomain returns the host of a web address without "www.".
func WebsiteDomain(website string) string {
	u, err := url.Parse(website)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

var (
	ovtAddress   = regexp.MustCompile(`^0037\d{8}[0-9A-Z]{0,5}$`)
	ibanAddress  = regexp.MustCompile(`^[A-Z]{2}\d{2}[0-9A-Z]{10,30}$`)
	operatorCode = regexp.MustCompile(`^[0-9A-Z]{4,35}$`)
)

// parseEInvoice checks an e-invoice address (an OVT code "0037" + business ID digits + an optional
// suffix, or an IBAN) and its operator (the operator's OVT code or BIC). Both or neither are given.
func parseEInvoice(address, operator string) (string, string, error) {
	clean := func(s string) string {
		return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	}
	address, operator = clean(address), clean(operator)
	if address == "" && operator == "" {
		return "", "", nil
	}
	if address == "" {
		return "", "", FieldError("einvoice_address", "an e-invoice operator needs an e-invoice address; give the address (e.g. 003701120389) or leave the operator out")
	}
	if !ovtAddress.MatchString(address) && !ibanAddress.MatchString(address) {
		return "", "", FieldError("einvoice_address", "%q is not an e-invoice address; use an OVT code such as 003701120389 or an IBAN", address)
	}
	if ovtAddress.MatchString(address) {
		if _, ok := BusinessIDFromDigits(address[4:11]); !ok || businessIDCheckDigit(address[4:11]) != int(address[11]-'0') {
			return "", "", FieldError("einvoice_address", "%s is not a valid OVT code: the business ID in it (digits 5–12) has a wrong check digit", address)
		}
	}
	if operator == "" {
		return "", "", FieldError("einvoice_operator", "give the e-invoice operator too: its OVT code (e.g. 003723327487) or BIC (e.g. OKOYFIHH)")
	}
	if !operatorCode.MatchString(operator) {
		return "", "", FieldError("einvoice_operator", "%q is not an operator code; use the operator's OVT code or BIC", operator)
	}
	return address, operator, nil
}

// cleanList trims items, drops empty ones, parses each with parse and drops repeats (by key).
func cleanList(items []string, parse func(string) (string, error), key func(string) string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if strings.TrimSpace(it) == "" {
			continue
		}
		v, err := parse(it)
		if err != nil {
			return nil, err
		}
		if k := key(v); !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// cleanTags trims and checks tags; two tags that fold alike are the same tag.
func cleanTags(tags []string) ([]string, error) {
	return cleanList(tags, func(s string) (string, error) {
		s = strings.Join(strings.Fields(s), " ")
		if err := checkText("tags", s, 50); err != nil {
			return "", FieldError("tags", "the tag %q: %s", s, err.(*Error).Message)
		}
		return s, nil
	}, Fold)
}
