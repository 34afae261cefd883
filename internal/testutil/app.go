// Package testutil wires a whole tili on a test database: the use cases and the real HTTP handler stack
// on a test server, with helpers to make users, tokens and requests.
package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"tili/internal/app"
	"tili/internal/clock"
	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/services"
	"tili/internal/store"
)

// App is a running tili for one test.
type App struct {
	DB     *store.DB
	Svc    *services.Services
	Server *httptest.Server
	t      testing.TB
	log    atomic.Pointer[store.QueryLog]
}

// Options tunes the test app; the zero value is the defaults with no API rate limit.
type Options struct {
	RateLimit httpx.RateLimit
	Handler   app.HandlerOptions
	// Clock, when set, is the clock of the use cases and the HTTP side (sessions, rate limits, pages);
	// the database keeps the clock it was opened with.
	Clock clock.Clock
	// PhoneRegion is the region phone numbers without a country code are read in; empty means Finland.
	PhoneRegion string
}

// NewTestApp starts tili on db behind a test server, stopped when the test ends.
func NewTestApp(t testing.TB, db *store.DB, o ...Options) *App {
	t.Helper()
	var opts Options
	if len(o) > 0 {
		opts = o[0]
	}
	tili := app.New(db, app.Options{Clock: opts.Clock, PhoneRegion: opts.PhoneRegion})
	svc := tili.Services
	ho := opts.Handler
	ho.RateLimit = opts.RateLimit
	h, err := tili.Handler(ho)
	if err != nil {
		t.Fatal(err)
	}
	a := &App{DB: db, Svc: svc, t: t}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := a.log.Load(); l != nil {
			r = r.WithContext(l.Attach(r.Context()))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(a.Server.Close)
	return a
}

// Queries runs fn and returns the statements that the requests fn made sent to the database.
func (a *App) Queries(fn func()) *store.QueryLog {
	l := &store.QueryLog{}
	a.log.Store(l)
	defer a.log.Store(nil)
	fn()
	return l
}

// Password is the password the helpers give users.
const Password = "correct horse battery staple"

// User adds a user with a role, teams and a manager, and the password Password.
func (a *App) User(email string, role crm.Role, teams []int64, manager int64) *crm.User {
	a.t.Helper()
	ctx := context.Background()
	system := crm.System(crm.SourceCLI)
	u := &crm.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, TeamIDs: teams, ManagerID: manager}
	if err := a.Svc.Users.Create(ctx, system, u); err != nil {
		a.t.Fatal(err)
	}
	if err := a.Svc.Auth.SetPassword(ctx, system, u.ID, Password); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// Team adds a team.
func (a *App) Team(name string) int64 {
	a.t.Helper()
	tm := &crm.Team{Name: name}
	if err := a.Svc.Users.CreateTeam(context.Background(), crm.System(crm.SourceCLI), tm); err != nil {
		a.t.Fatal(err)
	}
	return tm.ID
}

// Token makes an API token for u with scope read or write.
func (a *App) Token(u *crm.User, scope string) string {
	a.t.Helper()
	nt, err := a.Svc.Auth.CreateToken(context.Background(), crm.System(crm.SourceCLI), u.ID, scope, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	return nt.Token
}

// Client is an HTTP client of the app: with a bearer token, or with a cookie jar for a browser session.
type Client struct {
	app   *App
	token string
	http  *http.Client
}

// As returns a client that sends token as its bearer token ("" for none).
func (a *App) As(token string) *Client {
	return &Client{app: a, token: token, http: a.Server.Client()}
}

// Browser returns a client with a cookie jar, as a browser keeps its session.
func (a *App) Browser() *Client {
	jar, _ := cookiejar.New(nil)
	hc := *a.Server.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{app: a, http: &hc}
}

// SignIn returns a browser signed in as u through the sign-in form, with the password Password.
func (a *App) SignIn(u *crm.User) *Client {
	a.t.Helper()
	c := a.Browser()
	form := url.Values{"email": {u.Email}, "password": {Password}, "next": {"/"}}
	r := c.Do("POST", "/login", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign-in of %s: %d %s", u.Email, r.StatusCode, r.Body)
	}
	return c
}

// Cookies returns the cookies the client keeps for url.
func (c *Client) Cookies(rawURL string) []*http.Cookie {
	u, _ := url.Parse(rawURL)
	if c.http.Jar == nil {
		return nil
	}
	return c.http.Jar.Cookies(u)
}

// SetCookie puts a cookie into the client's jar, as if a site had set it.
func (c *Client) SetCookie(rawURL string, ck *http.Cookie) {
	u, _ := url.Parse(rawURL)
	c.http.Jar.SetCookies(u, []*http.Cookie{ck})
}

// Response is an answer with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: the body is not JSON (%v): %s", r.Request.Method, r.Request.URL.Path, err, r.Body)
	}
}

// Do sends a request; body, when not nil, is sent as JSON (or as is when it is a []byte or string).
// Header pairs follow as "Name", "value".
func (c *Client) Do(method, path string, body any, header ...string) *Response {
	c.app.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.app.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.app.Server.URL+path, rd)
	if err != nil {
		c.app.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	return &Response{Response: resp, Body: raw}
}
