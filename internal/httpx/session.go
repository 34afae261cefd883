package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	signinsvc "tili/internal/service/signin"

	"github.com/alexedwards/scs/v2"

	"tili/internal/clock"
	"tili/internal/crm"
)

// SessionOptions are the rules of browser sessions.
type SessionOptions struct {
	// Idle ends a session nobody used for this long; Absolute ends any session this long after sign-in.
	Idle, Absolute time.Duration
	// Secure marks the cookies Secure and names the session cookie __Host-…: for tili served over TLS.
	Secure bool
	// Clock tells the time of the idle timeout; nil means the machine's clock.
	Clock clock.Clock
}

// DefaultSessionOptions meet ASVS 5.0 level 2: 30 minutes idle, 12 hours at most.
var DefaultSessionOptions = SessionOptions{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// touchEvery is how often a plain read may write a session: to move its idle deadline.
const touchEvery = time.Minute

// Sessions keeps browser sessions in tili's database (so several instances share them) and tells who
// is signed in.
type Sessions struct {
	mgr    *scs.SessionManager
	auth   *signinsvc.Service
	opts   SessionOptions
	log    *slog.Logger
	device string // name of the known-device cookie
}

// NewSessions builds the session manager on the service's session store.
func NewSessions(a *signinsvc.Service, o SessionOptions, log *slog.Logger) *Sessions {
	if o.Idle <= 0 {
		o.Idle = DefaultSessionOptions.Idle
	}
	if o.Absolute <= 0 {
		o.Absolute = DefaultSessionOptions.Absolute
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	m := scs.New()
	m.Store = &sessionStore{auth: a}
	m.Lifetime = o.Absolute // the absolute timeout; the idle one is kept by hand, see authenticate
	m.Cookie.Name = "tili_session"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Persist = false
	m.Cookie.Path = "/"
	device := "tili_device"
	if o.Secure {
		m.Cookie.Secure = true
		m.Cookie.Name = "__Host-tili_session"
		device = "__Host-tili_device"
	}
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session", "err", err, "request_id", RequestID(r.Context()))
		http.Error(w, "Something went wrong on our side; it has been logged with request id "+RequestID(r.Context())+".", http.StatusInternalServerError)
	}
	return &Sessions{mgr: m, auth: a, opts: o, log: log, device: device}
}

// sessionStore keeps scs sessions through the service, noting whose each session is so that all of a
// user's sessions can be ended at once.
type sessionStore struct{ auth *signinsvc.Service }

func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.auth.FindSession(ctx, token)
}

func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var uid int64
	if _, values, err := (scs.GobCodec{}).Decode(b); err == nil {
		uid, _ = values["user_id"].(int64)
	}
	return s.auth.CommitSession(ctx, token, b, expiry, uid)
}

func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.auth.DeleteSession(ctx, token)
}

func (s *sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

type identityKey struct{}

// Identity is what a request was authenticated with, for rate limits: a token or session and its id.
type Identity struct {
	Kind string // "token", "session" or "" for none
	Key  string
}

// IdentityOf returns what the request was authenticated with.
func IdentityOf(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

// sourceOf tells through which door a request came: the API or the web UI.
func sourceOf(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return crm.SourceAPI
	}
	return crm.SourceUI
}

// authenticate puts the principal of a bearer token or of the signed-in session into the request's
// context; without either the request goes on anonymous, and the handlers decide. A bearer token that is
// not valid is refused outright. A session idle longer than the idle timeout, or of a user who is
// disabled, ends.
func (s *Sessions) authenticate(next http.Handler, fail func(w http.ResponseWriter, r *http.Request, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tili"`)
				fail(w, r, crm.Errorf(crm.Unauthenticated, "use the Authorization header as \"Bearer TOKEN\" with an API token"))
				return
			}
			p, err := s.auth.PrincipalForToken(ctx, strings.TrimSpace(token))
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tili", error="invalid_token"`)
				fail(w, r, err)
				return
			}
			ctx = crm.ContextWithPrincipal(ctx, p)
			ctx = context.WithValue(ctx, identityKey{}, Identity{Kind: "token", Key: token})
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if uid := s.mgr.GetInt64(ctx, "user_id"); uid != 0 {
			now := s.opts.Clock.Now()
			seen := time.UnixMilli(s.mgr.GetInt64(ctx, "seen"))
			p, err := s.auth.Principal(ctx, uid, sourceOf(r))
			switch {
			case now.Sub(seen) > s.opts.Idle:
				s.log.Info("session ended: idle", "user_id", uid, "request_id", RequestID(ctx))
				if err := s.mgr.Destroy(ctx); err != nil {
					fail(w, r, err)
					return
				}
			case crm.CodeOf(err) == crm.Unauthenticated:
				s.log.Info("session ended: user gone or disabled", "user_id", uid, "request_id", RequestID(ctx))
				if err := s.mgr.Destroy(ctx); err != nil {
					fail(w, r, err)
					return
				}
			case err != nil:
				fail(w, r, err)
				return
			default:
				if now.Sub(seen) > touchEvery {
					s.mgr.Put(ctx, "seen", now.UnixMilli())
				}
				ctx = crm.ContextWithPrincipal(ctx, p)
				ctx = context.WithValue(ctx, identityKey{}, Identity{Kind: "session", Key: s.mgr.Token(ctx)})
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// SignIn checks the credentials and, when they are right, starts a new session (a new session id, so a
// session planted before sign-in is worth nothing) and remembers the browser as a known device.
func (s *Sessions) SignIn(w http.ResponseWriter, r *http.Request, email, password string) (*crm.User, error) {
	ctx := r.Context()
	device := ""
	if c, err := r.Cookie(s.device); err == nil {
		device = c.Value
	}
	in, err := s.auth.SignIn(ctx, email, password, ClientIP(ctx), device)
	if err != nil {
		return nil, err
	}
	if err := s.mgr.RenewToken(ctx); err != nil {
		return nil, err
	}
	s.mgr.Put(ctx, "user_id", in.User.ID)
	s.mgr.Put(ctx, "seen", s.opts.Clock.Now().UnixMilli()) // an int64: gob needs no registered type for it
	http.SetCookie(w, &http.Cookie{Name: s.device, Value: in.Device, Path: "/", HttpOnly: true, Secure: s.opts.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: 400 * 24 * 3600})
	return in.User, nil
}

// SignOut ends the session on the server and in the browser.
func (s *Sessions) SignOut(ctx context.Context) error {
	p := crm.PrincipalFromContext(ctx)
	if p.UserID != 0 {
		if err := s.auth.SignedOut(ctx, p); err != nil {
			return err
		}
	}
	return s.mgr.Destroy(ctx)
}

// Token returns the id of the current session, for keeping it when a password changes.
func (s *Sessions) Token(ctx context.Context) string { return s.mgr.Token(ctx) }

// Put and Pop keep small values (flash messages) in the session.
func (s *Sessions) Put(ctx context.Context, key string, v any) { s.mgr.Put(ctx, key, v) }

// PopString returns and removes a string value from the session.
func (s *Sessions) PopString(ctx context.Context, key string) string {
	return s.mgr.PopString(ctx, key)
}
