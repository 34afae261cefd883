// Package service holds tili's use cases: who may do what, validation, and the one transaction around
// each change. The web UI, the API and the CLI all come through here; none of them touches the store.
package service

import (
	"context"
	"fmt"
	"sync"

	"tili/internal/auth"
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
	Auth     *Auth
	Access   *Access
	Views    *Views
	Timeline *Timeline
}

// New builds the use cases on db.
func New(db *store.DB, o Options) *Services {
	if o.PhoneRegion == "" {
		o.PhoneRegion = crm.DefaultPhoneRegion
	}
	b := &base{db: db, phoneRegion: o.PhoneRegion}
	dummy := sync.OnceValue(func() string {
		h, err := auth.HashPassword("no user has this password", auth.DefaultParams)
		if err != nil {
			panic(err) // only a broken random source fails here
		}
		return h
	})
	return &Services{Accounts: &Accounts{b}, Contacts: &Contacts{b}, Users: &Users{b}, Search: &Search{b},
		History: &History{b}, Auth: &Auth{base: b, dummyHash: dummy}, Access: &Access{b}, Views: &Views{b}, Timeline: &Timeline{b}}
}

// base is what every use case shares.
type base struct {
	db          *store.DB
	phoneRegion string
}

// viewer returns p with what decides what it sees: its teams, the users below it and the sharing
// settings. A principal whose user is gone or disabled sees nothing.
func (b *base) viewer(ctx context.Context, p crm.Principal) (crm.Viewer, error) {
	c := cacheOf(ctx)
	if c != nil {
		c.mu.Lock()
		v, ok := c.viewers[p]
		c.mu.Unlock()
		if ok {
			return v, nil
		}
	}
	v, err := b.buildViewer(ctx, p)
	if err == nil && c != nil {
		c.mu.Lock()
		c.viewers[p] = v
		c.mu.Unlock()
	}
	return v, err
}

func (b *base) buildViewer(ctx context.Context, p crm.Principal) (crm.Viewer, error) {
	v := crm.Viewer{Principal: p}
	if p.UserID == 0 {
		if p.Role != crm.Admin {
			return v, crm.Errorf(crm.Unauthenticated, "sign in first")
		}
		return v, nil // the system
	}
	u, err := b.user(ctx, p.UserID)
	if crm.CodeOf(err) == crm.NotFound {
		return crm.Viewer{}, crm.Errorf(crm.Unauthenticated, "your user no longer exists; sign in again")
	}
	if err != nil {
		return v, fmt.Errorf("service: the acting user %d: %w", p.UserID, err)
	}
	if u.DisabledAt != nil {
		return crm.Viewer{}, crm.Errorf(crm.Unauthenticated, "the user %s is disabled", u.Email)
	}
	v.Role = u.Role // the role as it is now, not as it was when the session began
	v.Teams = u.TeamIDs
	if v.Role == crm.Admin {
		return v, nil
	}
	if v.Role == crm.SalesHead || v.Role == crm.AccountManager {
		// account managers manage no one, but someone may have been made their report all the same
		v.Below, v.Sharing, err = b.db.UsersBelowAndSharing(ctx, p.UserID)
	} else {
		v.Sharing, err = b.db.Sharing(ctx)
	}
	return v, err
}

// accountAccess returns what decides who sees a: its owner and team. Its explicit shares are read by
// withShares, only when ownership alone does not allow what is asked: most checks need no shares.
func accountAccess(a *crm.Account) crm.Access {
	return crm.Access{Entity: "account", ID: a.ID, OwnerID: a.OwnerID, TeamID: a.TeamID}
}

// withShares returns acc with the record's explicit shares read (once).
func (b *base) withShares(ctx context.Context, v crm.Viewer, acc crm.Access) (crm.Access, error) {
	if acc.Shares != nil || v.Role == crm.Admin {
		return acc, nil
	}
	shares, err := b.db.Shares(ctx, acc.Entity, acc.ID)
	if shares == nil {
		shares = []crm.Share{} // read, and there are none
	}
	acc.Shares = shares
	return acc, err
}

// allows tells whether test allows v the record of acc, reading the record's shares only when its
// ownership alone does not; it returns the access as far as it was read.
func (b *base) allows(ctx context.Context, v crm.Viewer, acc crm.Access, test func(crm.Access) bool) (bool, crm.Access, error) {
	if test(acc) {
		return true, acc, nil
	}
	acc, err := b.withShares(ctx, v, acc)
	if err != nil {
		return false, acc, err
	}
	return test(acc), acc, nil
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
			if a := accs[l.ID]; a != nil {
				ok, _, err := b.allows(ctx, v, accountAccess(a), v.CanSee)
				if err != nil {
					return nil, err
				}
				if ok {
					out = append(out, l)
				}
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

// audit records a security event; a failure to record is logged by the caller's error path.
func (b *base) audit(ctx context.Context, p crm.Principal, event, entity string, id int64, detail string) error {
	return b.db.Audit(ctx, store.AuditEvent{Event: event, ActorID: p.UserID, Source: p.Source, Entity: entity,
		EntityID: id, IP: ClientIP(ctx), Detail: detail})
}

type clientIPKey struct{}

// WithClientIP returns ctx carrying the address of the client a request came from, for the audit log
// and sign-in throttling; the HTTP layer sets it.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIP returns the address of the client the request behind ctx came from ("" when unknown).
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
