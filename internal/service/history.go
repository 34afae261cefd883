package service

import (
	"context"

	"tili/internal/crm"
	"tili/internal/store"
)

// History reads the field history of records.
type History struct{ *base }

// Entry is one change with the name of who made it.
type Entry struct {
	crm.Change
	Actor string `json:"actor"` // the user's e-mail address, or "system"
}

// Of returns a page of the history of record id of the kind called entity ("account", "contact"), newest
// first, if p may see the record. The changes of confidential fields are left out for those who may not
// see them, judged for each line by the record it was made to (the record, or one merged into it).
func (s *History) Of(ctx context.Context, p crm.Principal, entity string, id int64, limit int, after string) (store.Page[Entry], error) {
	var out store.Page[Entry]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	rules, err := s.kinds.named("entity", entity)
	if err != nil {
		return out, err
	}
	ra, _, err := rules.access(ctx, s.db.Reader, v, id)
	if err != nil {
		return out, err
	}
	confidential := map[int64]bool{id: v.CanSeeConfidential(ra.Access)}
	page, err := s.db.History(ctx, entity, id, limit, after)
	if err != nil {
		return out, err
	}
	users, err := s.db.Users(ctx)
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
				if sees, err = rules.seesConfidential(ctx, s.db.Reader, v, ch.EntityID); err != nil {
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
