// Package sharing is the room of the JSON API for explicit shares of single records (/api/v1/shares) and
// the sharing settings: how far teams see their members' records (/api/v1/settings/sharing).
package sharing

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/api"
	"tili/internal/crm"
)

type sharesIn struct {
	Entity   string `query:"entity" required:"true" enum:"account,contact" doc:"The kind of record."`
	EntityID int64  `query:"entity_id" required:"true" minimum:"1" doc:"The record's id."`
}

type sharesOut struct {
	Body struct {
		Items []crm.Share `json:"items" nullable:"false"`
		Next  string      `json:"next_cursor"`
	}
}

// ShareInput grants one user or one team read or edit on one record.
type ShareInput struct {
	Entity   string `json:"entity" enum:"account,contact"`
	EntityID int64  `json:"entity_id" minimum:"1"`
	UserID   int64  `json:"user_id,omitempty" doc:"The user to share with; give this or team_id."`
	TeamID   int64  `json:"team_id,omitempty" doc:"The team to share with; give this or user_id."`
	Level    string `json:"level,omitempty" enum:"read,edit" doc:"read (default) or edit."`
}

type shareOut struct{ Body *crm.Share }

type sharingOut struct {
	Body struct {
		Account crm.Sharing `json:"account" enum:"private,team_read,team_edit,everyone_read"`
		Contact crm.Sharing `json:"contact" enum:"private,team_read,team_edit,everyone_read"`
	}
}

type sharingIn struct {
	Body struct {
		Account crm.Sharing `json:"account,omitempty" enum:"private,team_read,team_edit,everyone_read" doc:"How far teammates see and change each other's companies."`
		Contact crm.Sharing `json:"contact,omitempty" enum:"private,team_read,team_edit,everyone_read" doc:"The same for people."`
	}
}

// Register adds the operations on shares and sharing settings.
func Register(s *api.Server) {
	a := s.API
	tags := []string{"Sharing"}
	secured := api.Secured()
	huma.Register(a, huma.Operation{OperationID: "listShares", Method: http.MethodGet, Path: "/api/v1/shares",
		Summary: "List the shares of a record", Description: "The users and teams a company or person is shared with, beyond its owner and team.", Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *sharesIn) (*sharesOut, error) {
			list, err := s.Services.Access.Shares(ctx, api.Principal(ctx), in.Entity, in.EntityID)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &sharesOut{}
			out.Body.Items = api.NonNil(list)
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createShare", Method: http.MethodPost, Path: "/api/v1/shares",
		Summary: "Share a record with a user or a team", Description: "Whoever may reassign a record may share it. A new share to the same user or team replaces the old one.",
		Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body ShareInput }) (*shareOut, error) {
			sh := &crm.Share{Entity: in.Body.Entity, EntityID: in.Body.EntityID, UserID: in.Body.UserID, TeamID: in.Body.TeamID,
				Level: crm.ShareLevel(in.Body.Level)}
			if err := s.Services.Access.Share(ctx, api.Principal(ctx), sh); err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &shareOut{Body: sh}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "deleteShare", Method: http.MethodDelete, Path: "/api/v1/shares/{id}",
		Summary: "Withdraw a share", Description: "Whoever may share the record may withdraw its shares.", Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusForbidden, http.StatusNotFound)},
		func(ctx context.Context, in *api.IDPath) (*shareOut, error) {
			sh, err := s.Services.Access.Unshare(ctx, api.Principal(ctx), in.ID)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			return &shareOut{Body: sh}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "getSharing", Method: http.MethodGet, Path: "/api/v1/settings/sharing",
		Summary: "How far teams see their members' records", Description: "Per record type: private, team_read (the default), team_edit or everyone_read.", Tags: tags, Security: secured, Errors: api.ErrorsOf()},
		func(ctx context.Context, _ *struct{}) (*sharingOut, error) {
			set, err := s.Services.Access.Sharing(ctx, api.Principal(ctx))
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &sharingOut{}
			out.Body.Account, out.Body.Contact = set[crm.KindAccount.Name], set[crm.KindContact.Name]
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "setSharing", Method: http.MethodPut, Path: "/api/v1/settings/sharing",
		Summary: "Set how far teams see their members' records", Description: "Administrators only. A setting left out stays as it is.",
		Tags: tags, Security: secured, Errors: api.ErrorsOf(http.StatusForbidden, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *sharingIn) (*sharingOut, error) {
			p := api.Principal(ctx)
			for entity, v := range map[string]crm.Sharing{crm.KindAccount.Name: in.Body.Account, crm.KindContact.Name: in.Body.Contact} {
				if v == "" {
					continue
				}
				if err := s.Services.Access.SetSharing(ctx, p, entity, v); err != nil {
					return nil, s.Problem(ctx, err)
				}
			}
			set, err := s.Services.Access.Sharing(ctx, p)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &sharingOut{}
			out.Body.Account, out.Body.Contact = set[crm.KindAccount.Name], set[crm.KindContact.Name]
			return out, nil
		})
}
