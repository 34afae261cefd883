// Package service holds tili's use cases: who may do what, validation, and the one transaction around
// each change. The web UI, the API and the CLI all come through here; none of them touches the store.
package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

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

// NewCore builds what every use case shares on db; each module's New registers the rules of its kinds
// of record on it, and CheckKinds tells whether every kind has them.
func NewCore(db *store.DB, o Options) *Core {
	if o.PhoneRegion == "" {
		o.PhoneRegion = crm.DefaultPhoneRegion
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	return &Core{DB: db, PhoneRegion: o.PhoneRegion, Clock: o.Clock, kinds: Registry{rules: map[*crm.Kind]*KindRules{}}}
}

// Register adds the rules of kinds of record, as the modules are built.
func (b *Core) Register(rules ...*KindRules) {
	for _, r := range rules {
		b.kinds.rules[r.Kind] = r
	}
}

// Core is what every use case shares: the database, the clock, the phone region and the rules of every
// kind of record.
type Core struct {
	DB          *store.DB
	PhoneRegion string // the region a phone number without a country code is read in
	Clock       clock.Clock
	kinds       Registry
}

// Kinds returns the rules of every kind of record.
func (b *Core) Kinds() Registry { return b.kinds }

// Write runs fn in one write transaction: a use case's changes, their history and its audit lines
// commit together or not at all. A refusal (see refuse) rolls the change back and is then recorded in
// the audit log on its own, so a refused attempt is kept even though nothing else is.
func (b *Core) Write(ctx context.Context, p crm.Principal, fn func(ctx context.Context, tx *store.Tx) error) error {
	return b.AuditRefusal(ctx, p, b.DB.Write(ctx, fn))
}

// AuditRefusal records err in the audit log if it is a refusal (see Refuse), and returns it as the
// caller should see it: for a refusal decided outside Write.
func (b *Core) AuditRefusal(ctx context.Context, p crm.Principal, err error) error {
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	if aerr := b.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return b.Audit(ctx, tx, p, "access.refused", r.entity, r.id, r.err.Message)
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

// Refuse returns err as a refusal of a change to record id of entity (0: a new one). Returned from inside
// write, it is recorded in the audit log after the rollback.
func Refuse(entity string, id int64, err *crm.Error) error {
	return &refusal{entity: entity, id: id, err: err}
}

// Refused records in the audit log a refusal decided before any change began, and returns its error.
func (b *Core) Refused(ctx context.Context, p crm.Principal, entity string, id int64, err *crm.Error) error {
	if aerr := b.AuditAlone(ctx, p, "access.refused", entity, id, err.Message); aerr != nil {
		return aerr
	}
	return err
}

// Viewer returns p with what decides what it sees: its teams, the users below it and the sharing
// settings. A principal whose user is gone or disabled sees nothing.
func (b *Core) Viewer(ctx context.Context, p crm.Principal) (crm.Viewer, error) {
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

func (b *Core) buildViewer(ctx context.Context, p crm.Principal) (crm.Viewer, error) {
	v := crm.Viewer{Principal: p}
	if p.UserID == 0 {
		if p.Role != crm.Admin {
			return v, crm.Errorf(crm.Unauthenticated, "sign in first")
		}
		return v, nil // the system
	}
	u, err := b.User(ctx, p.UserID)
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
		v.Below, v.Sharing, err = b.DB.UsersBelowAndSharing(ctx, p.UserID)
	} else {
		v.Sharing, err = b.DB.Sharing(ctx)
	}
	return v, err
}

// withShares returns acc with the record's explicit shares read (once), through r.
func (b *Core) withShares(ctx context.Context, r store.Reader, v crm.Viewer, acc crm.Access) (crm.Access, error) {
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

// Allows tells whether test allows v the record of ra, reading the explicit shares of the record (and of
// its parent record) through r only when ownership alone does not decide; it returns the access as far
// as it was read.
func (b *Core) Allows(ctx context.Context, r store.Reader, v crm.Viewer, ra crm.RecordAccess, test func(crm.RecordAccess) bool) (bool, crm.RecordAccess, error) {
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

// WithAllShares returns ra with every share read, for deciding several rights at once.
func (b *Core) WithAllShares(ctx context.Context, r store.Reader, v crm.Viewer, ra crm.RecordAccess) (crm.RecordAccess, error) {
	_, ra, err := b.Allows(ctx, r, v, ra, func(crm.RecordAccess) bool { return false })
	return ra, err
}

func Actor(p crm.Principal) store.Actor { return store.Actor{UserID: p.UserID, Source: p.Source} }

// CheckOwnerAndTeam refuses an owner who is not an active user and a team that does not exist, and gives a
// record without a team its owner's first team. What the request already knows is not read again: v
// itself as the owner (active, or v would not be signed in), and a team among the owner's teams.
func (b *Core) CheckOwnerAndTeam(ctx context.Context, r store.Reader, v crm.Viewer, ownerID int64, teamID *int64) error {
	var ownerTeams []int64
	switch {
	case ownerID == 0:
	case ownerID == v.UserID:
		ownerTeams = v.Teams
	default:
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
		ownerTeams = u.TeamIDs
	}
	if *teamID == 0 && len(ownerTeams) > 0 {
		*teamID = ownerTeams[0]
	}
	if *teamID != 0 && !slices.Contains(ownerTeams, *teamID) && !slices.Contains(v.Teams, *teamID) {
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
	// LikelyTotal is how many records it may duplicate, up to store.LikelyCounted ("that many or more");
	// Likely lists the first of them.
	LikelyTotal int `json:"likely_duplicates_total,omitempty"`
}

// Lookalikes are the saved record's lookalikes: the first ones, and how many.
func (s Saved[T]) Lookalikes() store.Lookalikes {
	return store.Lookalikes{Found: s.Likely, Total: s.LikelyTotal}
}

// Audit records a security event in the transaction tx.
func (b *Core) Audit(ctx context.Context, tx *store.Tx, p crm.Principal, event, entity string, id int64, detail string) error {
	return tx.Audit(ctx, store.AuditEvent{Event: event, ActorID: p.UserID, Source: p.Source, Entity: entity,
		EntityID: id, IP: ClientIP(ctx), Detail: detail})
}

// AuditAlone records a security event that comes with no other change, in a transaction of its own.
func (b *Core) AuditAlone(ctx context.Context, p crm.Principal, event, entity string, id int64, detail string) error {
	return b.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return b.Audit(ctx, tx, p, event, entity, id, detail)
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

// RequireAdmin refuses what only administrators may do.
func RequireAdmin(p crm.Principal, what string) error {
	if p.Role != crm.Admin {
		return crm.Errorf(crm.Forbidden, "only an administrator may %s", what)
	}
	return nil
}

// AdminChange refuses a change to record id of entity that only administrators may make, or one made
// through a read-only API token, recording the refusal in the audit log.
func (b *Core) AdminChange(ctx context.Context, p crm.Principal, what, entity string, id int64) error {
	if p.Role != crm.Admin {
		return b.Refused(ctx, p, entity, id, crm.Errorf(crm.Forbidden, "only an administrator may %s", what))
	}
	if p.ReadOnly {
		return b.Refused(ctx, p, entity, id, crm.Errorf(crm.Forbidden, "this API token may only read"))
	}
	return nil
}

// Rights is what the caller may do with one record, for showing only the actions that will work.
type Rights struct {
	Edit, Delete, Share, Reassign, Confidential bool
}
