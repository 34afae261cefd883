package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// kindRules are what the use cases shared by every kind (sharing, history, merging a parent record) need
// of one kind of record. Each kind's use-case type makes its own; shared code finds them in the registry
// instead of switching on kind names, and steps that cross kinds go through them, so no kind's code
// calls a later kind's.
type kindRules struct {
	*crm.Kind
	// access returns what decides who sees and changes record id, and the record's name for messages, if
	// v may see it: NotFound when v may not, exactly as for a record that does not exist.
	access func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (crm.RecordAccess, string, error)
	// seesConfidential tells whether v may see the confidential fields of record id, whether or not v
	// may see the record (a record merged into another is read in the other's history); nil for a kind
	// without confidential fields.
	seesConfidential func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (bool, error)
	// parentMerged moves this kind's records of parent record dupID to keepID, in the transaction that
	// merges the two; nil for a kind without a parent kind.
	parentMerged func(ctx context.Context, tx *store.Tx, by store.Actor, dupID, keepID int64) error
}

// registry holds the rules of every kind of record.
type registry struct {
	rules map[*crm.Kind]*kindRules
}

// newRegistry registers rules; every kind in crm.Kinds must have its rules, or tili cannot start.
func newRegistry(rules ...*kindRules) registry {
	g := registry{rules: map[*crm.Kind]*kindRules{}}
	for _, r := range rules {
		g.rules[r.Kind] = r
	}
	for _, k := range crm.Kinds() {
		r := g.rules[k]
		if r == nil || r.access == nil || (k.Parent != nil && r.parentMerged == nil) || (len(k.Confidential) > 0 && r.seesConfidential == nil) {
			panic(fmt.Sprintf("service: the kind %s has no complete rules; make them with its use cases", k.Name))
		}
	}
	return g
}

// of returns the rules of kind.
func (g registry) of(kind *crm.Kind) *kindRules { return g.rules[kind] }

// named returns the rules of the kind called name, or an Invalid error about field.
func (g registry) named(field, name string) (*kindRules, error) {
	k, err := crm.KindNamed(field, name)
	if err != nil {
		return nil, err
	}
	return g.rules[k], nil
}

// childrenOf returns the rules of the kinds whose parent kind is parent.
func (g registry) childrenOf(parent *crm.Kind) []*kindRules {
	var out []*kindRules
	for _, k := range crm.Kinds() {
		if k.Parent == parent {
			out = append(out, g.rules[k])
		}
	}
	return out
}
