// Package search is the room of the JSON API for finding companies and people together (/api/v1/search).
package search

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/api"
	"tili/internal/services"
)

type searchIn struct {
	Q     string `query:"q" required:"true" maxLength:"200" doc:"What to look for: a name or its beginning, an e-mail address, a phone number, a business ID."`
	Limit int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
	After string `query:"after" doc:"The next_cursor of the previous page."`
}

type searchPage struct {
	Body struct {
		Items []services.Hit `json:"items" nullable:"false"`
		Next  string         `json:"next_cursor"`
	}
}

// Register adds the search.
func Register(s *api.Server) {
	a := s.API
	huma.Register(a, huma.Operation{OperationID: "search", Method: http.MethodGet, Path: "/api/v1/search",
		Summary: "Search companies and people",
		Description: "Case and diacritics never matter. Names equal to the text come first, then names starting with it, then " +
			"records with a word starting with each typed word; each group by name.",
		Tags: []string{"Search"}, Security: api.Secured(), Errors: api.ErrorsOf(http.StatusUnprocessableEntity)},
		func(ctx context.Context, in *searchIn) (*searchPage, error) {
			page, err := s.Services.Search.Find(ctx, api.Principal(ctx), in.Q, in.Limit, in.After)
			if err != nil {
				return nil, s.Problem(ctx, err)
			}
			out := &searchPage{}
			out.Body.Items, out.Body.Next = api.NonNil(page.Items), page.Next
			return out, nil
		})
}
