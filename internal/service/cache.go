package service

import (
	"context"
	"sync"

	"tili/internal/crm"
)

// requestCache keeps, for one request, what deciding visibility needs more than once: the acting user
// and their viewer. It lives as long as the request's context, so no instance holds anything another
// would need.
type requestCache struct {
	mu      sync.Mutex
	users   map[int64]*crm.User
	viewers map[crm.Principal]crm.Viewer
}

type cacheKey struct{}

// WithRequestCache returns ctx carrying a cache for one request; the HTTP layer sets it.
func WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{}, &requestCache{users: map[int64]*crm.User{}, viewers: map[crm.Principal]crm.Viewer{}})
}

func cacheOf(ctx context.Context) *requestCache {
	c, _ := ctx.Value(cacheKey{}).(*requestCache)
	return c
}

// User returns a user, once per request.
func (b *Core) User(ctx context.Context, id int64) (*crm.User, error) {
	c := cacheOf(ctx)
	if c != nil {
		c.mu.Lock()
		u, ok := c.users[id]
		c.mu.Unlock()
		if ok {
			cp := *u
			return &cp, nil
		}
	}
	u, err := b.DB.User(ctx, id)
	if err == nil {
		b.Remember(ctx, u)
	}
	return u, err
}

// Remember keeps a copy of u, just read, for the rest of the request.
func (b *Core) Remember(ctx context.Context, u *crm.User) {
	if c := cacheOf(ctx); c != nil {
		cp := *u
		c.mu.Lock()
		c.users[u.ID] = &cp
		c.mu.Unlock()
	}
}

// Forget drops what the cache holds of a user, after a change to them.
func (b *Core) Forget(ctx context.Context, id int64) {
	if c := cacheOf(ctx); c != nil {
		c.mu.Lock()
		delete(c.users, id)
		for p := range c.viewers {
			if p.UserID == id {
				delete(c.viewers, p)
			}
		}
		c.mu.Unlock()
	}
}
