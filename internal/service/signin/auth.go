package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"tili/internal/auth"
	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
	signinstore "tili/internal/store/signin"
)

// Service is signing in and what proves who someone is: passwords, sessions, API tokens and one-time
// links.
type Service struct {
	core *service.Core
	// dummyHash is verified against when the user is unknown, so an unknown address takes as long to
	// refuse as a wrong password; made on first use.
	dummyHash func() string
}

// New builds the use cases of signing in on core.
func New(core *service.Core) *Service {
	return &Service{core: core, dummyHash: sync.OnceValue(func() string {
		h, err := auth.HashPassword("no user has this password", auth.DefaultParams)
		if err != nil {
			panic(err) // only a broken random source fails here
		}
		return h
	})}
}

// LinkValidity is how long a one-time link works.
const LinkValidity = 24 * time.Hour

// Throttled is the refusal of a sign-in attempt that came too soon or too often: wait RetryAfter.
type Throttled struct {
	RetryAfter time.Duration
}

func (t *Throttled) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %d seconds", int(t.RetryAfter.Seconds()+0.999))
}

// Unwrap lets crm.CodeOf see a TooManyRequests error.
func (t *Throttled) Unwrap() error { return crm.Errorf(crm.TooManyRequests, "%s", t.Error()) }

var errWrongCredentials = crm.Errorf(crm.Unauthenticated, "wrong e-mail address or password")

// SignedIn is the result of a successful sign-in.
type SignedIn struct {
	User *crm.User
	// Device is the browser's known-device token to keep in a long-lived cookie: it exempts this
	// browser from the per-account throttle the next time.
	Device string
}

// SignIn checks an e-mail address and password from a client address. device is the browser's
// known-device token, if it has one. An unknown address, a disabled user and a wrong password all get
// the same answer. At most auth.MaxFailuresPerHour failures per account and per client address reach
// the password check in an hour, with a growing wait after the first few; a browser that signed in to
// the account before is exempt from the per-account limit, so an attacker cannot lock the real user out.
func (s *Service) SignIn(ctx context.Context, email, password, ip, device string) (SignedIn, error) {
	now := s.core.Clock.Now().UTC()
	key := crm.EmailKey(email)
	system := crm.Principal{Source: crm.SourceUI}
	ipFailures, err := signinstore.AuthFailures(ctx, s.core.DB.Reader, failuresByIP, ip)
	if err != nil {
		return SignedIn{}, err
	}
	if v := auth.Decide(ipFailures.Count, ipFailures.Last, now, ipFailures.Oldest); !v.Allowed {
		return SignedIn{}, s.throttled(ctx, system, key, failuresByIP, v.RetryAfter)
	}
	user, err := s.core.DB.UserByEmail(ctx, key)
	if err != nil && crm.CodeOf(err) != crm.NotFound {
		return SignedIn{}, err
	}
	known := false
	if user != nil && device != "" {
		owner, err := signinstore.KnownDevice(ctx, s.core.DB.Reader, auth.HashToken(device))
		if err != nil {
			return SignedIn{}, err
		}
		known = owner == user.ID
	}
	if !known {
		accFailures, err := signinstore.AuthFailures(ctx, s.core.DB.Reader, failuresByAccount, key)
		if err != nil {
			return SignedIn{}, err
		}
		if v := auth.Decide(accFailures.Count, accFailures.Last, now, accFailures.Oldest); !v.Allowed {
			return SignedIn{}, s.throttled(ctx, system, key, failuresByAccount, v.RetryAfter)
		}
	}
	dummy := s.dummyHash()
	hash := dummy
	if user != nil && user.DisabledAt == nil {
		if h, err := signinstore.PasswordHash(ctx, s.core.DB.Reader, user.ID); err != nil {
			return SignedIn{}, err
		} else if h != "" {
			hash = h
		}
	}
	ok, rehash, err := auth.VerifyPassword(hash, password)
	if err != nil {
		return SignedIn{}, fmt.Errorf("service: password of %s: %w", key, err)
	}
	if !ok || hash == dummy {
		err := s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			if err := signinstore.AddAuthFailure(ctx, tx, failuresByIP, ip, failuresByAccount, key); err != nil {
				return err
			}
			return tx.Audit(ctx, store.AuditEvent{Event: "sign_in.failed", Source: crm.SourceUI, IP: ip, Detail: "email=" + key})
		})
		if err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, errWrongCredentials
	}
	newHash := ""
	if rehash {
		if h, err := auth.HashPassword(password, auth.DefaultParams); err == nil {
			newHash = h
		}
	}
	out := SignedIn{User: user, Device: device}
	if !known {
		if out.Device, err = auth.NewToken("dev"); err != nil {
			return SignedIn{}, err
		}
	}
	err = s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := signinstore.ClearAuthFailures(ctx, tx, failuresByAccount, key); err != nil {
			return err
		}
		if newHash != "" {
			if err := signinstore.RehashPassword(ctx, tx, user.ID, newHash); err != nil {
				return err
			}
		}
		if err := signinstore.RememberDevice(ctx, tx, auth.HashToken(out.Device), user.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEvent{Event: "sign_in.ok", ActorID: user.ID, Source: crm.SourceUI, IP: ip})
	})
	if err != nil {
		return SignedIn{}, err
	}
	return out, nil
}

// The kinds of sign-in failure counters: per account (e-mail address) and per client address.
const (
	failuresByAccount = "account"
	failuresByIP      = "ip"
)

func (s *Service) throttled(ctx context.Context, p crm.Principal, key, by string, wait time.Duration) error {
	if err := s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.Audit(ctx, store.AuditEvent{Event: "sign_in.throttled", Source: p.Source, IP: service.ClientIP(ctx),
			Detail: "email=" + key + " by=" + by})
	}); err != nil {
		return err
	}
	return &Throttled{RetryAfter: wait}
}

// Principal returns the principal of a signed-in user, refusing one who no longer exists or is disabled.
func (s *Service) Principal(ctx context.Context, userID int64, source string) (crm.Principal, error) {
	u, err := s.core.User(ctx, userID)
	if crm.CodeOf(err) == crm.NotFound {
		return crm.Principal{}, crm.Errorf(crm.Unauthenticated, "your user no longer exists; sign in again")
	}
	if err != nil {
		return crm.Principal{}, err
	}
	return principalOf(u, source)
}

// principalOf returns the principal of u acting through source, refusing a disabled user.
func principalOf(u *crm.User, source string) (crm.Principal, error) {
	if u.DisabledAt != nil {
		return crm.Principal{}, crm.Errorf(crm.Unauthenticated, "your user has been disabled")
	}
	return crm.Principal{UserID: u.ID, Role: u.Role, Source: source}, nil
}

// User returns the signed-in user, for their own page: as the request has already read them, if it has.
func (s *Service) User(ctx context.Context, p crm.Principal) (*crm.User, error) {
	if p.UserID == 0 {
		return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	return s.core.User(ctx, p.UserID)
}

// The session store: the HTTP layer keeps sessions through these.

// FindSession returns the data of a live session.
func (s *Service) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	return signinstore.FindSession(ctx, s.core.DB.Reader, token)
}

// CommitSession saves a session.
func (s *Service) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time, userID int64) error {
	return s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return signinstore.CommitSession(ctx, tx, token, data, expiry, userID)
	})
}

// DeleteSession ends a session.
func (s *Service) DeleteSession(ctx context.Context, token string) error {
	return s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return signinstore.DeleteSession(ctx, tx, token) })
}

// Tidy removes expired sessions and old failure counters.
func (s *Service) Tidy(ctx context.Context) error {
	return s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return signinstore.DeleteExpiredSessions(ctx, tx) })
}

// SignedOut records a sign-out.
func (s *Service) SignedOut(ctx context.Context, p crm.Principal) error {
	return s.core.AuditAlone(ctx, p, "sign_out", "user", p.UserID, "")
}

// PrincipalForToken returns who an API token acts for: its user, read-only for a read token. The
// token's last use is noted at most once a minute.
func (s *Service) PrincipalForToken(ctx context.Context, token string) (crm.Principal, error) {
	t, u, err := signinstore.APITokenUser(ctx, s.core.DB.Reader, auth.HashToken(token))
	if crm.CodeOf(err) == crm.NotFound {
		return crm.Principal{}, crm.Errorf(crm.Unauthenticated, "the API token is not valid: it is unknown or revoked")
	}
	if err != nil {
		return crm.Principal{}, err
	}
	s.core.Remember(ctx, u)
	p, err := principalOf(u, crm.SourceAPI)
	if err != nil {
		return p, err
	}
	p.ReadOnly = t.Scope != "write"
	if t.LastUsedAt != nil && clock.Since(s.core.Clock, *t.LastUsedAt) < time.Minute {
		return p, nil // a read request writes at most once a minute per token
	}
	return p, s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return signinstore.TouchAPIToken(ctx, tx, t) })
}

// NewToken is an API token just made: the token itself is shown this once.
type NewToken struct {
	Token string                `json:"token"`
	Info  *signinstore.APIToken `json:"info"`
}

// CreateToken makes an API token for a user: administrators for anyone, others for themselves.
// A write token also reads.
func (s *Service) CreateToken(ctx context.Context, p crm.Principal, userID int64, scope, name string) (NewToken, error) {
	if p.ReadOnly {
		return NewToken{}, s.core.Refused(ctx, p, "user", userID, crm.Errorf(crm.Forbidden, "a read-only token cannot make tokens"))
	}
	if p.Role != crm.Admin && p.UserID != userID {
		return NewToken{}, s.core.Refused(ctx, p, "user", userID, crm.Errorf(crm.Forbidden, "only an administrator may make tokens for other users"))
	}
	if p.UserID == 0 && p.Role != crm.Admin {
		return NewToken{}, crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	switch scope {
	case "":
		scope = "read"
	case "read", "write":
	default:
		return NewToken{}, crm.FieldError("scope", "%q is not a token scope; use read or write", scope)
	}
	u, err := s.core.DB.User(ctx, userID)
	if err != nil {
		return NewToken{}, err
	}
	if u.DisabledAt != nil {
		return NewToken{}, crm.FieldError("user", "%s is disabled", u.Email)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = scope + " token"
	}
	token, err := auth.NewToken("tili")
	if err != nil {
		return NewToken{}, err
	}
	t := &signinstore.APIToken{UserID: userID, Name: name, Scope: scope, Prefix: auth.TokenPrefix(token)}
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := signinstore.CreateAPIToken(ctx, tx, service.Actor(p), t, auth.HashToken(token)); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "token.created", "user", userID, fmt.Sprintf("token=%d scope=%s", t.ID, scope))
	})
	if err != nil {
		return NewToken{}, err
	}
	return NewToken{Token: token, Info: t}, nil
}

// Tokens lists API tokens: an administrator's of anyone (userID 0: all), others their own.
func (s *Service) Tokens(ctx context.Context, p crm.Principal, userID int64) ([]*signinstore.APIToken, error) {
	if p.Role != crm.Admin {
		if p.UserID == 0 {
			return nil, crm.Errorf(crm.Unauthenticated, "sign in first")
		}
		userID = p.UserID
	}
	return signinstore.APITokens(ctx, s.core.DB.Reader, userID)
}

// RevokeToken ends an API token: administrators any, others their own.
func (s *Service) RevokeToken(ctx context.Context, p crm.Principal, id int64) error {
	t, err := signinstore.APITokenByID(ctx, s.core.DB.Reader, id)
	if err != nil {
		return err
	}
	if p.Role != crm.Admin && t.UserID != p.UserID {
		return crm.Errorf(crm.NotFound, "there is no API token #%d", id)
	}
	if p.ReadOnly {
		return s.core.Refused(ctx, p, "user", t.UserID, crm.Errorf(crm.Forbidden, "a read-only token cannot revoke tokens"))
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := signinstore.RevokeAPIToken(ctx, tx, id); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "token.revoked", "user", t.UserID, fmt.Sprintf("token=%d", id))
	})
}

// SetupLink returns a one-time token for creating the first administrator, when there is no user yet.
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	n, err := s.core.DB.CountUsers(ctx)
	if err != nil {
		return "", err
	}
	if n > 0 {
		return "", crm.Errorf(crm.Conflict, "tili already has users; an administrator adds more")
	}
	var token string
	err = s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		token, err = s.newLink(ctx, tx, "setup", 0)
		return err
	})
	return token, err
}

// PasswordLink returns a one-time token with which a user sets a new password: for new users and
// resets. Administrators (and the command line) make them.
func (s *Service) PasswordLink(ctx context.Context, p crm.Principal, userID int64) (string, error) {
	if err := s.core.AdminChange(ctx, p, "make password links", "user", userID); err != nil {
		return "", err
	}
	u, err := s.core.DB.User(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.DisabledAt != nil {
		return "", crm.Errorf(crm.Conflict, "%s is disabled; enable the user first", u.Email)
	}
	var token string
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if token, err = s.newLink(ctx, tx, "password", userID); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "password.link", "user", userID, "")
	})
	return token, err
}

// newLink makes a one-time link for purpose (and the user, 0 for none) in tx, and returns its token.
func (s *Service) newLink(ctx context.Context, tx *store.Tx, purpose string, userID int64) (string, error) {
	token, err := auth.NewToken("set")
	if err != nil {
		return "", err
	}
	l := &signinstore.OneTimeLink{Purpose: purpose, UserID: userID, ExpiresAt: tx.Now().Add(LinkValidity)}
	if err := signinstore.CreateOneTimeLink(ctx, tx, l, auth.HashToken(token)); err != nil {
		return "", err
	}
	return token, nil
}

// Link tells what a one-time link is for: "setup" (no user yet) or "password" (with the user's e-mail).
func (s *Service) Link(ctx context.Context, token string) (purpose, email string, err error) {
	l, err := signinstore.OneTimeLinkByHash(ctx, s.core.DB.Reader, auth.HashToken(token))
	if err != nil {
		return "", "", err
	}
	if l.UserID != 0 {
		u, err := s.core.DB.User(ctx, l.UserID)
		if err != nil {
			return "", "", err
		}
		email = u.Email
	}
	return l.Purpose, email, nil
}

// UseSetupLink creates the first administrator with the one-time set-up token.
func (s *Service) UseSetupLink(ctx context.Context, token string, u *crm.User, password string) error {
	l, err := signinstore.OneTimeLinkByHash(ctx, s.core.DB.Reader, auth.HashToken(token))
	if err != nil {
		return err
	}
	if l.Purpose != "setup" {
		return crm.Errorf(crm.NotFound, "this link is not a set-up link")
	}
	u.Role = crm.Admin
	u.TeamIDs, u.ManagerID = nil, 0
	if err := u.Validate(); err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(password, u.Email, u.Name); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	return s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if n, err := tx.CountUsers(ctx); err != nil || n > 0 {
			if err == nil {
				err = crm.Errorf(crm.Conflict, "tili already has users; sign in instead")
			}
			return err
		}
		if err := useLink(ctx, tx, l.ID); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, store.Actor{Source: crm.SourceUI}, u); err != nil {
			return err
		}
		if err := signinstore.SetPasswordHash(ctx, tx, store.Actor{UserID: u.ID, Source: crm.SourceUI}, u.ID, hash, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEvent{Event: "user.setup", ActorID: u.ID, Source: crm.SourceUI, Entity: "user", EntityID: u.ID, IP: service.ClientIP(ctx)})
	})
}

// useLink marks one-time link id used in tx, refusing a link someone used first.
func useLink(ctx context.Context, tx *store.Tx, id int64) error {
	ok, err := signinstore.UseOneTimeLink(ctx, tx, id)
	if err == nil && !ok {
		err = crm.Errorf(crm.NotFound, "this link was just used")
	}
	return err
}

// UsePasswordLink sets a user's password with a one-time token, ending their other sessions.
func (s *Service) UsePasswordLink(ctx context.Context, token, password string) (*crm.User, error) {
	l, err := signinstore.OneTimeLinkByHash(ctx, s.core.DB.Reader, auth.HashToken(token))
	if err != nil {
		return nil, err
	}
	if l.Purpose != "password" {
		return nil, crm.Errorf(crm.NotFound, "this link is not a password link")
	}
	u, err := s.core.DB.User(ctx, l.UserID)
	if err != nil {
		return nil, err
	}
	if err := auth.CheckPasswordPolicy(password, u.Email, u.Name); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return nil, err
	}
	return u, s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := useLink(ctx, tx, l.ID); err != nil {
			return err
		}
		if err := signinstore.SetPasswordHash(ctx, tx, store.Actor{UserID: u.ID, Source: crm.SourceUI}, u.ID, hash, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEvent{Event: "password.set", ActorID: u.ID, Source: crm.SourceUI, Entity: "user", EntityID: u.ID, IP: service.ClientIP(ctx)})
	})
}

// ChangePassword changes the signed-in user's password, given the current one; every other session of
// theirs ends (keep is the session the change is made in).
func (s *Service) ChangePassword(ctx context.Context, p crm.Principal, current, next, keep string) error {
	if p.UserID == 0 {
		return crm.Errorf(crm.Unauthenticated, "sign in first")
	}
	u, err := s.core.DB.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	// a stolen session must not be a way to guess the password: the same per-account limit as signing in
	key := crm.EmailKey(u.Email)
	failures, err := signinstore.AuthFailures(ctx, s.core.DB.Reader, failuresByAccount, key)
	if err != nil {
		return err
	}
	if v := auth.Decide(failures.Count, failures.Last, s.core.Clock.Now().UTC(), failures.Oldest); !v.Allowed {
		return s.throttled(ctx, p, key, failuresByAccount, v.RetryAfter)
	}
	hash, err := signinstore.PasswordHash(ctx, s.core.DB.Reader, u.ID)
	if err != nil {
		return err
	}
	if ok, _, err := auth.VerifyPassword(hash, current); err != nil || !ok {
		err := s.core.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			if err := signinstore.AddAuthFailure(ctx, tx, failuresByAccount, key); err != nil {
				return err
			}
			return tx.Audit(ctx, store.AuditEvent{Event: "password.change_failed", ActorID: u.ID, Source: p.Source, IP: service.ClientIP(ctx)})
		})
		if err != nil {
			return err
		}
		return crm.FieldError("current_password", "the current password is not right")
	}
	newHash, err := hashFor(u, next)
	if err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := signinstore.ClearAuthFailures(ctx, tx, failuresByAccount, key); err != nil {
			return err
		}
		return s.setPassword(ctx, tx, p, u, newHash, keep)
	})
}

// SetPassword sets a user's password directly: administrators and the command line.
func (s *Service) SetPassword(ctx context.Context, p crm.Principal, userID int64, password string) error {
	if err := s.core.AdminChange(ctx, p, "set other users' passwords", "user", userID); err != nil {
		return err
	}
	u, err := s.core.DB.User(ctx, userID)
	if err != nil {
		return err
	}
	hash, err := hashFor(u, password)
	if err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error { return s.setPassword(ctx, tx, p, u, hash, "") })
}

// hashFor checks a new password of u against the policy and hashes it: slow on purpose, so done before
// any transaction begins.
func hashFor(u *crm.User, password string) (string, error) {
	if err := auth.CheckPasswordPolicy(password, u.Email, u.Name); err != nil {
		return "", err
	}
	return auth.HashPassword(password, auth.DefaultParams)
}

// setPassword stores u's new password hash in tx, ending their sessions but keep.
func (s *Service) setPassword(ctx context.Context, tx *store.Tx, p crm.Principal, u *crm.User, hash, keep string) error {
	if err := signinstore.SetPasswordHash(ctx, tx, service.Actor(p), u.ID, hash, keep); err != nil {
		return err
	}
	return s.core.Audit(ctx, tx, p, "password.set", "user", u.ID, "")
}

// CheckPassword tells whether a password would be accepted for a user with this e-mail and name.
func (s *Service) CheckPassword(password, email, name string) error {
	return auth.CheckPasswordPolicy(password, email, name)
}

// HasPassword tells whether a user has a password yet; administrators and the command line ask.
func (s *Service) HasPassword(ctx context.Context, p crm.Principal, userID int64) (bool, error) {
	if err := service.RequireAdmin(p, "see whether users have passwords"); err != nil {
		return false, err
	}
	h, err := signinstore.PasswordHash(ctx, s.core.DB.Reader, userID)
	return h != "", err
}

// IsThrottled tells a Throttled error and its wait.
func IsThrottled(err error) (time.Duration, bool) {
	var t *Throttled
	if errors.As(err, &t) {
		return t.RetryAfter, true
	}
	return 0, false
}

// EndSignIns ends every session, API token, known browser and unused one-time link of a user, in tx:
// what disabling a user does.
func EndSignIns(ctx context.Context, tx *store.Tx, userID int64) error {
	return signinstore.EndSignIns(ctx, tx, userID)
}
