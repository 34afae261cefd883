package service

import (
	"tili/internal/store"
)

// The list, filter and result types of the use cases are the store's, named here so that callers of
// service need not import store.
type (
	// Page is one page of a list and the cursor of the next.
	Page[T any] = store.Page[T]
	// Likely is a record that may duplicate one being saved.
	Likely = store.Likely
	// Lookalikes are the records one being saved may duplicate: the first few, and how many.
	Lookalikes = store.Lookalikes
	// AuditEvent is one security event.
	AuditEvent = store.AuditEvent
)

// LikelyCounted is where the count of lookalikes stops: a total this high means "this many or more".
const LikelyCounted = store.LikelyCounted
