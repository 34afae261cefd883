package web

import (
	"context"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
)

// Ref is what shared code says of a record: its id, version, owner and name, and whether it is in the
// bin.
type Ref struct {
	ID, Version, Owner int64
	Name               string
	Binned             bool
}

// RecordService is the use cases every kind of record has, as each kind's service offers them; R is the
// record's Go type (*crm.Account).
type RecordService[R any] interface {
	Get(ctx context.Context, p crm.Principal, id int64) (R, error)
	Rights(ctx context.Context, p crm.Principal, id int64) (service.Rights, error)
	Lookalikes(ctx context.Context, p crm.Principal, rec R) (service.Lookalikes, error)
	Create(ctx context.Context, p crm.Principal, rec R) (service.Saved[R], error)
	Update(ctx context.Context, p crm.Principal, rec R) (service.Saved[R], error)
	Reassign(ctx context.Context, p crm.Principal, id, owner, version int64) (R, error)
	Delete(ctx context.Context, p crm.Principal, id, version int64) (R, error)
	Restore(ctx context.Context, p crm.Principal, id int64) (R, error)
	Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (R, error)
}

// Records is a kind of record as its room describes it to the kits (lists, forms, record pages) and,
// through OfferKind, to the shared record actions (share, reassign, history, bin, merge), the recently
// viewed list and the name pickers.
type Records[R any] struct {
	Kind *crm.Kind
	Use  RecordService[R]
	// Ref says a record's id, version, owner, name and whether it is in the bin.
	Ref func(R) Ref
	// MergeText writes one of the kind's merge fields of a record as the merge page shows it.
	MergeText func(pg *Page, rec R, field string) string
	// Recent names the kind in the browser's list of recently viewed records ("a"; the cookie holds it),
	// and RecentDetail is what that list shows beside a record's name. Without Recent the kind's records
	// are not remembered.
	Recent       string
	RecentDetail func(pg *Page, rec R) string
	// Named lists the records whose name is or starts with name, for finding the record a user typed the
	// name of where the picker (which needs JavaScript) gave no id. nil: the kind has no picker.
	Named func(ctx context.Context, p crm.Principal, name string, limit int) ([]R, error)
}

// RecordKind is a kind of record's shared parts as the registry keeps them, whatever the record's Go
// type: OfferKind makes one of a room's Records.
type RecordKind struct {
	Kind     *crm.Kind
	recent   string
	get      func(ctx context.Context, p crm.Principal, id int64) (Record, error)
	rights   func(ctx context.Context, p crm.Principal, id int64) (service.Rights, error)
	reassign func(ctx context.Context, p crm.Principal, id, owner, version int64) error
	delete   func(ctx context.Context, p crm.Principal, id, version int64) (Ref, error)
	restore  func(ctx context.Context, p crm.Principal, id int64) (Ref, error)
	merge    func(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (Ref, error)
	named    func(ctx context.Context, p crm.Principal, name string, limit int) ([]Ref, error)
}

// Record is a record read through its RecordKind.
type Record struct {
	Ref
	text   func(pg *Page, field string) string
	detail func(pg *Page) string
}

// MergeText writes one of the kind's merge fields of the record as the merge page shows it.
func (r Record) MergeText(pg *Page, field string) string { return r.text(pg, field) }

// OfferKind offers the shared parts of a kind of record: the record actions every kind has, the
// recently viewed list and the name picker read them from the registry.
func OfferKind[R any](reg *Registry, k Records[R]) {
	ref := func(rec R, err error) (Ref, error) {
		if err != nil {
			return Ref{}, err
		}
		return k.Ref(rec), nil
	}
	rk := &RecordKind{Kind: k.Kind, recent: k.Recent, rights: k.Use.Rights,
		get: func(ctx context.Context, p crm.Principal, id int64) (Record, error) {
			rec, err := k.Use.Get(ctx, p, id)
			if err != nil {
				return Record{}, err
			}
			out := Record{Ref: k.Ref(rec), text: func(*Page, string) string { return "" }, detail: func(*Page) string { return "" }}
			if k.MergeText != nil {
				out.text = func(pg *Page, field string) string { return k.MergeText(pg, rec, field) }
			}
			if k.RecentDetail != nil {
				out.detail = func(pg *Page) string { return k.RecentDetail(pg, rec) }
			}
			return out, nil
		},
		reassign: func(ctx context.Context, p crm.Principal, id, owner, version int64) error {
			_, err := k.Use.Reassign(ctx, p, id, owner, version)
			return err
		},
		delete: func(ctx context.Context, p crm.Principal, id, version int64) (Ref, error) {
			return ref(k.Use.Delete(ctx, p, id, version))
		},
		restore: func(ctx context.Context, p crm.Principal, id int64) (Ref, error) {
			return ref(k.Use.Restore(ctx, p, id))
		},
		merge: func(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (Ref, error) {
			return ref(k.Use.Merge(ctx, p, keepID, dupID, fromDup...))
		}}
	if k.Named != nil {
		rk.named = func(ctx context.Context, p crm.Principal, name string, limit int) ([]Ref, error) {
			recs, err := k.Named(ctx, p, name, limit)
			out := make([]Ref, 0, len(recs))
			for _, rec := range recs {
				out = append(out, k.Ref(rec))
			}
			return out, err
		}
	}
	reg.offerKind(rk)
}

// Get reads record id if p may see it.
func (k *RecordKind) Get(ctx context.Context, p crm.Principal, id int64) (Record, error) {
	return k.get(ctx, p, id)
}

// Rights tells what p may do with record id.
func (k *RecordKind) Rights(ctx context.Context, p crm.Principal, id int64) (service.Rights, error) {
	return k.rights(ctx, p, id)
}

// Reassign gives record id to another owner.
func (k *RecordKind) Reassign(ctx context.Context, p crm.Principal, id, owner, version int64) error {
	return k.reassign(ctx, p, id, owner, version)
}

// Delete moves record id to the bin.
func (k *RecordKind) Delete(ctx context.Context, p crm.Principal, id, version int64) (Ref, error) {
	return k.delete(ctx, p, id, version)
}

// Restore takes record id out of the bin.
func (k *RecordKind) Restore(ctx context.Context, p crm.Principal, id int64) (Ref, error) {
	return k.restore(ctx, p, id)
}

// Merge merges record dupID into keepID, taking the fields fromDup from the duplicate.
func (k *RecordKind) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (Ref, error) {
	return k.merge(ctx, p, keepID, dupID, fromDup...)
}

// Picks tells whether the kind has a name picker that works without JavaScript.
func (k *RecordKind) Picks() bool { return k.named != nil }

// Pick finds the record of kind a user typed the name of where the picker (which needs JavaScript) would
// have given its id: the only one they may see with exactly that name, else the only one whose name
// starts with it. Record not is left out (the record being edited).
func (s *Server) Pick(ctx context.Context, pg *Page, kind *crm.Kind, name string, not int64) (int64, error) {
	if name = strings.TrimSpace(crm.PlainText(name)); name == "" {
		return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.empty"))
	}
	k := s.reg.Kind(kind)
	if k == nil || k.named == nil {
		return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.none", "name", name))
	}
	found, err := k.named(ctx, pg.Principal, name, 20)
	if err != nil {
		return 0, err
	}
	var exact, prefix []int64
	for _, r := range found {
		if r.ID == not {
			continue
		}
		prefix = append(prefix, r.ID)
		if crm.Fold(r.Name) == crm.Fold(name) {
			exact = append(exact, r.ID)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(prefix) == 1:
		return prefix[0], nil
	case len(prefix) == 0:
		return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.none", "name", name))
	}
	return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.many", "name", name))
}
