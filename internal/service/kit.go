package service

import (
	"context"

	"tili/internal/crm"
	"tili/internal/store"
)

// The use cases every kind of record has the same way, for a kind's room to embed rather than copy.

// Bin is the bin of one kind: moving a record there and bringing it back, as the record's editors may.
type Bin[T any] struct {
	core     *Core
	editable func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (T, crm.RecordAccess, error)
	toBin    func(ctx context.Context, tx *store.Tx, by store.Actor, id, version int64) (T, error)
	fromBin  func(ctx context.Context, tx *store.Tx, by store.Actor, id int64) (T, error)
	redact   func(v crm.Viewer, rec T)
}

// NewBin makes the bin of a kind: editable reads a record v may change through r, refusing one v may
// not (NotFound when v may not see it); toBin and fromBin are the store's changes; redact (or nil)
// empties what v may not see of the result.
func NewBin[T any](core *Core, editable func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (T, crm.RecordAccess, error),
	toBin func(ctx context.Context, tx *store.Tx, by store.Actor, id, version int64) (T, error),
	fromBin func(ctx context.Context, tx *store.Tx, by store.Actor, id int64) (T, error), redact func(v crm.Viewer, rec T)) Bin[T] {
	return Bin[T]{core: core, editable: editable, toBin: toBin, fromBin: fromBin, redact: redact}
}

// Delete moves record id to the bin; with version > 0 it must be the version p saw.
func (b Bin[T]) Delete(ctx context.Context, p crm.Principal, id, version int64) (T, error) {
	return b.change(ctx, p, id, func(ctx context.Context, tx *store.Tx) (T, error) { return b.toBin(ctx, tx, Actor(p), id, version) })
}

// Restore brings record id back from the bin.
func (b Bin[T]) Restore(ctx context.Context, p crm.Principal, id int64) (T, error) {
	return b.change(ctx, p, id, func(ctx context.Context, tx *store.Tx) (T, error) { return b.fromBin(ctx, tx, Actor(p), id) })
}

// change runs change on record id in one write, if p may change the record.
func (b Bin[T]) change(ctx context.Context, p crm.Principal, id int64, change func(context.Context, *store.Tx) (T, error)) (T, error) {
	var out T
	v, err := b.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	err = b.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if _, _, err := b.editable(ctx, tx.Reader, v, id); err != nil {
			return err
		}
		out, err = change(ctx, tx)
		return err
	})
	if err == nil && b.redact != nil {
		b.redact(v, out)
	}
	return out, err
}

// LookalikeFinder warns of the records of one kind that a record may duplicate: find reads the
// candidates, and only those the viewer may see are told.
type LookalikeFinder[T any] struct {
	core *Core
	find func(ctx context.Context, r store.Reader, scope store.Scope, rec T) (store.Lookalikes, error)
}

// NewLookalikeFinder makes the duplicate warnings of a kind whose candidates find reads.
func NewLookalikeFinder[T any](core *Core, find func(ctx context.Context, r store.Reader, scope store.Scope, rec T) (store.Lookalikes, error)) LookalikeFinder[T] {
	return LookalikeFinder[T]{core: core, find: find}
}

// Lookalikes returns the records p sees that rec (not yet saved, or being edited) may duplicate.
func (l LookalikeFinder[T]) Lookalikes(ctx context.Context, p crm.Principal, rec T) (store.Lookalikes, error) {
	v, err := l.core.Viewer(ctx, p)
	if err != nil {
		return store.Lookalikes{}, err
	}
	return l.LookalikesFor(ctx, v, rec)
}

// LookalikesFor is Lookalikes for a viewer already built. It reads through the reader pool, after any
// change has committed: a warning needs no lock, and the writer should not wait for it. Only records v
// may see are told, and counted: a warning must not reveal records v cannot see.
func (l LookalikeFinder[T]) LookalikesFor(ctx context.Context, v crm.Viewer, rec T) (store.Lookalikes, error) {
	return l.find(ctx, l.core.DB.Reader, store.Scope{V: v}, rec)
}

type noLookalikesKey struct{}

// WithoutLookalikes tells the saves made with ctx not to look for the records the saved one may
// duplicate: for a caller that has just asked, or will show them elsewhere.
func WithoutLookalikes(ctx context.Context) context.Context {
	return context.WithValue(ctx, noLookalikesKey{}, true)
}

// WithLookalikes is rec as written, with its lookalikes as v sees them (none with WithoutLookalikes).
func (l LookalikeFinder[T]) WithLookalikes(ctx context.Context, v crm.Viewer, rec T) (Saved[T], error) {
	out := Saved[T]{Record: rec}
	if ctx.Value(noLookalikesKey{}) != nil {
		return out, nil
	}
	likely, err := l.LookalikesFor(ctx, v, rec)
	out.Likely, out.LikelyTotal = likely.Found, likely.Total
	return out, err
}
