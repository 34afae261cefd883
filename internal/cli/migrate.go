package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"tili/internal/store"
)

type migrateCmd struct {
	Up     migrateUpCmd     `cmd:"" help:"Apply the migrations the database lacks."`
	Status migrateStatusCmd `cmd:"" help:"List the migrations and whether each is applied."`
}

// openUnmigrated opens the database as it is: the migrate commands decide themselves what to apply.
func (a *env) openUnmigrated(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, store.Options{URL: a.cfg.DatabaseURL, DataDir: a.cfg.Data, SQLiteSynchronous: a.cfg.SQLiteSynchronous})
}

type migrateUpCmd struct{}

func (c *migrateUpCmd) Run(ctx context.Context, a *env) error {
	db, err := a.openUnmigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.MigrateUp(ctx)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"applied": nonNil(applied), "database": db.Where()}, func(w io.Writer) {
		if len(applied) == 0 {
			fmt.Fprintf(w, "%s is up to date\n", db.Where())
		}
		for _, m := range applied {
			fmt.Fprintf(w, "applied %05d %s\n", m.Version, m.Name)
		}
	})
}

type migrateStatusCmd struct{}

func (c *migrateStatusCmd) Run(ctx context.Context, a *env) error {
	db, err := a.openUnmigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"migrations": list, "database": db.Where()}, func(w io.Writer) {
		fmt.Fprintln(w, "database:", db.Where())
		rows := make([][]string, len(list))
		for i, m := range list {
			state := "pending"
			if m.Applied {
				state = "applied " + when(m.AppliedAt)
			}
			rows[i] = []string{strconv.FormatInt(m.Version, 10), m.Name, state}
		}
		table(w, []string{"VERSION", "NAME", "STATE"}, rows)
	})
}

type configCmd struct{}

func (c *configCmd) Run(a *env) error {
	settings := a.cfg.Redacted()
	return a.emit(settings, func(w io.Writer) {
		rows := make([][]string, len(settings))
		for i, s := range settings {
			rows[i] = []string{s.Name, s.Env, s.Value}
		}
		table(w, []string{"SETTING", "ENVIRONMENT", "VALUE"}, rows)
	})
}
