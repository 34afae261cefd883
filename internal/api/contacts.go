package api

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	"tili/internal/services"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/crm"
	"tili/internal/service"
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
	LikelyDuplicates []service.Likely `json:"likely_duplicates,omitempty" doc:"People with the same or a similar name; look and merge if they are the same."`
}

type contactOne struct {
	ETag string `header:"ETag" doc:"The version of the record, for If-Match."`
	Body *ContactOut
}

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

func contactOut(c *crm.Contact, likely []service.Likely) *contactOne {
	return &contactOne{ETag: etag(c.Version), Body: &ContactOut{Contact: *c, LikelyDuplicates: likely}}
}

func (s *server) registerContacts(a huma.API) {
	tags := []string{"People"}
	huma.Register(a, huma.Operation{OperationID: "listContacts", Method: http.MethodGet, Path: "/api/v1/contacts",
		Summary: "List people", Description: "The people the caller may see, filtered, sorted and paged.",
		Tags: tags, Security: secured, Errors: errorsOf(http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *contactListIn) (*contactPage, error) {
			f := services.ContactFilter{AccountID: in.Account, OwnerIDs: in.Owner, TeamIDs: in.Team, Binned: in.Bin,
				Sort: in.Sort, Limit: in.Limit, After: in.After}
			for _, r := range in.Role {
				f.Roles = append(f.Roles, crm.BuyingRole(r))
			}
			page, err := s.svc.Contacts.List(ctx, principal(ctx), f)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out := &contactPage{}
			out.Body.Items, out.Body.Next = nonNil(page.Items), page.Next
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createContact", Method: http.MethodPost, Path: "/api/v1/contacts",
		Summary: "Create a person", Description: "A first or a last name is needed. The answer carries the people they may duplicate.", Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: errorsOf(http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body ContactInput }) (*contactCreated, error) {
			var c crm.Contact
			if err := convert(in.Body, &c); err != nil {
				return nil, err
			}
			saved, err := s.svc.Contacts.Create(ctx, principal(ctx), &c)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return &contactCreated{ETag: etag(c.Version), Location: fmt.Sprintf("/api/v1/contacts/%d", c.ID),
				Body: &ContactOut{Contact: *saved.Record, LikelyDuplicates: saved.Likely}}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "getContact", Method: http.MethodGet, Path: "/api/v1/contacts/{id}",
		Summary: "Get a person", Description: "The person with their ETag and past companies.", Tags: tags, Security: secured, Errors: errorsOf(http.StatusNotFound)},
		func(ctx context.Context, in *IDPath) (*contactOne, error) {
			c, err := s.svc.Contacts.Get(ctx, principal(ctx), in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return contactOut(c, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "updateContact", Method: http.MethodPatch, Path: "/api/v1/contacts/{id}",
		Summary: "Change a person", Description: "A JSON merge patch of the person: the fields given change, null clears one. The owner changes through reassign.",
		Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
			http.StatusPreconditionFailed, http.StatusUnprocessableEntity, http.StatusPreconditionRequired)},
		func(ctx context.Context, in *patchIn) (*contactOne, error) {
			version, err := ifMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			p := principal(ctx)
			current, err := s.svc.Contacts.Get(ctx, p, in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			if current.Version != version {
				return nil, s.stale(ctx, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you have version %d, it is at version %d); get them again and redo your change", current.Name(), version, current.Version))
			}
			var next crm.Contact
			if err := applyPatch(in.RawBody, current, reflect.TypeOf(ContactInput{}),
				map[string]string{"owner_id": "changes through POST /api/v1/contacts/{id}/reassign"}, &next); err != nil {
				return nil, err
			}
			next.ID, next.Version, next.OwnerID = current.ID, version, current.OwnerID
			saved, err := s.svc.Contacts.Update(ctx, p, &next)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return contactOut(saved.Record, saved.Likely), nil
		})

	huma.Register(a, huma.Operation{OperationID: "deleteContact", Method: http.MethodDelete, Path: "/api/v1/contacts/{id}",
		Summary: "Move a person to the bin", Description: "Soft delete: the person can be restored.", Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed)},
		func(ctx context.Context, in *versionIn) (*contactOne, error) {
			var version int64
			if in.IfMatch != "" {
				v, err := ifMatch(in.IfMatch)
				if err != nil {
					return nil, err
				}
				version = v
			}
			c, err := s.svc.Contacts.Delete(ctx, principal(ctx), in.ID, version)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return contactOut(c, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "restoreContact", Method: http.MethodPost, Path: "/api/v1/contacts/{id}/restore",
		Summary: "Restore a person from the bin", Description: "Refused when one of their e-mail addresses has been given to another person meanwhile; merge them instead.", Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict)},
		func(ctx context.Context, in *IDPath) (*contactOne, error) {
			c, err := s.svc.Contacts.Restore(ctx, principal(ctx), in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return contactOut(c, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "mergeContact", Method: http.MethodPost, Path: "/api/v1/contacts/{id}/merge",
		Summary: "Merge a duplicate into a person", Description: "This person keeps their values and takes the ones they lack from the duplicate; for consent the stricter answer wins. The duplicate goes to the bin.", Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *mergeIn) (*contactOne, error) {
			c, err := s.svc.Contacts.Merge(ctx, principal(ctx), in.ID, in.Body.DuplicateID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return contactOut(c, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "reassignContact", Method: http.MethodPost, Path: "/api/v1/contacts/{id}/reassign",
		Summary: "Give a person to another owner", Description: "Who may: as for companies, judged on the person or their company. The team becomes the new owner's first team.", Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *reassignIn) (*contactOne, error) {
			var version int64
			if in.IfMatch != "" {
				v, err := ifMatch(in.IfMatch)
				if err != nil {
					return nil, err
				}
				version = v
			}
			c, err := s.svc.Contacts.Reassign(ctx, principal(ctx), in.ID, in.Body.OwnerID, version)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return contactOut(c, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "contactHistory", Method: http.MethodGet, Path: "/api/v1/contacts/{id}/history",
		Summary: "Every change to a person", Description: "Newest first, including the history of people merged into them.", Tags: tags, Security: secured, Errors: errorsOf(http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *historyIn) (*historyPage, error) {
			return s.history(ctx, crm.KindContact.Name, in)
		})
}
