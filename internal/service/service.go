// Package service holds tili's use cases: who may do what, validation, and the one transaction around
// each change. The web UI, the API and the CLI all come through here; none of them touches the store.
package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// Options tunes the use cases.
type Options struct {
	// PhoneRegion is the region (ISO 3166 code) a phone number without a country code is read in.
	PhoneRegion string
}

// Services bundles the use cases; the composition root builds one.
type Services struct {
	Accounts *Accounts
	Contacts *Contacts
	Users    *Users
	Search   *Search
	History  *History
}

// New builds the use cases on db.
func New(db *store.DB, o Options) *Services {
	if o.PhoneRegion == "" {
		o.PhoneRegion = crm.DefaultPhoneRegion
	}
	b := &base{db: db, phoneRegion: o.PhoneRegion}
	return &Services{Accounts: &Accounts{b}, Contacts: &Contacts{b}, Users: &Users{b}, Search: &Search{b}, History: &History{b}}
}

// base is what every use case shares.
type base struct {
	db          *store.DB
	phoneRegion string
}

// viewer returns p with what decides what it sees: its teams and the users below it.
func (b *base) viewer(ctx context.Context, p crm.Principal) (crm.Viewer, error) {
	v := crm.Viewer{Principal: p}
	if p.UserID == 0 || p.Role == crm.Admin {
		return v, nil
	}
	u, err := b.db.User(ctx, p.UserID)
	if err != nil {
		return v, fmt.Errorf("service: the acting user %d: %w", p.UserID, err)
	}
	if u.DisabledAt != nil {
		return crm.Viewer{}, crm.Errorf(crm.Unauthenticated, "the user %s is disabled", u.Email)
	}
	v.Teams = u.TeamIDs
	if p.Role == crm.SalesHead {
		if v.Below, err = b.db.UsersBelow(ctx, p.UserID); err != nil {
			return v, err
		}
	}
	return v, nil
}

func actor(p crm.Principal) store.Actor { return store.Actor{UserID: p.UserID, Source: p.Source} }

// checkOwnerAndTeam refuses an owner who is not an active user and a team that does not exist, and gives a
// record without a team its owner's first team.
func (b *base) checkOwnerAndTeam(ctx context.Context, ownerID int64, teamID *int64) error {
	if ownerID != 0 {
		u, err := b.db.User(ctx, ownerID)
		if crm.CodeOf(err) == crm.NotFound {
			return crm.FieldError("owner", "there is no user #%d to own the record", ownerID)
		}
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return crm.FieldError("owner", "%s is disabled and cannot own records; choose an active user", u.Email)
		}
		if *teamID == 0 && len(u.TeamIDs) > 0 {
			*teamID = u.TeamIDs[0]
		}
	}
	if *teamID != 0 {
		if _, err := b.db.Team(ctx, *teamID); crm.CodeOf(err) == crm.NotFound {
			return crm.FieldError("team", "there is no team #%d", *teamID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Saved is a record just written, with the records it may duplicate (names never block a save; they are
// reported so a person can look).
type Saved[T any] struct {
	Record T              `json:"record"`
	Likely []store.Likely `json:"likely_duplicates,omitempty"`
}

// visibleLikely keeps the lookalikes p may see: a warning must not reveal records p cannot.
func (b *base) visibleLikely(ctx context.Context, v crm.Viewer, likely []store.Likely) ([]store.Likely, error) {
	if v.Role == crm.Admin || len(likely) == 0 {
		return likely, nil
	}
	var accIDs, conIDs []int64
	for _, l := range likely {
		if l.Kind == "account" {
			accIDs = append(accIDs, l.ID)
		} else {
			conIDs = append(conIDs, l.ID)
		}
	}
	accs, err := b.db.AccountsByID(ctx, accIDs)
	if err != nil {
		return nil, err
	}
	cons, err := b.db.ContactsByID(ctx, conIDs)
	if err != nil {
		return nil, err
	}
	var out []store.Likely
	for _, l := range likely {
		if l.Kind == "account" {
			if a := accs[l.ID]; a != nil && v.CanSee(accountOwnership(a)) {
				out = append(out, l)
			}
		} else if c := cons[l.ID]; c != nil {
			ok, err := b.canSeeContact(ctx, v, c)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

func accountOwnership(a *crm.Account) crm.Ownership {
	return crm.Ownership{OwnerID: a.OwnerID, TeamID: a.TeamID}
}
