package service

import (
	"context"

	"tili/internal/crm"
	"tili/internal/store"
)

// Search finds companies and people.
type Search struct{ *base }

// Find returns a page of the companies and people p sees that match what p typed.
func (s *Search) Find(ctx context.Context, p crm.Principal, text string, limit int, after string) (store.Page[store.Hit], error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return store.Page[store.Hit]{}, err
	}
	return s.db.Search(ctx, store.Scope{V: v}, text, limit, after)
}
