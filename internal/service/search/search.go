package search

import (
	"context"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
	searchstore "tili/internal/store/search"
)

// Service finds companies and people.
type Service struct{ core *service.Core }

// New builds the use cases of search on core.
func New(core *service.Core) *Service { return &Service{core: core} }

// Find returns a page of the companies and people p sees that match what p typed.
func (s *Service) Find(ctx context.Context, p crm.Principal, text string, limit int, after string) (store.Page[searchstore.Hit], error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return store.Page[searchstore.Hit]{}, err
	}
	return searchstore.Find(ctx, s.core.DB.Reader, store.Scope{V: v}, text, limit, after)
}
