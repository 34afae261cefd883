package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

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

func (s *server) registerSharing(a huma.API) {
	tags := []string{"Sharing"}
	huma.Register(a, huma.Operation{OperationID: "listShares", Method: http.MethodGet, Path: "/api/v1/shares",
		Summary: "List the shares of a record", Description: "The users and teams a company or person is shared with, beyond its owner and team.", Tags: tags, Security: secured, Errors: errorsOf(http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *sharesIn) (*sharesOut, error) {
			list, err := s.svc.Access.Shares(ctx, principal(ctx), in.Entity, in.EntityID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out := &sharesOut{}
			out.Body.Items = nonNil(list)
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "createShare", Method: http.MethodPost, Path: "/api/v1/shares",
		Summary: "Share a record with a user or a team", Description: "Whoever may reassign a record may share it. A new share to the same user or team replaces the old one.",
		Tags: tags, Security: secured, DefaultStatus: http.StatusCreated,
		Errors: errorsOf(http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *struct{ Body ShareInput }) (*shareOut, error) {
			sh := &crm.Share{Entity: in.Body.Entity, EntityID: in.Body.EntityID, UserID: in.Body.UserID, TeamID: in.Body.TeamID,
				Level: crm.ShareLevel(in.Body.Level)}
			if err := s.svc.Access.Share(ctx, principal(ctx), sh); err != nil {
				return nil, s.problem(ctx, err)
			}
			return &shareOut{Body: sh}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "deleteShare", Method: http.MethodDelete, Path: "/api/v1/shares/{id}",
		Summary: "Withdraw a share", Description: "Whoever may share the record may withdraw its shares.", Tags: tags, Security: secured, Errors: errorsOf(http.StatusForbidden, http.StatusNotFound)},
		func(ctx context.Context, in *IDPath) (*shareOut, error) {
			sh, err := s.svc.Access.Unshare(ctx, principal(ctx), in.ID)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			return &shareOut{Body: sh}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "getSharing", Method: http.MethodGet, Path: "/api/v1/settings/sharing",
		Summary: "How far teams see their members' records", Description: "Per record type: private, team_read (the default), team_edit or everyone_read.", Tags: tags, Security: secured, Errors: errorsOf()},
		func(ctx context.Context, _ *struct{}) (*sharingOut, error) {
			set, err := s.svc.Access.Sharing(ctx, principal(ctx))
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out := &sharingOut{}
			out.Body.Account, out.Body.Contact = set[crm.KindAccount.Name], set[crm.KindContact.Name]
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "setSharing", Method: http.MethodPut, Path: "/api/v1/settings/sharing",
		Summary: "Set how far teams see their members' records", Description: "Administrators only. A setting left out stays as it is.",
		Tags: tags, Security: secured, Errors: errorsOf(http.StatusForbidden, http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *sharingIn) (*sharingOut, error) {
			p := principal(ctx)
			for entity, v := range map[string]crm.Sharing{crm.KindAccount.Name: in.Body.Account, crm.KindContact.Name: in.Body.Contact} {
				if v == "" {
					continue
				}
				if err := s.svc.Access.SetSharing(ctx, p, entity, v); err != nil {
					return nil, s.problem(ctx, err)
				}
			}
			set, err := s.svc.Access.Sharing(ctx, p)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out := &sharingOut{}
			out.Body.Account, out.Body.Contact = set[crm.KindAccount.Name], set[crm.KindContact.Name]
			return out, nil
		})
}
