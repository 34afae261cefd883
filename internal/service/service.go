// Package service holds tili's use cases: who may do what, validation, and the one transaction around
// each change. The web UI, the API and the CLI all come through here; none of them touches the store.
package service

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"tili/internal/auth"
	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/store"
)

// Options tunes the use cases.
type Options struct {
	// PhoneRegion is the region (ISO 3166 code) a phone number without a country code is read in.
	PhoneRegion string
	// Clock tells the time of throttles, links and expiries; nil means the machine's clock.
	Clock clock.Clock
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
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	b := &base{db: db, phoneRegion: o.PhoneRegion, clock: o.Clock}
	dummy := sync.OnceValue(func() string {
		h, err := auth.HashPassword("no user has this password", auth.DefaultParams)
		if err != nil {
			panic(err) // only a broken random source fails here
		}
		return h
	})
	s := &Services{Accounts: &Accounts{b}, Contacts: &Contacts{b}, Users: &Users{b}, Search: &Search{b},
		History: &History{b}, Auth: &Auth{base: b, dummyHash: dummy}, Access: &Access{b}, Views: &Views{b}, Timeline: &Timeline{b}}
	b.kinds = newRegistry(s.Accounts.rules(), s.Contacts.rules())
	return s
}

// base is what every use case shares.
type base struct {
	db          *store.DB
	phoneRegion string
	clock       clock.Clock
	kinds       registry
}

// write runs fn in one write transaction: a use case's changes, their history and its audit lines
// commit together or not at all. A refusal (see refuse) rolls the change back and is then recorded in
// the audit log on its own, so a refused attempt is kept even though nothing else is.
func (b *base) write(ctx context.Context, p crm.Principal, fn func(ctx context.Context, tx *store.Tx) error) error {
	err := b.db.Write(ctx, fn)
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	if aerr := b.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return b.audit(ctx, tx, p, "access.refused", r.entity, r.id, r.err.Message)
	}); aerr != nil {
		return aerr
	}
	return r.err
}

// refusal is a change refused for lack of rights, on its way out of a write.
type refusal struct {
	entity string
	id     int64
	err    *crm.Error
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuse returns err as a refusal of a change to record id of entity (0: a new one). Returned from inside
// write, it is recorded in the audit log after the rollback.
func refuse(entity string, id int64, err *crm.Error) error {
	return &refusal{entity: entity, id: id, err: err}
}

// refused records in the audit log a refusal decided before any change began, and returns its error.
func (b *base) refused(ctx context.Context, p crm.Principal, entity string, id int64, err *crm.Error) error {
	if aerr := b.auditAlone(ctx, p, "access.refused", entity, id, err.Message); aerr != nil {
		return aerr
	}
	return err
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
// allows, only when ownership alone does not allow what is asked: most checks need no shares.
func accountAccess(a *crm.Account) crm.Access {
	return crm.Access{Entity: crm.KindAccount.Name, ID: a.ID, OwnerID: a.OwnerID, TeamID: a.TeamID}
}

// withShares returns acc with the record's explicit shares read (once), through r.
func (b *base) withShares(ctx context.Context, r store.Reader, v crm.Viewer, acc crm.Access) (crm.Access, error) {
	if acc.Shares != nil || v.Role == crm.Admin {
		return acc, nil
	}
	shares, err := r.Shares(ctx, acc.Entity, acc.ID)
	if shares == nil {
		shares = []crm.Share{} // read, and there are none
	}
	acc.Shares = shares
	return acc, err
}

// allows tells whether test allows v the record of ra, reading the explicit shares of the record (and of
// its parent record) through r only when ownership alone does not decide; it returns the access as far
// as it was read.
func (b *base) allows(ctx context.Context, r store.Reader, v crm.Viewer, ra crm.RecordAccess, test func(crm.RecordAccess) bool) (bool, crm.RecordAccess, error) {
	if test(ra) {
		return true, ra, nil
	}
	var err error
	if ra.Access, err = b.withShares(ctx, r, v, ra.Access); err != nil {
		return false, ra, err
	}
	if ra.Parent != nil {
		parent, err := b.withShares(ctx, r, v, *ra.Parent)
		if err != nil {
			return false, ra, err
		}
		ra.Parent = &parent
	}
	return test(ra), ra, nil
}

// withAllShares returns ra with every share read, for deciding several rights at once.
func (b *base) withAllShares(ctx context.Context, r store.Reader, v crm.Viewer, ra crm.RecordAccess) (crm.RecordAccess, error) {
	_, ra, err := b.allows(ctx, r, v, ra, func(crm.RecordAccess) bool { return false })
	return ra, err
}

func actor(p crm.Principal) store.Actor { return store.Actor{UserID: p.UserID, Source: p.Source} }

// checkOwnerAndTeam refuses an owner who is not an active user and a team that does not exist, and gives a
// record without a team its owner's first team.
func (b *base) checkOwnerAndTeam(ctx context.Context, r store.Reader, ownerID int64, teamID *int64) error {
	if ownerID != 0 {
		u, err := r.User(ctx, ownerID)
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
		if _, err := r.Team(ctx, *teamID); crm.CodeOf(err) == crm.NotFound {
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

// visibleLikely keeps the lookalikes v may see: a warning must not reveal records v cannot. One query
// per kind decides, with the same rule as every list.
func (b *base) visibleLikely(ctx context.Context, v crm.Viewer, likely []store.Likely) ([]store.Likely, error) {
	if v.Role == crm.Admin || len(likely) == 0 {
		return likely, nil
	}
	ids := map[string][]int64{}
	for _, l := range likely {
		ids[l.Kind] = append(ids[l.Kind], l.ID)
	}
	visible := map[string]map[int64]bool{}
	for name, list := range ids {
		kind, err := crm.KindNamed("kind", name)
		if err != nil {
			return nil, err
		}
		if visible[name], err = b.db.Visible(ctx, store.Scope{V: v}, kind, list); err != nil {
			return nil, err
		}
	}
	var out []store.Likely
	for _, l := range likely {
		if visible[l.Kind][l.ID] {
			out = append(out, l)
		}
	}
	return out, nil
}

// audit records a security event in the transaction tx.
func (b *base) audit(ctx context.Context, tx *store.Tx, p crm.Principal, event, entity string, id int64, detail string) error {
	return tx.Audit(ctx, store.AuditEvent{Event: event, ActorID: p.UserID, Source: p.Source, Entity: entity,
		EntityID: id, IP: ClientIP(ctx), Detail: detail})
}

// auditAlone records a security event that comes with no other change, in a transaction of its own.
func (b *base) auditAlone(ctx context.Context, p crm.Principal, event, entity string, id int64, detail string) error {
	return b.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return b.audit(ctx, tx, p, event, entity, id, detail)
	})
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
