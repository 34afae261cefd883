package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tili/internal/app"
	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/store"
	signinstore "tili/internal/store/signin"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

func signIn(c *testutil.Client, email, password string, header ...string) *testutil.Response {
	return c.Do("POST", "/api/v1/session", map[string]string{"email": email, "password": password}, header...)
}

func sessionCookie(app *testutil.App, c *testutil.Client) string {
	for _, ck := range c.Cookies(app.Server.URL) {
		if ck.Name == "tili_session" {
			return ck.Value
		}
	}
	return ""
}

// withCookie is a client that sends one session cookie, as an attacker replaying it would.
func withCookie(app *testutil.App, value string) *testutil.Client {
	c := app.Browser()
	c.SetCookie(app.Server.URL, &http.Cookie{Name: "tili_session", Value: value, Path: "/"})
	return c
}

func TestSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		team := app.Team("Etelä")
		anna := app.User("anna@example.fi", crm.AccountManager, []int64{team}, 0)
		admin := app.User("admin@example.fi", crm.Admin, nil, 0)

		// session fixation: a session id planted before sign-in is not the one after it, and is worth nothing
		b := withCookie(app, "planted-by-an-attacker")
		expect(t, signIn(b, "anna@example.fi", testutil.Password), http.StatusOK)
		token := sessionCookie(app, b)
		if token == "" || token == "planted-by-an-attacker" {
			t.Fatalf("session id after sign-in: %q", token)
		}
		expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusOK)
		expect(t, withCookie(app, "planted-by-an-attacker").Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
		// signing in again renews the id; the old one ends
		expect(t, signIn(b, "anna@example.fi", testutil.Password), http.StatusOK)
		if again := sessionCookie(app, b); again == token {
			t.Fatal("a second sign-in kept the session id")
		}
		expect(t, withCookie(app, token).Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)

		// plain reads write the session at most once a minute
		before, _, _ := app.Svc.Auth.FindSession(context.Background(), sessionCookie(app, b))
		for i := 0; i < 5; i++ {
			expect(t, b.Do("GET", "/api/v1/accounts", nil), http.StatusOK)
		}
		after, _, _ := app.Svc.Auth.FindSession(context.Background(), sessionCookie(app, b))
		if string(before) != string(after) {
			t.Fatal("plain reads rewrote the session")
		}

		// sign-out ends the session on the server: replaying its cookie does not work
		token = sessionCookie(app, b)
		expect(t, b.Do("DELETE", "/api/v1/session", nil), http.StatusNoContent)
		expect(t, withCookie(app, token).Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)

		// disabling a user ends every session and token of theirs at once
		b = app.Browser()
		expect(t, signIn(b, "anna@example.fi", testutil.Password), http.StatusOK)
		annaToken := app.Token(anna, "read")
		expect(t, app.As(annaToken).Do("GET", "/api/v1/me", nil), http.StatusOK)
		adminClient := app.As(app.Token(admin, "write"))
		expect(t, adminClient.Do("POST", "/api/v1/users/"+itoa(anna.ID)+"/disable", nil), http.StatusOK)
		expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
		expect(t, app.As(annaToken).Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
		if n, _ := signinstore.CountSessions(context.Background(), db.Reader, anna.ID); n != 0 {
			t.Fatalf("%d sessions left after disabling", n)
		}
		// and the disabled user cannot sign in, with the same answer as a wrong password
		r := signIn(app.Browser(), "anna@example.fi", testutil.Password)
		expect(t, r, http.StatusUnauthorized)

		// a revoked token is refused from the next request on
		r = adminClient.Do("POST", "/api/v1/tokens", map[string]string{"scope": "read", "name": "kertakäyttö"})
		expect(t, r, http.StatusCreated)
		var made struct {
			Token string `json:"token"`
			Info  struct {
				ID int64 `json:"id"`
			} `json:"info"`
		}
		r.JSON(t, &made)
		expect(t, app.As(made.Token).Do("GET", "/api/v1/me", nil), http.StatusOK)
		expect(t, adminClient.Do("DELETE", "/api/v1/tokens/"+itoa(made.Info.ID), nil), http.StatusNoContent)
		expect(t, app.As(made.Token).Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)

		// a read-only token reads but changes nothing
		ro := app.As(app.Token(admin, "read"))
		expect(t, ro.Do("GET", "/api/v1/accounts", nil), http.StatusOK)
		expect(t, ro.Do("POST", "/api/v1/accounts", map[string]string{"name": "Ei Oy"}), http.StatusForbidden)
		// the audit log has the sign-ins and the disabling
		r = adminClient.Do("GET", "/api/v1/audit?limit=1000", nil)
		for _, ev := range []string{"sign_in.ok", "sign_in.failed", "user.disabled", "token.created", "sign_out"} {
			if !strings.Contains(string(r.Body), `"event":"`+ev+`"`) {
				t.Errorf("the audit log lacks %s", ev)
			}
		}
		if strings.Contains(string(r.Body), testutil.Password) {
			t.Fatal("the audit log holds a password")
		}
	})
}

func TestSignInGivesNothingAway(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		app.User("anna@example.fi", crm.AccountManager, nil, 0)
		wrong := signIn(app.Browser(), "anna@example.fi", "not the right password at all")
		unknown := signIn(app.Browser(), "nobody@example.fi", "not the right password at all")
		var p1, p2 problem
		wrong.JSON(t, &p1)
		unknown.JSON(t, &p2)
		if wrong.StatusCode != http.StatusUnauthorized || unknown.StatusCode != wrong.StatusCode || p1.Detail != p2.Detail || p1.Code != p2.Code {
			t.Fatalf("wrong password %d %q, unknown user %d %q", wrong.StatusCode, p1.Detail, unknown.StatusCode, p2.Detail)
		}
	})
}

func TestSignInThrottling(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		app.User("anna@example.fi", crm.AccountManager, nil, 0)
		ctx := context.Background()
		// a growing wait after five failures
		c := app.Browser()
		for i := 0; i < 6; i++ {
			expect(t, signIn(c, "anna@example.fi", "wrong password number x"), http.StatusUnauthorized)
		}
		r := signIn(c, "anna@example.fi", testutil.Password)
		expect(t, r, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		must(t, db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			return signinstore.ClearAuthFailures(ctx, tx, "account", "anna@example.fi")
		}))
		must(t, db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			return signinstore.ClearAuthFailures(ctx, tx, "ip", "127.0.0.1")
		}))

		// the browser Anna signed in with before is known: the per-account cap does not lock her out
		mine := app.Browser()
		expect(t, signIn(mine, "anna@example.fi", testutil.Password), http.StatusOK)
		for i := 0; i < 100; i++ {
			must(t, db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				return signinstore.AddAuthFailure(ctx, tx, "account", "anna@example.fi")
			}))
		}
		expect(t, signIn(app.Browser(), "anna@example.fi", testutil.Password), http.StatusTooManyRequests)
		expect(t, signIn(mine, "anna@example.fi", testutil.Password), http.StatusOK)

		// the per-address cap holds for everyone, known browser or not, and X-Forwarded-For from an
		// untrusted peer does not move the attempt to another address
		for i := 0; i < 100; i++ {
			must(t, db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				return signinstore.AddAuthFailure(ctx, tx, "ip", "127.0.0.1")
			}))
		}
		expect(t, signIn(mine, "anna@example.fi", testutil.Password), http.StatusTooManyRequests)
		expect(t, signIn(app.Browser(), "anna@example.fi", testutil.Password, "X-Forwarded-For", "203.0.113.9"), http.StatusTooManyRequests)
	})
}

func TestTrustedProxy(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	app := testutil.NewTestApp(t, db, testutil.Options{Handler: app.HandlerOptions{TrustedProxies: "127.0.0.1"}})
	app.User("anna@example.fi", crm.AccountManager, nil, 0)
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		must(t, db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			return signinstore.AddAuthFailure(ctx, tx, "ip", "203.0.113.9")
		}))
	}
	// behind a trusted proxy the forwarded address is the client's
	expect(t, signIn(app.Browser(), "anna@example.fi", testutil.Password, "X-Forwarded-For", "203.0.113.9"), http.StatusTooManyRequests)
	expect(t, signIn(app.Browser(), "anna@example.fi", testutil.Password, "X-Forwarded-For", "198.51.100.7"), http.StatusOK)
}

// A session unused for the idle time ends; one used in time lives on. The clock is a fake one, so the
// test waits for nothing.
func TestIdleSessionEnds(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	fake := clock.NewFake(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	app := testutil.NewTestApp(t, db, testutil.Options{Clock: fake, Handler: app.HandlerOptions{SessionIdle: 30 * time.Minute}})
	app.User("anna@example.fi", crm.AccountManager, nil, 0)
	b := app.Browser()
	expect(t, signIn(b, "anna@example.fi", testutil.Password), http.StatusOK)
	expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusOK)
	fake.Advance(29 * time.Minute)
	expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusOK) // used in time: the idle time starts again
	fake.Advance(29 * time.Minute)
	expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusOK)
	fake.Advance(31 * time.Minute)
	expect(t, b.Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	app := testutil.NewTestApp(t, db, testutil.Options{RateLimit: httpx.RateLimit{Rate: 0.5, Burst: 3}})
	u := app.User("anna@example.fi", crm.AccountManager, nil, 0)
	c := app.As(app.Token(u, "read"))
	for i := 0; i < 3; i++ {
		r := c.Do("GET", "/api/v1/me", nil)
		expect(t, r, http.StatusOK)
		if r.Header.Get("RateLimit-Limit") != "3" || r.Header.Get("RateLimit-Remaining") != itoa(int64(2-i)) {
			t.Fatalf("request %d: RateLimit-Limit %q, Remaining %q", i+1, r.Header.Get("RateLimit-Limit"), r.Header.Get("RateLimit-Remaining"))
		}
	}
	r := c.Do("GET", "/api/v1/me", nil)
	expect(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" || r.Header.Get("RateLimit-Remaining") != "0" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("429: %v %s", r.Header, r.Body)
	}
	// another token has its own allowance
	expect(t, app.As(app.Token(u, "read")).Do("GET", "/api/v1/me", nil), http.StatusOK)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
