package crm

// MergeAccounts returns what keep becomes when dup is merged into it: keep's values stay, the ones keep
// lacks come from dup, and the lists (phones, e-mails, tags) hold both. A parent that would make keep
// its own parent is left out.
func MergeAccounts(keep, dup *Account) *Account {
	m := *keep
	fill(&m.BusinessID, dup.BusinessID)
	fill(&m.VATID, dup.VATID)
	fill(&m.Tier, dup.Tier)
	fill(&m.Segment, dup.Segment)
	fill(&m.IndustryCode, dup.IndustryCode)
	fill(&m.Industry, dup.Industry)
	if m.Employees == nil {
		m.Employees = dup.Employees
	}
	fill(&m.RevenueBand, dup.RevenueBand)
	fill(&m.Website, dup.Website)
	m.Phones = union(keep.Phones, dup.Phones, func(s string) string { return s })
	m.Emails = union(keep.Emails, dup.Emails, EmailKey)
	m.Tags = union(keep.Tags, dup.Tags, Fold)
	for _, ad := range []struct{ to, from *Address }{{&m.VisitingAddress, &dup.VisitingAddress},
		{&m.PostalAddress, &dup.PostalAddress}, {&m.BillingAddress, &dup.BillingAddress}} {
		if ad.to.IsZero() {
			*ad.to = *ad.from
		}
	}
	if m.EInvoiceAddress == "" {
		m.EInvoiceAddress, m.EInvoiceOperator = dup.EInvoiceAddress, dup.EInvoiceOperator
	}
	if m.ParentID == dup.ID {
		m.ParentID = 0
	}
	if m.ParentID == 0 && dup.ParentID != keep.ID {
		m.ParentID = dup.ParentID
	}
	fill(&m.OwnerID, dup.OwnerID)
	fill(&m.TeamID, dup.TeamID)
	fill(&m.Description, dup.Description)
	fill(&m.InternalNotes, dup.InternalNotes)
	return &m
}

// MergeContacts returns what keep becomes when dup is merged into it: keep's values stay, the ones keep
// lacks come from dup, the lists hold both, and for consent the stricter answer per channel wins, so an
// objection or opt-out said to either record is never lost.
func MergeContacts(keep, dup *Contact) *Contact {
	m := *keep
	fill(&m.FirstName, dup.FirstName)
	fill(&m.LastName, dup.LastName)
	fill(&m.Title, dup.Title)
	fill(&m.Department, dup.Department)
	m.Emails = union(keep.Emails, dup.Emails, EmailKey)
	m.Phones = union(keep.Phones, dup.Phones, func(s string) string { return s })
	fill(&m.AccountID, dup.AccountID)
	m.PastAccounts = append(append([]PastAccount(nil), keep.PastAccounts...), dup.PastAccounts...)
	fill(&m.Role, dup.Role)
	fill(&m.Influence, dup.Influence)
	fill(&m.Attitude, dup.Attitude)
	fill(&m.Language, dup.Language)
	fill(&m.Channel, dup.Channel)
	fill(&m.OwnerID, dup.OwnerID)
	fill(&m.TeamID, dup.TeamID)
	fill(&m.Description, dup.Description)
	m.Consent.Email = stricter(keep.Consent.Email, dup.Consent.Email)
	m.Consent.Phone = stricter(keep.Consent.Phone, dup.Consent.Phone)
	m.Consent.Post = stricter(keep.Consent.Post, dup.Consent.Post)
	m.Consent.SMS = stricter(keep.Consent.SMS, dup.Consent.SMS)
	if m.AccountID != 0 {
		m.Kind = "b2b" // someone who works at a company is a business contact, whatever the other record said
	}
	return &m
}

func fill[T comparable](to *T, from T) {
	var zero T
	if *to == zero {
		*to = from
	}
}

func union(a, b []string, key func(string) string) []string {
	out := append([]string(nil), a...)
	seen := map[string]bool{}
	for _, s := range a {
		seen[key(s)] = true
	}
	for _, s := range b {
		if !seen[key(s)] {
			seen[key(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// stricter returns the consent that restricts contact more: objection, then opt-out, then opt-in.
func stricter(a, b ConsentState) ConsentState {
	rank := map[ConsentState]int{"unknown": 0, "": 0, "opt_in": 1, "opt_out": 2, "objection": 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// AccountMergeFields are the fields of a company whose surviving value a person may pick when merging.
var AccountMergeFields = []string{"name", "business_id", "vat_id", "stage", "tier", "segment", "industry_code", "industry",
	"employees", "revenue_band", "website", "phones", "emails", "visiting_address", "postal_address", "billing_address",
	"einvoice", "parent_id", "tags", "description", "internal_notes"}

// TakeFromDuplicate sets the fields named in fields of a merged company m to dup's values: the values a
// person picked from the duplicate. Lists are then dup's alone, not the union.
func TakeFromDuplicate(m, dup *Account, fields []string) error {
	for _, f := range fields {
		switch f {
		case "name":
			m.Name = dup.Name
		case "business_id":
			m.BusinessID = dup.BusinessID
		case "vat_id":
			m.VATID = dup.VATID
		case "stage":
			m.Stage = dup.Stage
		case "tier":
			m.Tier = dup.Tier
		case "segment":
			m.Segment = dup.Segment
		case "industry_code":
			m.IndustryCode = dup.IndustryCode
		case "industry":
			m.Industry = dup.Industry
		case "employees":
			m.Employees = dup.Employees
		case "revenue_band":
			m.RevenueBand = dup.RevenueBand
		case "website":
			m.Website = dup.Website
		case "phones":
			m.Phones = dup.Phones
		case "emails":
			m.Emails = dup.Emails
		case "visiting_address":
			m.VisitingAddress = dup.VisitingAddress
		case "postal_address":
			m.PostalAddress = dup.PostalAddress
		case "billing_address":
			m.BillingAddress = dup.BillingAddress
		case "einvoice":
			m.EInvoiceAddress, m.EInvoiceOperator = dup.EInvoiceAddress, dup.EInvoiceOperator
		case "parent_id":
			if dup.ParentID != m.ID {
				m.ParentID = dup.ParentID
			}
		case "tags":
			m.Tags = dup.Tags
		case "description":
			m.Description = dup.Description
		case "internal_notes":
			m.InternalNotes = dup.InternalNotes
		default:
			return FieldError("fields", "%q cannot be taken from the duplicate; pick from %v", f, AccountMergeFields)
		}
	}
	return nil
}

// ContactMergeFields are the fields of a person whose surviving value a person may pick when merging.
var ContactMergeFields = []string{"first_name", "last_name", "title", "department", "emails", "phones", "account_id",
	"role", "influence", "attitude", "language", "channel", "description"}

// TakeContactFromDuplicate is TakeFromDuplicate for people. Consent is never picked: the stricter answer
// always wins.
func TakeContactFromDuplicate(m, dup *Contact, fields []string) error {
	for _, f := range fields {
		switch f {
		case "first_name":
			m.FirstName = dup.FirstName
		case "last_name":
			m.LastName = dup.LastName
		case "title":
			m.Title = dup.Title
		case "department":
			m.Department = dup.Department
		case "emails":
			m.Emails = dup.Emails
		case "phones":
			m.Phones = dup.Phones
		case "account_id":
			m.AccountID = dup.AccountID
		case "role":
			m.Role = dup.Role
		case "influence":
			m.Influence = dup.Influence
		case "attitude":
			m.Attitude = dup.Attitude
		case "language":
			m.Language = dup.Language
		case "channel":
			m.Channel = dup.Channel
		case "description":
			m.Description = dup.Description
		default:
			return FieldError("fields", "%q cannot be taken from the duplicate; pick from %v", f, ContactMergeFields)
		}
	}
	if m.AccountID != 0 {
		m.Kind = "b2b"
	}
	return nil
}
