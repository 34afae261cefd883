package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// KindRules are what the use cases shared by every kind (sharing, history, merging a parent record) need
// of one kind of record. Each kind's use-case type makes its own; shared code finds them in the Registry
// instead of switching on kind names, and steps that cross kinds go through them, so no kind's code
// calls a later kind's.
type KindRules struct {
	*crm.Kind
	// access returns what decides who sees and changes record id, and the record's name for messages, if
	// v may see it: NotFound when v may not, exactly as for a record that does not exist.
	Access func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (crm.RecordAccess, string, error)
	// seesConfidential tells whether v may see the confidential fields of record id, whether or not v
	// may see the record (a record merged into another is read in the other's history); nil for a kind
	// without confidential fields.
	SeesConfidential func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (bool, error)
	// parentMerged moves this kind's records of parent record dupID to keepID, in the transaction that
	// merges the two; nil for a kind without a parent kind.
	ParentMerged func(ctx context.Context, tx *store.Tx, by store.Actor, dupID, keepID int64) error
}

// Registry holds the rules of every kind of record.
type Registry struct {
	rules map[*crm.Kind]*KindRules
}

// CheckKinds tells whether every kind in crm.Kinds has complete rules: tili cannot start without them.
func (b *Core) CheckKinds() error {
	for _, k := range crm.Kinds() {
		r := b.kinds.rules[k]
		if r == nil || r.Access == nil || (k.Parent != nil && r.ParentMerged == nil) || (len(k.Confidential) > 0 && r.SeesConfidential == nil) {
			return fmt.Errorf("service: the kind %s has no complete rules; register them with its use cases", k.Name)
		}
	}
	return nil
}

// Of returns the rules of kind.
func (g Registry) Of(kind *crm.Kind) *KindRules { return g.rules[kind] }

// Named returns the rules of the kind called name, or an Invalid error about field.
func (g Registry) Named(field, name string) (*KindRules, error) {
	k, err := crm.KindNamed(field, name)
	if err != nil {
		return nil, err
	}
	return g.rules[k], nil
}

// ChildrenOf returns the rules of the kinds whose parent kind is parent.
func (g Registry) ChildrenOf(parent *crm.Kind) []*KindRules {
	var out []*KindRules
	for _, k := range crm.Kinds() {
		if k.Parent == parent {
			out = append(out, g.rules[k])
		}
	}
	return out
}
