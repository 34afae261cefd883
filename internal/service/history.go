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

// Of returns a page of the history of the company (entity "account") or person ("contact") id, newest
// first, if p may see the record.
func (s *History) Of(ctx context.Context, p crm.Principal, entity string, id int64, limit int, after string) (store.Page[Entry], error) {
	var out store.Page[Entry]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	confidential := true
	switch entity {
	case "account":
		var acc crm.Access
		_, acc, err = (&Accounts{s.base}).get(ctx, v, id)
		confidential = v.CanSeeConfidential(acc)
	case "contact":
		_, err = (&Contacts{s.base}).get(ctx, v, id)
	default:
		err = crm.Errorf(crm.Invalid, "history is kept for companies (account) and people (contact), not %q", entity)
	}
	if err != nil {
		return out, err
	}
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
		if ch.Field == store.ConfidentialField && !confidential {
			continue
		}
		name := "system"
		if ch.ActorID != 0 {
			name = emails[ch.ActorID]
		}
		out.Items = append(out.Items, Entry{Change: ch, Actor: name})
	}
	return out, nil
}
