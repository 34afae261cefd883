package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	signinsvc "tili/internal/service/signin"

	"tili/internal/app"
	"tili/internal/crm"
	"tili/internal/demo"
	"tili/internal/httpx"
)

type serveCmd struct {
	Addr           string        `env:"TILI_ADDR" default:"127.0.0.1:8080" placeholder:"HOST:PORT" help:"Address to listen on."`
	Demo           bool          `help:"On an empty database, first fill it with demo data (as 'tili demo')."`
	DemoSize       demoSize      `embed:"" prefix:"demo-"`
	TrustedProxies string        `name:"trusted-proxies" env:"TILI_TRUSTED_PROXIES" placeholder:"CIDRS" help:"Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For tells the client's address; without them it is ignored."`
	SessionIdle    time.Duration `name:"session-idle" env:"TILI_SESSION_IDLE" default:"30m" help:"A browser session nobody used for this long ends."`
	SessionMax     time.Duration `name:"session-max" env:"TILI_SESSION_MAX" default:"12h" help:"Any browser session ends this long after sign-in."`
	APIRate        float64       `name:"api-rate" env:"TILI_API_RATE" default:"20" help:"API requests a second one token or session may make on average (per instance; 0 turns the limit off)."`
	APIBurst       int           `name:"api-burst" env:"TILI_API_BURST" default:"200" help:"API requests one token or session may make at once."`
}

func (c *serveCmd) Run(ctx context.Context, a *env) error {
	if err := a.open(ctx); err != nil {
		return err
	}
	if c.Demo {
		empty, err := a.svc.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if empty {
			sum, err := demo.Fill(ctx, a.svc, c.DemoSize.options())
			if err != nil {
				return err
			}
			a.log.Info("demo data added", "companies", sum.Accounts, "people", sum.Contacts, "users", sum.Users)
		} else {
			a.log.Info("the database already holds data: no demo data added")
		}
	}
	ln, err := httpx.Listen(c.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if a.cfg.BaseURL == "" {
		a.cfg.BaseURL = "http://" + localAddr(ln.Addr().String())
	}
	h, err := a.tili.Handler(app.HandlerOptions{BaseURL: a.cfg.BaseURL, TrustedProxies: c.TrustedProxies,
		SessionIdle: c.SessionIdle, SessionMax: c.SessionMax, RateLimit: httpx.RateLimit{Rate: c.APIRate, Burst: c.APIBurst}, Log: a.log})
	if err != nil {
		return err
	}
	if err := a.announceLinks(ctx, c.Demo); err != nil {
		return err
	}
	go a.tidy(ctx)
	a.log.Info("tili is listening", "addr", ln.Addr().String(), "url", a.cfg.BaseURL, "database", a.db.Where(), "backend", a.db.Backend())
	return httpx.Serve(ctx, ln, h, a.log)
}

// announceLinks prints the one-time link a newcomer needs: to create the first administrator when
// there is no user, or to set the demo administrator's password when the demo data has no password yet.
func (a *env) announceLinks(ctx context.Context, demoRun bool) error {
	n, err := a.svc.UserCount(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		token, err := a.svc.Auth.SetupLink(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "\nNo users yet. Create the first administrator at (valid %s, once):\n  %s/setup?token=%s\n\n",
			signinsvc.LinkValidity, a.cfg.BaseURL, token)
		return nil
	}
	if !demoRun {
		return nil
	}
	system := crm.System(crm.SourceCLI)
	admin, err := a.svc.Users.ByEmail(ctx, system, demo.AdminEmail)
	if err != nil || admin.DisabledAt != nil {
		return nil // not the demo data
	}
	if has, err := a.svc.Auth.HasPassword(ctx, system, admin.ID); err != nil || has {
		return err
	}
	token, err := a.svc.Auth.PasswordLink(ctx, system, admin.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "\nDemo data is in. Choose a password for %s at (valid %s, once):\n  %s/set-password?token=%s\n\n",
		demo.AdminEmail, signinsvc.LinkValidity, a.cfg.BaseURL, token)
	return nil
}

// tidy removes expired sessions and old sign-in failures every ten minutes while the server runs, and
// gathers the query planner's statistics at start and every six hours.
func (a *env) tidy(ctx context.Context) {
	analyze := func() {
		if err := a.db.Analyze(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("gather the planner's statistics", "err", err)
		}
	}
	analyze()
	t := a.clock.NewTicker(10 * time.Minute)
	defer t.Stop()
	for tick := 1; ; tick++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C():
			if err := a.svc.Auth.Tidy(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("tidy sessions", "err", err)
			}
			if tick%36 == 0 { // every six hours
				analyze()
			}
		}
	}
}

type demoCmd struct {
	demoSize
}

// demoSize is how much demo data to make: the default is a sample company's customer base; larger
// sizes are for trying tili at scale.
type demoSize struct {
	Companies int `help:"Companies outside the groups (default 280)." placeholder:"N"`
	People    int `help:"People (default 1200); they are written as an import writes them." placeholder:"N"`
}

func (d demoSize) options() demo.Options {
	return demo.Options{Accounts: d.Companies, Contacts: d.People}
}

func (c *demoCmd) Run(ctx context.Context, a *env) error {
	if err := a.open(ctx); err != nil {
		return err
	}
	empty, err := a.svc.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s already holds users, companies or people; demo data goes only into an empty database (use a new --data directory)", a.db.Where())
	}
	sum, err := demo.Fill(ctx, a.svc, c.options())
	if err != nil {
		return err
	}
	return a.emit(sum, func(w io.Writer) {
		fmt.Fprintf(w, "added %d users in %d teams, %d companies and %d people to %s\n", sum.Users, sum.Teams, sum.Accounts, sum.Contacts, a.db.Where())
		fmt.Fprintf(w, "the administrator is %s: 'tili serve' prints a link to choose their password, or set one with 'tili user passwd %s'\n", sum.AdminEmail, sum.AdminEmail)
	})
}

// defaultBaseURL is where links point when neither --base-url nor a listening address tells.
const defaultBaseURL = "http://127.0.0.1:8080"

// localAddr is the address a browser on this machine reaches a listening address at: an unspecified
// host (":8080", "0.0.0.0:8080") becomes 127.0.0.1.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
