package history

import (
	"context"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
)

// History reads the field history of records.
type Service struct{ core *service.Core }

// New builds the use cases of the field history on core.
func New(core *service.Core) *Service { return &Service{core: core} }

// Entry is one change with the name of who made it.
type Entry struct {
	crm.Change
	Actor string `json:"actor"` // the user's e-mail address, or "system"
}

// Of returns a page of the history of record id of the kind called entity ("account", "contact"), newest
// first, if p may see the record. The changes of confidential fields are left out for those who may not
// see them, judged for each line by the record it was made to (the record, or one merged into it).
func (s *Service) Of(ctx context.Context, p crm.Principal, entity string, id int64, limit int, after string) (store.Page[Entry], error) {
	var out store.Page[Entry]
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	rules, err := s.core.Kinds().Named("entity", entity)
	if err != nil {
		return out, err
	}
	ra, _, err := rules.Access(ctx, s.core.DB.Reader, v, id)
	if err != nil {
		return out, err
	}
	confidential := map[int64]bool{id: v.CanSeeConfidential(ra.Access)}
	page, err := s.core.DB.History(ctx, entity, id, limit, after)
	if err != nil {
		return out, err
	}
	users, err := s.core.DB.Users(ctx)
	if err != nil {
		return out, err
	}
	emails := map[int64]string{}
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	out.Next = page.Next
	for _, ch := range page.Items {
		if rules.IsConfidential(ch.Field) {
			sees, ok := confidential[ch.EntityID]
			if !ok {
				if sees, err = rules.SeesConfidential(ctx, s.core.DB.Reader, v, ch.EntityID); err != nil {
					return out, err
				}
				confidential[ch.EntityID] = sees
			}
			if !sees {
				continue
			}
		}
		name := "system"
		if ch.ActorID != 0 {
			name = emails[ch.ActorID]
		}
		out.Items = append(out.Items, Entry{Change: ch, Actor: name})
	}
	return out, nil
}
