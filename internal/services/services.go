// Package services bundles the use cases of every module for the doors that use many of them: the web
// pages, the JSON API, the HTTP server and the demo data. It builds the modules in their one order (a
// module is built after the modules it uses) and re-exports the types those doors name.
package services

import (
	"tili/internal/service"
	accountsvc "tili/internal/service/accounts"
	contactsvc "tili/internal/service/contacts"
	historysvc "tili/internal/service/history"
	searchsvc "tili/internal/service/search"
	sharingsvc "tili/internal/service/sharing"
	signinsvc "tili/internal/service/signin"
	usersvc "tili/internal/service/users"
	viewsvc "tili/internal/service/views"
	"tili/internal/store"
	searchstore "tili/internal/store/search"
	signinstore "tili/internal/store/signin"
)

// Services is every use case of tili; the core's own (readiness, the audit of exports) come with it.
type Services struct {
	*service.Core
	Accounts *accountsvc.Service
	Contacts *contactsvc.Service
	Users    *usersvc.Service
	Search   *searchsvc.Service
	History  *historysvc.Service
	Timeline *historysvc.Timeline
	Auth     *signinsvc.Service
	Access   *sharingsvc.Service
	Views    *viewsvc.Service
}

// New builds the use cases on db. It panics when a kind of record lacks its rules: a programming error
// that no installation could run with.
func New(db *store.DB, o service.Options) *Services {
	core := service.NewCore(db, o)
	accounts := accountsvc.New(core)
	history := historysvc.New(core)
	s := &Services{Core: core, Accounts: accounts, Contacts: contactsvc.New(core, accounts), Users: usersvc.New(core),
		Search: searchsvc.New(core), History: history, Timeline: historysvc.NewTimeline(history), Auth: signinsvc.New(core),
		Access: sharingsvc.New(core), Views: viewsvc.New(core)}
	if err := core.CheckKinds(); err != nil {
		panic(err)
	}
	return s
}

// The types the doors name, from the modules that define them.
type (
	// AccountFilter narrows a list of companies.
	AccountFilter = accountsvc.Filter
	// ContactFilter narrows a list of people.
	ContactFilter = contactsvc.Filter
	// Hit is one search result.
	Hit = searchstore.Hit
	// APIToken describes an API token (never the token itself).
	APIToken = signinstore.APIToken
	// NewToken is an API token just made.
	NewToken = signinsvc.NewToken
	// Entry is one line of field history with who made it.
	Entry = historysvc.Entry
	// TimelineItem is one event of a timeline.
	TimelineItem = historysvc.TimelineItem
	// SavedView is a user's named filter of a list page.
	SavedView = viewsvc.SavedView
)
