package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"

	"tili/internal/demo"
	"tili/internal/httpx"
)

type serveCmd struct {
	Addr string `env:"TILI_ADDR" default:"127.0.0.1:8080" placeholder:"HOST:PORT" help:"Address to listen on."`
	Demo bool   `help:"On an empty database, first fill it with demo data (as 'tili demo')."`
}

func (c *serveCmd) Run(ctx context.Context, a *app) error {
	if err := a.open(ctx); err != nil {
		return err
	}
	if c.Demo {
		empty, err := a.db.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if empty {
			sum, err := demo.Fill(ctx, a.svc, demo.Options{})
			if err != nil {
				return err
			}
			a.log.Info("demo data added", "companies", sum.Accounts, "people", sum.Contacts, "users", sum.Users)
		} else {
			a.log.Info("the database already holds data: no demo data added")
		}
	}
	h := httpx.Handler(httpx.Options{Log: a.log, Ready: a.svc.Ready, Routes: func(mux *http.ServeMux) {
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprintln(w, "tili is running. Liveness: /healthz, readiness: /readyz.")
		})
	}})
	return httpx.Serve(ctx, c.Addr, h, a.log, func(addr net.Addr) {
		a.log.Info("tili is listening", "url", "http://"+addr.String(), "database", a.db.Where(), "backend", a.db.Backend())
	})
}

type demoCmd struct{}

func (c *demoCmd) Run(ctx context.Context, a *app) error {
	if err := a.open(ctx); err != nil {
		return err
	}
	empty, err := a.db.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s already holds users, companies or people; demo data goes only into an empty database (use a new --data directory)", a.db.Where())
	}
	sum, err := demo.Fill(ctx, a.svc, demo.Options{})
	if err != nil {
		return err
	}
	return a.emit(sum, func(w io.Writer) {
		fmt.Fprintf(w, "added %d users in %d teams, %d companies and %d people to %s\n", sum.Users, sum.Teams, sum.Accounts, sum.Contacts, a.db.Where())
		fmt.Fprintf(w, "the administrator is %s; demo users sign in once passwords arrive, for now use --as EMAIL\n", sum.AdminEmail)
	})
}
