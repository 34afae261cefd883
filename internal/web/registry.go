package web

import (
	"html/template"
	"net/http"
	"slices"

	"tili/internal/crm"
	"tili/internal/service"
)

// Registry is what rooms offer to pages they do not own: entries of the navigation, sections of the home
// page, panels and buttons on another kind's record page, and the shared parts of each kind of record
// (read by the record actions, the recently viewed list and the name pickers). The server makes one
// at start-up and hands it to each room's Open; rooms write to it only there, and read it afterwards.
type Registry struct {
	nav    []NavEntry
	home   []HomeSection
	panels []RecordPanel
	kinds  []*RecordKind
}

func newRegistry() *Registry { return &Registry{} }

// ordered is what the registry keeps in order: navigation entries, home sections, panels.
type ordered interface{ order() int }

// placed puts item into list after the items of a lower or the same order, so that a list stays in
// order whatever the order the rooms offer to it in.
func placed[T ordered](list []T, item T) []T {
	i := len(list)
	for i > 0 && list[i-1].order() > item.order() {
		i--
	}
	return slices.Insert(list, i, item)
}

// NavEntry is a link of the navigation.
type NavEntry struct {
	// Key is what Page.Nav holds on the pages the entry leads to, which the navigation marks as current.
	Key string
	// Path is where the entry leads.
	Path string
	// Label is the message key of its text.
	Label string
	// Order places the entry: lower first.
	Order int
	// Admin entries are shown to administrators only, under the administration heading.
	Admin bool
}

func (e NavEntry) order() int { return e.Order }

// OfferNav adds an entry to the navigation.
func (g *Registry) OfferNav(e NavEntry) {
	g.nav = placed(g.nav, e)
}

// navEntries are the entries for everyone (admin false) or for administrators only (admin true).
func (g *Registry) navEntries(admin bool) []NavEntry {
	var out []NavEntry
	for _, e := range g.nav {
		if e.Admin == admin {
			out = append(out, e)
		}
	}
	return out
}

// A HomePlace is where on the home page a section goes.
type HomePlace int

// The places of the home page.
const (
	// HomeActions are the buttons beside the greeting.
	HomeActions HomePlace = iota
	// HomeMain is the main column, above the recently viewed records.
	HomeMain
)

// HomeSection is a part of the home page that a room makes.
type HomeSection struct {
	Place HomePlace
	// Order places the section within its place: lower first.
	Order int
	// Render makes the section's HTML for the user of pg; an error fails the home page.
	Render func(r *http.Request, pg *Page) (template.HTML, error)
}

func (h HomeSection) order() int { return h.Order }

// OfferHomeSection adds a section to the home page.
func (g *Registry) OfferHomeSection(h HomeSection) {
	g.home = placed(g.home, h)
}

// HomeSections renders the sections of place in their order.
func (g *Registry) HomeSections(r *http.Request, pg *Page, place HomePlace) ([]template.HTML, error) {
	var out []template.HTML
	for _, h := range g.home {
		if h.Place != place {
			continue
		}
		html, err := h.Render(r, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, html)
	}
	return out, nil
}

// A RecordPlace is where on a record's page a panel goes.
type RecordPlace int

// The places of a record page.
const (
	// RecordActions are the buttons of a record that is not in the bin.
	RecordActions RecordPlace = iota
	// RecordMain is the main column, above the record's timeline.
	RecordMain
)

// RecordPanel is what a room shows on the page of a record of another kind: the people room shows a
// company's people on the company's page.
type RecordPanel struct {
	Kind  *crm.Kind
	Place RecordPlace
	// Order places the panel within its place: lower first.
	Order int
	// Render makes the panel's HTML for record rec; an error fails the record's page.
	Render func(r *http.Request, pg *Page, rec RecordContext) (template.HTML, error)
}

// RecordContext is what a panel knows of the record whose page it is on.
type RecordContext struct {
	ID     int64
	Binned bool
	Rights service.Rights
}

func (p RecordPanel) order() int { return p.Order }

// OfferPanel adds a panel to the pages of a kind of record.
func (g *Registry) OfferPanel(p RecordPanel) {
	g.panels = placed(g.panels, p)
}

// Panels renders the panels of place on the page of record rec of kind, in their order.
func (g *Registry) Panels(r *http.Request, pg *Page, kind *crm.Kind, place RecordPlace, rec RecordContext) ([]template.HTML, error) {
	var out []template.HTML
	for _, p := range g.panels {
		if p.Kind != kind || p.Place != place {
			continue
		}
		html, err := p.Render(r, pg, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, html)
	}
	return out, nil
}

// offerKind adds the shared parts of a kind of record; OfferKind makes them.
func (g *Registry) offerKind(k *RecordKind) { g.kinds = append(g.kinds, k) }

// Kinds are the kinds of record whose rooms offered their shared parts, in the order they were offered.
func (g *Registry) Kinds() []*RecordKind { return slices.Clone(g.kinds) }

// Kind returns the shared parts of kind; nil when no room offered them.
func (g *Registry) Kind(kind *crm.Kind) *RecordKind {
	for _, k := range g.kinds {
		if k.Kind == kind {
			return k
		}
	}
	return nil
}
