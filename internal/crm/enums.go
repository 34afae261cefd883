package crm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stage is where a company stands in its life with us.
type Stage string

const (
	Suspect    Stage = "suspect"
	Prospect   Stage = "prospect"
	Customer   Stage = "customer"
	KeyAccount Stage = "key_account"
	Former     Stage = "former"
)

// Stages lists the stages in lifecycle order.
var Stages = []Stage{Suspect, Prospect, Customer, KeyAccount, Former}

// Tier ranks a company's importance: A the most important.
type Tier string

// Tiers lists the tiers from the most important.
var Tiers = []Tier{"A", "B", "C"}

// RevenueBand is a company's yearly revenue in euros, in bands.
type RevenueBand string

// RevenueBands lists the bands from the smallest: under 1 M€, 1–10 M€, 10–50 M€, 50–250 M€, over 250 M€.
var RevenueBands = []RevenueBand{"0-1M", "1-10M", "10-50M", "50-250M", "250M+"}

// BuyingRole is a person's part in the customer's buying centre.
type BuyingRole string

// BuyingRoles lists the buying-centre roles.
var BuyingRoles = []BuyingRole{"decision_maker", "influencer", "champion", "user", "gatekeeper", "blocker"}

// Influence is how much a person's word weighs in a purchase.
type Influence string

// Influences lists the levels of influence.
var Influences = []Influence{"low", "medium", "high"}

// Attitude is how a person regards us.
type Attitude string

// Attitudes lists the attitudes.
var Attitudes = []Attitude{"supporter", "neutral", "critic"}

// Channel is a way to reach a person.
type Channel string

// Channels lists the channels a person may prefer.
var Channels = []Channel{"email", "phone", "meeting", "post", "chat", "sms"}

// ContactKind tells a business contact from a consumer.
type ContactKind string

// ContactKinds lists the kinds of contact.
var ContactKinds = []ContactKind{"b2b", "b2c"}

// ConsentState is what a person has said about being contacted over one channel.
type ConsentState string

// ConsentStates lists the consent states; objection is a formal objection to direct marketing.
var ConsentStates = []ConsentState{"unknown", "opt_in", "opt_out", "objection"}

// IndustrySections are the main sections (A–U) of the Finnish standard industrial classification TOL 2008.
var IndustrySections = map[string]string{
	"A": "Agriculture, forestry and fishing",
	"B": "Mining and quarrying",
	"C": "Manufacturing",
	"D": "Electricity, gas, steam and air conditioning supply",
	"E": "Water supply; sewerage, waste management and remediation",
	"F": "Construction",
	"G": "Wholesale and retail trade; repair of motor vehicles",
	"H": "Transportation and storage",
	"I": "Accommodation and food service activities",
	"J": "Information and communication",
	"K": "Financial and insurance activities",
	"L": "Real estate activities",
	"M": "Professional, scientific and technical activities",
	"N": "Administrative and support service activities",
	"O": "Public administration and defence; compulsory social security",
	"P": "Education",
	"Q": "Human health and social work activities",
	"R": "Arts, entertainment and recreation",
	"S": "Other service activities",
	"T": "Activities of households as employers",
	"U": "Activities of extraterritorial organisations and bodies",
}

// oneOf normalises *v (trimmed, compared without case, "-" and " " read as "_") to one of allowed, or
// explains which values are allowed. An empty value becomes def.
func oneOf[T ~string](field string, v *T, def T, allowed []T) error {
	s := strings.TrimSpace(string(*v))
	if s == "" {
		*v = def
		return nil
	}
	key := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(s))
	for _, a := range allowed {
		if strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(string(a))) == key {
			*v = a
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return FieldError(field, "%q is not a %s; use one of %s", s, strings.ReplaceAll(field, "_", " "), strings.Join(names, ", "))
}

// ParseStage reads a stage as typed; "" is not a stage here.
func ParseStage(s string) (Stage, error) {
	st := Stage(s)
	if strings.TrimSpace(s) == "" {
		return "", FieldError("stage", "give a stage: one of suspect, prospect, customer, key_account, former")
	}
	err := oneOf("stage", &st, "", Stages)
	return st, err
}

func parseRevenueBand(v *RevenueBand) error {
	s := strings.NewReplacer(" ", "", "€", "", "–", "-", "EUR", "", "<", "0-", ">", "").Replace(strings.ToUpper(string(*v)))
	if s == "" {
		*v = ""
		return nil
	}
	if s == "250M" {
		s = "250M+"
	}
	for _, b := range RevenueBands {
		if string(b) == s {
			*v = b
			return nil
		}
	}
	return FieldError("revenue_band", "%q is not a revenue band; use one of 0-1M, 1-10M, 10-50M, 50-250M, 250M+", string(*v))
}

func parseIndustryCode(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	if _, ok := IndustrySections[s]; !ok {
		return "", FieldError("industry_code", "%q is not a TOL 2008 main section; use a letter from A to U (e.g. C for manufacturing)", s)
	}
	return s, nil
}

// checkText refuses text that is not valid UTF-8, holds control characters other than line breaks and
// tabs, or is longer than max characters.
func checkText(field, value string, max int) error {
	if !utf8.ValidString(value) {
		return FieldError(field, "the text is not valid UTF-8; save the file as UTF-8 and try again")
	}
	for _, r := range value {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return FieldError(field, "the text holds a control character (%U); remove it", r)
		}
	}
	if n := utf8.RuneCountInString(value); n > max {
		return FieldError(field, "is %d characters long; at most %d fit", n, max)
	}
	return nil
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
