package views

import (
	"context"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
	viewstore "tili/internal/store/views"
)

// Service is each user's saved filters of the list pages.
type Service struct{ core *service.Core }

// New builds the use cases of users' saved views on core.
func New(core *service.Core) *Service { return &Service{core: core} }

// SavedView is a user's named filter of a list page.
type SavedView = viewstore.SavedView

// viewPage refuses a page that is no kind's list.
func viewPage(page string) error {
	_, err := crm.KindOfListPage(page)
	return err
}

// List returns p's views of a page.
func (s *Service) List(ctx context.Context, p crm.Principal, page string) ([]SavedView, error) {
	if p.UserID == 0 {
		return nil, nil // the system has no views
	}
	if err := viewPage(page); err != nil {
		return nil, err
	}
	return viewstore.List(ctx, s.core.DB.Reader, p.UserID, page)
}

// Save stores a view of p's; one of the same name is replaced.
func (s *Service) Save(ctx context.Context, p crm.Principal, page, name, query string) (*SavedView, error) {
	if p.UserID == 0 {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in to save views")
	}
	if err := viewPage(page); err != nil {
		return nil, err
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return nil, crm.FieldError("name", "give the view a name")
	}
	if len([]rune(name)) > 60 {
		return nil, crm.FieldError("name", "a view's name fits in 60 characters")
	}
	if len(query) > 2000 {
		return nil, crm.FieldError("query", "the filter is too long to save")
	}
	v := &SavedView{Page: page, Name: name, Query: strings.TrimPrefix(query, "?")}
	return v, s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return viewstore.Save(ctx, tx, p.UserID, v) })
}

// Delete removes one of p's views.
func (s *Service) Delete(ctx context.Context, p crm.Principal, id int64) error {
	if p.UserID == 0 {
		return crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return viewstore.Delete(ctx, tx, p.UserID, id) })
}
