package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"

	"tili/internal/services"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/crm"
	"tili/internal/service"
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
	LikelyDuplicates []service.Likely `json:"likely_duplicates,omitempty" doc:"Companies with the same or a similar name or domain; names never block a save, so look and merge if they are the same."`
}

type accountOne struct {
	ETag string `header:"ETag" doc:"The version of the record, for If-Match."`
	Body *AccountOut
}

type accountCreated struct {
	ETag     string `header:"ETag" doc:"The version of the record, for If-Match."`
	Location string `header:"Location" doc:"Where the new company is."`
	Body     *AccountOut
}

// IDPath is the id of a record in the path.
type IDPath struct {
	ID int64 `path:"id" minimum:"1" doc:"The record's id."`
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

type historyIn struct {
	IDPath
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Changes per page, newest first."`
	After string `query:"after" doc:"The next_cursor of the previous page."`
}

type historyPage struct {
	Body struct {
		Items []services.Entry `json:"items" nullable:"false"`
		Next  string           `json:"next_cursor"`
	}
}

type versionIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw; a record changed since then is not changed (412)."`
}

type patchIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw; required (428 without it, 412 when stale)."`
	RawBody []byte `contentType:"application/merge-patch+json"`
}

type mergeIn struct {
	IDPath
	Body struct {
		DuplicateID int64 `json:"duplicate_id" minimum:"1" doc:"The duplicate merged into this record and binned."`
	}
}

type reassignIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw (optional)."`
	Body    struct {
		OwnerID int64 `json:"owner_id" minimum:"0" doc:"The new owner; 0 for unassigned."`
	}
}

func (s *server) accountOut(a *crm.Account, likely []service.Likely) *accountOne {
	return &accountOne{ETag: etag(a.Version), Body: &AccountOut{Account: *a, LikelyDuplicates: likely}}
}

func (s *server) registerAccounts(a huma.API) {
	tags := []string{"Companies"}
	huma.Register(a, huma.Operation{OperationID: "listAccounts", Method: http.MethodGet, Path: "/api/v1/accounts",
		Summary: "List companies", Description: "The companies the caller may see, filtered, sorted and paged.",
		Tags: tags, Security: secured, Errors: errorsOf(http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *accountListIn) (*accountPage, error) {
			f := services.AccountFilter{OwnerIDs: in.Owner, TeamIDs: in.Team, Tags: in.Tag, Segment: in.Segment,
				ParentID: in.Parent, Binned: in.Bin, Sort: in.Sort, Limit: in.Limit, After: in.After}
			for _, st := range in.Stage {
				f.Stages = append(f.Stages, crm.Stage(st))
			}
			for _, t := range in.Tier {
				f.Tiers = append(f.Tiers, crm.Tier(t))
			}
			page, err := s.svc.Accounts.List(ctx, principal(ctx), f)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out := &accountPage{}
			out.Body.Items, out.Body.Next = nonNil(page.Items), page.Next
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createAccount", Method: http.MethodPost, Path: "/api/v1/accounts",
		Summary: "Create a company", Description: "Only name is needed. The answer carries the companies it may duplicate.",
		Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: errorsOf(http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body AccountInput }) (*accountCreated, error) {
			var acc crm.Account
			if err := convert(in.Body, &acc); err != nil {
				return nil, err
			}
			saved, err := s.svc.Accounts.Create(ctx, principal(ctx), &acc)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return &accountCreated{ETag: etag(acc.Version), Location: fmt.Sprintf("/api/v1/accounts/%d", acc.ID),
				Body: &AccountOut{Account: *saved.Record, LikelyDuplicates: saved.Likely}}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "getAccount", Method: http.MethodGet, Path: "/api/v1/accounts/{id}",
		Summary: "Get a company", Description: "The company with its ETag; internal notes only for those who may see them.", Tags: tags, Security: secured, Errors: errorsOf(http.StatusNotFound)},
		func(ctx context.Context, in *IDPath) (*accountOne, error) {
			acc, err := s.svc.Accounts.Get(ctx, principal(ctx), in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return s.accountOut(acc, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "updateAccount", Method: http.MethodPatch, Path: "/api/v1/accounts/{id}",
		Summary: "Change a company", Description: "A JSON merge patch of the company: the fields given change, null clears one. The owner changes through reassign.",
		Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
			http.StatusPreconditionFailed, http.StatusUnprocessableEntity, http.StatusPreconditionRequired)},
		func(ctx context.Context, in *patchIn) (*accountOne, error) {
			version, err := ifMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			p := principal(ctx)
			current, err := s.svc.Accounts.Get(ctx, p, in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			if current.Version != version {
				return nil, s.stale(ctx, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you have version %d, it is at version %d); get it again and redo your change", current.Name, version, current.Version))
			}
			var next crm.Account
			if err := applyPatch(in.RawBody, current, reflect.TypeOf(AccountInput{}),
				map[string]string{"owner_id": "changes through POST /api/v1/accounts/{id}/reassign"}, &next); err != nil {
				return nil, err
			}
			next.ID, next.Version, next.OwnerID = current.ID, version, current.OwnerID
			saved, err := s.svc.Accounts.Update(ctx, p, &next)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return s.accountOut(saved.Record, saved.Likely), nil
		})

	huma.Register(a, huma.Operation{OperationID: "deleteAccount", Method: http.MethodDelete, Path: "/api/v1/accounts/{id}",
		Summary: "Move a company to the bin", Description: "Soft delete: the company can be restored. Its people and subsidiaries keep their link.",
		Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed)},
		func(ctx context.Context, in *versionIn) (*accountOne, error) {
			var version int64
			if in.IfMatch != "" {
				v, err := ifMatch(in.IfMatch)
				if err != nil {
					return nil, err
				}
				version = v
			}
			acc, err := s.svc.Accounts.Delete(ctx, principal(ctx), in.ID, version)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return s.accountOut(acc, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "restoreAccount", Method: http.MethodPost, Path: "/api/v1/accounts/{id}/restore",
		Summary: "Restore a company from the bin", Description: "Refused when its business ID or an e-mail address has been given to another company meanwhile; merge them instead.", Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict)},
		func(ctx context.Context, in *IDPath) (*accountOne, error) {
			acc, err := s.svc.Accounts.Restore(ctx, principal(ctx), in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return s.accountOut(acc, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "mergeAccount", Method: http.MethodPost, Path: "/api/v1/accounts/{id}/merge",
		Summary: "Merge a duplicate into a company", Description: "This company keeps its values and takes the ones it lacks from the duplicate; the duplicate's people, subsidiaries and history references move here and the duplicate goes to the bin.",
		Tags: tags, Security: secured, Errors: errorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *mergeIn) (*accountOne, error) {
			acc, err := s.svc.Accounts.Merge(ctx, principal(ctx), in.ID, in.Body.DuplicateID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return s.accountOut(acc, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "reassignAccount", Method: http.MethodPost, Path: "/api/v1/accounts/{id}/reassign",
		Summary: "Give a company to another owner", Description: "Administrators, sales heads for what they may change, and owners for their own companies. The team becomes the new owner's first team.",
		Tags: tags, Security: secured,
		Errors: errorsOf(http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *reassignIn) (*accountOne, error) {
			var version int64
			if in.IfMatch != "" {
				v, err := ifMatch(in.IfMatch)
				if err != nil {
					return nil, err
				}
				version = v
			}
			acc, err := s.svc.Accounts.Reassign(ctx, principal(ctx), in.ID, in.Body.OwnerID, version)
			if err != nil {
				return nil, s.stale(ctx, err)
			}
			return s.accountOut(acc, nil), nil
		})

	huma.Register(a, huma.Operation{OperationID: "accountHistory", Method: http.MethodGet, Path: "/api/v1/accounts/{id}/history",
		Summary: "Every change to a company", Description: "Newest first, including the history of companies merged into it.",
		Tags: tags, Security: secured, Errors: errorsOf(http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *historyIn) (*historyPage, error) {
			return s.history(ctx, crm.KindAccount.Name, in)
		})
}

func (s *server) history(ctx context.Context, entity string, in *historyIn) (*historyPage, error) {
	page, err := s.svc.History.Of(ctx, principal(ctx), entity, in.ID, in.Limit, in.After)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &historyPage{}
	out.Body.Items, out.Body.Next = nonNil(page.Items), page.Next
	return out, nil
}

// convert copies an input into a domain record through their shared JSON names.
func convert(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func principal(ctx context.Context) crm.Principal { return crm.PrincipalFromContext(ctx) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
