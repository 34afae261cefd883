// Package companies is the room of the JSON API for companies (accounts, /api/v1/accounts): their input
// and output types, the filters of their list, and the words of their documentation. The operations
// themselves come from the API core's record kit.
package companies

import (
	"context"

	"tili/internal/api"
	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

// AccountInput is what a client writes of a company. Only name is needed.
type AccountInput struct {
	Name             string       `json:"name" minLength:"1" maxLength:"200" doc:"Company name."`
	BusinessID       string       `json:"business_id,omitempty" doc:"Finnish business ID (Y-tunnus) NNNNNNN-C; the check digit is checked. Unique among live companies."`
	VATID            string       `json:"vat_id,omitempty" doc:"EU VAT number with its country prefix, e.g. FI01120389."`
	Stage            string       `json:"stage,omitempty" enum:"suspect,prospect,customer,key_account,former" doc:"Lifecycle stage; prospect when not given."`
	Tier             string       `json:"tier,omitempty" enum:"A,B,C" doc:"Importance, A the most important."`
	Segment          string       `json:"segment,omitempty" maxLength:"200"`
	IndustryCode     string       `json:"industry_code,omitempty" pattern:"^[A-Ua-u]$" doc:"TOL 2008 main section, a letter A–U."`
	Industry         string       `json:"industry,omitempty" maxLength:"200" doc:"Industry as free text."`
	Employees        *int64       `json:"employees,omitempty" minimum:"0"`
	RevenueBand      string       `json:"revenue_band,omitempty" enum:"0-1M,1-10M,10-50M,50-250M,250M+" doc:"Yearly revenue in euros."`
	Website          string       `json:"website,omitempty" doc:"Web address; https:// is added when missing."`
	Phones           []string     `json:"phones,omitempty" doc:"Phone numbers as people write them; stored in E.164."`
	Emails           []string     `json:"emails,omitempty" doc:"E-mail addresses; each belongs to one live company."`
	VisitingAddress  *crm.Address `json:"visiting_address,omitempty"`
	PostalAddress    *crm.Address `json:"postal_address,omitempty"`
	BillingAddress   *crm.Address `json:"billing_address,omitempty"`
	EInvoiceAddress  string       `json:"einvoice_address,omitempty" doc:"E-invoice address: an OVT code (0037 + business ID digits) or an IBAN."`
	EInvoiceOperator string       `json:"einvoice_operator,omitempty" doc:"The e-invoice operator's OVT code or BIC."`
	ParentID         int64        `json:"parent_id,omitempty" doc:"The parent company; a chain that comes back to the company is refused."`
	OwnerID          int64        `json:"owner_id,omitempty" doc:"The owner, when creating; later it changes through reassign."`
	TeamID           int64        `json:"team_id,omitempty" doc:"The team; the owner's first team when not given."`
	Tags             []string     `json:"tags,omitempty"`
	Description      string       `json:"description,omitempty" maxLength:"20000"`
	InternalNotes    string       `json:"internal_notes,omitempty" maxLength:"20000" doc:"Confidential: only the owner, the managers above the owner and administrators see and write it."`
}

// AccountOut is a company as the API shows it, with the companies it may duplicate after a write.
type AccountOut struct {
	crm.Account
	LikelyDuplicates []service.Likely `json:"likely_duplicates,omitempty" doc:"Companies with the same or a similar name or domain; names never block a save, so look and merge if they are the same. At most 10 are listed, exact matches first."`
	LikelyTotal      int              `json:"likely_duplicates_total,omitempty" doc:"How many companies this one may duplicate; 100 means 100 or more."`
}

type accountCreated struct {
	ETag     string `header:"ETag" doc:"The version of the record, for If-Match."`
	Location string `header:"Location" doc:"Where the new company is."`
	Body     *AccountOut
}

type accountListIn struct {
	Stage   []string `query:"stage,explode" enum:"suspect,prospect,customer,key_account,former" doc:"Only these stages (repeat for several)."`
	Tier    []string `query:"tier,explode" enum:"A,B,C" doc:"Only these tiers."`
	Owner   []int64  `query:"owner,explode" doc:"Only these owners' companies; 0 for unassigned."`
	Team    []int64  `query:"team,explode" doc:"Only these teams' companies."`
	Tag     []string `query:"tag,explode" doc:"Only companies with all these tags."`
	Segment string   `query:"segment" doc:"Only this segment."`
	Parent  int64    `query:"parent" doc:"Only subsidiaries of this company."`
	Bin     bool     `query:"bin" doc:"The bin instead of the live companies."`
	Sort    string   `query:"sort" enum:"name,-name,updated,-updated,created,-created" default:"name" doc:"Order; a leading - reverses it."`
	Limit   int      `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Companies per page."`
	After   string   `query:"after" doc:"The next_cursor of the previous page."`
}

type accountPage struct {
	Body struct {
		Items []*crm.Account `json:"items" nullable:"false"`
		Next  string         `json:"next_cursor" doc:"Cursor of the next page; empty on the last page."`
	}
}

// Register adds the operations on companies.
func Register(s *api.Server) {
	r := &api.Resource{Kind: crm.KindAccount, Path: "/api/v1/accounts", Tag: "Companies", One: "a company", Many: "companies", Pronoun: "it"}
	api.RegisterList(s, r, "The companies the caller may see, filtered, sorted and paged.",
		func(ctx context.Context, in *accountListIn) (*accountPage, error) {
			f := services.AccountFilter{OwnerIDs: in.Owner, TeamIDs: in.Team, Tags: in.Tag, Segment: in.Segment,
				ParentID: in.Parent, Binned: in.Bin, Sort: in.Sort, Limit: in.Limit, After: in.After}
			for _, st := range in.Stage {
				f.Stages = append(f.Stages, crm.Stage(st))
			}
			for _, t := range in.Tier {
				f.Tiers = append(f.Tiers, crm.Tier(t))
			}
			page, err := s.Services.Accounts.List(ctx, api.Principal(ctx), f)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &accountPage{}
			out.Body.Items, out.Body.Next = api.NonNil(page.Items), page.Next
			return out, nil
		})

	ops := api.Records(s, r, api.RecordHandlers[crm.Account, AccountInput, AccountOut, accountCreated]{
		Service: s.Services.Accounts,
		ID:      func(a *crm.Account) int64 { return a.ID },
		Version: func(a *crm.Account) int64 { return a.Version },
		Name:    func(a *crm.Account) string { return a.Name },
		Show: func(a *crm.Account, likely service.Lookalikes) *AccountOut {
			return &AccountOut{Account: *a, LikelyDuplicates: likely.Found, LikelyTotal: likely.Total}
		},
		Created: func(etag, location string, body *AccountOut) *accountCreated {
			return &accountCreated{ETag: etag, Location: location, Body: body}
		},
	})
	ops.Create("Only name is needed. The answer carries the companies it may duplicate.")
	ops.Get("The company with its ETag; internal notes only for those who may see them.")
	ops.Update("A JSON merge patch of the company: the fields given change, null clears one. The owner changes through reassign.")
	ops.Delete("Soft delete: the company can be restored. Its people and subsidiaries keep their link.")
	ops.Restore("Refused when its business ID or an e-mail address has been given to another company meanwhile; merge them instead.")
	ops.Merge("This company keeps its values and takes the ones it lacks from the duplicate; the duplicate's people, subsidiaries and history references move here and the duplicate goes to the bin.")
	ops.Reassign("Administrators, sales heads for what they may change, and owners for their own companies. The team becomes the new owner's first team.")
	ops.History("Newest first, including the history of companies merged into it.")
}
