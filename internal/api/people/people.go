// Package people is the room of the JSON API for people (contacts, /api/v1/contacts): their input and
// output types, the filters of their list, and the words of their documentation. The operations
// themselves come from the API core's record kit.
package people

import (
	"context"

	"tili/internal/api"
	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

// ContactInput is what a client writes of a person. A first or a last name is needed.
type ContactInput struct {
	FirstName   string       `json:"first_name,omitempty" maxLength:"200"`
	LastName    string       `json:"last_name,omitempty" maxLength:"200"`
	Title       string       `json:"title,omitempty" maxLength:"200"`
	Department  string       `json:"department,omitempty" maxLength:"200"`
	Emails      []string     `json:"emails,omitempty" doc:"E-mail addresses; each belongs to one live person."`
	Phones      []string     `json:"phones,omitempty" doc:"Phone numbers as people write them (e.g. 040 123 4567); stored in E.164."`
	AccountID   int64        `json:"account_id,omitempty" doc:"The company the person works at; the one they leave is kept as a past company."`
	Role        string       `json:"role,omitempty" enum:"decision_maker,influencer,champion,user,gatekeeper,blocker" doc:"Role in the buying centre."`
	Influence   string       `json:"influence,omitempty" enum:"low,medium,high"`
	Attitude    string       `json:"attitude,omitempty" enum:"supporter,neutral,critic"`
	Language    string       `json:"language,omitempty" doc:"Preferred language, a BCP 47 tag such as fi, sv or en."`
	Channel     string       `json:"channel,omitempty" enum:"email,phone,meeting,post,chat,sms" doc:"Preferred channel."`
	Kind        string       `json:"kind,omitempty" enum:"b2b,b2c" doc:"A business contact (default) or a consumer."`
	Consent     *crm.Consent `json:"consent,omitempty" doc:"Consent per channel: unknown, opt_in, opt_out or objection."`
	OwnerID     int64        `json:"owner_id,omitempty" doc:"The owner, when creating; later it changes through reassign."`
	TeamID      int64        `json:"team_id,omitempty"`
	Description string       `json:"description,omitempty" maxLength:"20000"`
}

// ContactOut is a person as the API shows them, with the people they may duplicate after a write.
type ContactOut struct {
	crm.Contact
	LikelyDuplicates []service.Likely `json:"likely_duplicates,omitempty" doc:"People with the same or a similar name; look and merge if they are the same. At most 10 are listed, exact matches first."`
	LikelyTotal      int              `json:"likely_duplicates_total,omitempty" doc:"How many people this one may duplicate; 100 means 100 or more."`
}

// contactCreated documents its headers less than a company's answer does; the accepted document says so,
// and changes only on purpose.
type contactCreated struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     *ContactOut
}

type contactListIn struct {
	Account int64    `query:"account" doc:"Only people of this company."`
	Owner   []int64  `query:"owner,explode" doc:"Only these owners' people; 0 for unassigned."`
	Team    []int64  `query:"team,explode"`
	Role    []string `query:"role,explode" enum:"decision_maker,influencer,champion,user,gatekeeper,blocker"`
	Bin     bool     `query:"bin" doc:"The bin instead of the live people."`
	Sort    string   `query:"sort" enum:"name,-name,updated,-updated,created,-created" default:"name" doc:"Order (name: last name first); a leading - reverses it."`
	Limit   int      `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	After   string   `query:"after" doc:"The next_cursor of the previous page."`
}

type contactPage struct {
	Body struct {
		Items []*crm.Contact `json:"items" nullable:"false"`
		Next  string         `json:"next_cursor"`
	}
}

// Register adds the operations on people.
func Register(s *api.Server) {
	r := &api.Resource{Kind: crm.KindContact, Path: "/api/v1/contacts", Tag: "People", One: "a person", Many: "people", Pronoun: "them"}
	api.RegisterList(s, r, "The people the caller may see, filtered, sorted and paged.",
		func(ctx context.Context, in *contactListIn) (*contactPage, error) {
			f := services.ContactFilter{AccountID: in.Account, OwnerIDs: in.Owner, TeamIDs: in.Team, Binned: in.Bin,
				Sort: in.Sort, Limit: in.Limit, After: in.After}
			for _, role := range in.Role {
				f.Roles = append(f.Roles, crm.BuyingRole(role))
			}
			page, err := s.Services.Contacts.List(ctx, api.Principal(ctx), f)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &contactPage{}
			out.Body.Items, out.Body.Next = api.NonNil(page.Items), page.Next
			return out, nil
		})

	ops := api.Records(s, r, api.RecordHandlers[crm.Contact, ContactInput, ContactOut, contactCreated]{
		Service: s.Services.Contacts,
		ID:      func(c *crm.Contact) int64 { return c.ID },
		Version: func(c *crm.Contact) int64 { return c.Version },
		Name:    (*crm.Contact).Name,
		Show: func(c *crm.Contact, likely service.Lookalikes) *ContactOut {
			return &ContactOut{Contact: *c, LikelyDuplicates: likely.Found, LikelyTotal: likely.Total}
		},
		Created: func(etag, location string, body *ContactOut) *contactCreated {
			return &contactCreated{ETag: etag, Location: location, Body: body}
		},
	})
	ops.Create("A first or a last name is needed. The answer carries the people they may duplicate.")
	ops.Get("The person with their ETag and past companies.")
	ops.Update("A JSON merge patch of the person: the fields given change, null clears one. The owner changes through reassign.")
	ops.Delete("Soft delete: the person can be restored.")
	ops.Restore("Refused when one of their e-mail addresses has been given to another person meanwhile; merge them instead.")
	ops.Merge("This person keeps their values and takes the ones they lack from the duplicate; for consent the stricter answer wins. The duplicate goes to the bin.")
	ops.Reassign("Who may: as for companies, judged on the person or their company. The team becomes the new owner's first team.")
	ops.History("Newest first, including the history of people merged into them.")
}
