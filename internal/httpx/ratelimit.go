package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"tili/internal/clock"
	"tili/internal/crm"
)

// RateLimit is how many API requests one token, session or (for anonymous requests) client address may
// make: Rate a second on average, Burst at once. The counters live in each instance's memory: behind a
// load balancer with N instances a client may make up to N times as many.
type RateLimit struct {
	Rate  float64
	Burst int
}

// DefaultRateLimit allows 20 requests a second, 200 at once.
var DefaultRateLimit = RateLimit{Rate: 20, Burst: 200}

type limiters struct {
	mu    sync.Mutex
	byKey map[string]*limiterEntry
	limit RateLimit
	swept time.Time
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func (ls *limiters) get(key string, now time.Time) *rate.Limiter {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if now.Sub(ls.swept) > 10*time.Minute { // forget clients gone quiet
		for k, e := range ls.byKey {
			if now.Sub(e.seen) > 10*time.Minute {
				delete(ls.byKey, k)
			}
		}
		ls.swept = now
	}
	e := ls.byKey[key]
	if e == nil {
		e = &limiterEntry{l: rate.NewLimiter(rate.Limit(ls.limit.Rate), ls.limit.Burst)}
		ls.byKey[key] = e
	}
	e.seen = now
	return e.l
}

// limitRate applies the rate limit to API requests and tells the client where it stands in
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; over the limit it answers 429 with
// Retry-After.
func limitRate(next http.Handler, limit RateLimit, c clock.Clock, fail func(w http.ResponseWriter, r *http.Request, err error)) http.Handler {
	if limit.Rate <= 0 {
		return next
	}
	ls := &limiters{byKey: map[string]*limiterEntry{}, limit: limit}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		id := IdentityOf(r.Context())
		key := id.Kind + ":" + id.Key
		if id.Kind == "" {
			key = "ip:" + ClientIP(r.Context())
		}
		now := c.Now()
		l := ls.get(key, now)
		res := l.ReserveN(now, 1)
		h := w.Header()
		h.Set("RateLimit-Limit", strconv.Itoa(limit.Burst))
		if delay := res.DelayFrom(now); delay > 0 {
			res.CancelAt(now)
			secs := strconv.Itoa(int(delay.Seconds() + 0.999))
			h.Set("RateLimit-Remaining", "0")
			h.Set("RateLimit-Reset", secs)
			h.Set("Retry-After", secs)
			fail(w, r, crm.Errorf(crm.TooManyRequests, "too many requests; wait %s seconds (at most %d at once, %g a second on average)", secs, limit.Burst, limit.Rate))
			return
		}
		remaining := int(l.TokensAt(now))
		h.Set("RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
		h.Set("RateLimit-Reset", strconv.Itoa(int(float64(limit.Burst-remaining)/limit.Rate+0.999)))
		next.ServeHTTP(w, r)
	})
}
