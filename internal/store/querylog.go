package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// QueryLog records the statements sent to the database on behalf of one context (a request, in a
// test): the guardrail that holds each request to its number of round trips and says which statement a
// change added. Transactions' BEGIN and COMMIT are not recorded.
type QueryLog struct {
	mu         sync.Mutex
	statements []string
}

type queryLogKey struct{}

// Attach returns ctx with l recording the statements sent with it.
func (l *QueryLog) Attach(ctx context.Context) context.Context {
	return context.WithValue(ctx, queryLogKey{}, l)
}

// logQuery records query if ctx carries a log.
func logQuery(ctx context.Context, query string) {
	if l, ok := ctx.Value(queryLogKey{}).(*QueryLog); ok {
		l.mu.Lock()
		l.statements = append(l.statements, query)
		l.mu.Unlock()
	}
}

// Len is how many statements were sent.
func (l *QueryLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.statements)
}

// String lists the statements, one a line, each shortened to its first 160 characters.
func (l *QueryLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for i, s := range l.statements {
		s = strings.Join(strings.Fields(s), " ")
		if len(s) > 160 {
			s = s[:160] + "…"
		}
		fmt.Fprintf(&b, "%2d. %s\n", i+1, s)
	}
	return b.String()
}
