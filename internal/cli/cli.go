// Package cli is tili's command line: its commands, each built on tili as internal/app wires it. The
// command line is a trusted local administration tool with direct access to the database, like psql: it
// needs no sign-in and acts as the built-in system administrator, or as the user named by --as; its
// changes are recorded with source "cli".
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"

	"tili/internal/app"
	"tili/internal/clock"
	"tili/internal/config"
	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/store"
)

// root is the command tree; the embedded Config holds the flags every command takes.
type root struct {
	config.Config `embed:""`

	Serve     serveCmd   `cmd:"" help:"Run the web server (default 127.0.0.1:8080)."`
	Migrate   migrateCmd `cmd:"" help:"Show or apply database schema migrations."`
	ConfigCmd configCmd  `cmd:"" name:"config" help:"Print the effective configuration, secrets hidden."`
	Demo      demoCmd    `cmd:"" help:"Fill an empty database with a fictional sample company's customer base."`
	User      userCmd    `cmd:"" help:"Manage users."`
	Team      teamCmd    `cmd:"" help:"Manage teams."`
	Account   accountCmd `cmd:"" help:"Manage companies (accounts)."`
	Contact   contactCmd `cmd:"" help:"Manage people (contacts)."`
	Search    searchCmd  `cmd:"" help:"Search companies and people by name, e-mail, phone or business ID."`
	History   historyCmd `cmd:"" help:"Show every change to a company or a person."`
	Token     tokenCmd   `cmd:"" help:"Manage API tokens."`
	Share     shareCmd   `cmd:"" help:"Share single companies or people with users or teams."`
	Sharing   sharingCmd `cmd:"" help:"Show or set how far teams see their members' records."`
	Audit     auditCmd   `cmd:"" help:"Show security events: sign-ins, refused access, role, share and token changes."`
	OpenAPI   openapiCmd `cmd:"" name:"openapi" help:"Print the OpenAPI 3.1 document of the JSON API."`
	Version   versionCmd `cmd:"" help:"Print the version."`
}

// env is what a running command has: its configuration, its output and, once opened, tili.
type env struct {
	cfg    *config.Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	tili   *app.App
	db     *store.DB          // tili.DB
	svc    *services.Services // tili.Services
	clock  clock.Clock
}

// Run runs the command line args and returns the process exit code.
func Run(ctx context.Context, args []string) int {
	return RunIO(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

// RunIO is Run with its input and outputs given, for tests.
func RunIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var r root
	exitCode := -1
	parser, err := kong.New(&r,
		kong.Name("tili"),
		kong.Description("tili is a CRM for account managers: companies, people, conversations, deals, terms, orders and reports, in one binary."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exitCode = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintln(stderr, "tili:", err)
		return 2
	}
	kctx, err := parser.Parse(args)
	if exitCode >= 0 { // --help printed
		return exitCode
	}
	if err != nil {
		fmt.Fprintf(stderr, "tili: %v\nRun 'tili --help' (or 'tili COMMAND --help') to see what is accepted.\n", err)
		return 2
	}
	if err := r.Config.Resolve(); err != nil {
		fmt.Fprintln(stderr, "tili:", err)
		return 2
	}
	a := &env{cfg: &r.Config, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(stderr, &r.Config), clock: clock.Real()}
	defer a.close()
	kctx.BindTo(ctx, (*context.Context)(nil))
	if err := kctx.Run(a); err != nil {
		a.reportError(err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, c *config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// open opens the database (migrating it unless --migrate=false) and builds tili on it. A database whose
// schema is older than this binary is refused when it was not migrated.
func (a *env) open(ctx context.Context) error {
	if a.tili != nil {
		return nil
	}
	t, err := app.Open(ctx, app.OpenOptions{
		Options: app.Options{PhoneRegion: a.cfg.PhoneRegion, Clock: a.clock},
		Store: store.Options{URL: a.cfg.DatabaseURL, DataDir: a.cfg.Data, Migrate: a.cfg.Migrate,
			SQLiteSynchronous: a.cfg.SQLiteSynchronous},
		RequireCurrentSchema: !a.cfg.Migrate})
	if err != nil {
		return err
	}
	a.tili, a.db, a.svc = t, t.DB, t.Services
	return nil
}

func (a *env) close() {
	if a.tili != nil {
		a.tili.Close()
	}
}

// principal is who the command acts as: the system administrator, or the --as user.
func (a *env) principal(ctx context.Context) (crm.Principal, error) {
	system := crm.System(crm.SourceCLI)
	if a.cfg.As == "" {
		return system, nil
	}
	u, err := a.svc.Users.ByEmail(ctx, system, a.cfg.As)
	if crm.CodeOf(err) == crm.NotFound {
		return crm.Principal{}, fmt.Errorf("--as %s: there is no such user; see 'tili user list'", a.cfg.As)
	}
	if err != nil {
		return crm.Principal{}, err
	}
	if u.DisabledAt != nil {
		return crm.Principal{}, fmt.Errorf("--as %s: the user is disabled", a.cfg.As)
	}
	return crm.Principal{UserID: u.ID, Role: u.Role, Source: crm.SourceCLI}, nil
}

// openAs opens the database and returns the acting principal.
func (a *env) openAs(ctx context.Context) (crm.Principal, error) {
	if err := a.open(ctx); err != nil {
		return crm.Principal{}, err
	}
	return a.principal(ctx)
}

// emit prints v as JSON with --json, or calls human to print it for people.
func (a *env) emit(v any, human func(w io.Writer)) error {
	if a.cfg.JSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(a.stdout)
	return nil
}

// warn tells people something on standard error, never on standard output.
func (a *env) warn(format string, args ...any) {
	fmt.Fprintf(a.stderr, "warning: "+format+"\n", args...)
}

// note tells people something that is not a result, on standard error so standard output stays clean.
func (a *env) note(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}

// reportError prints err so a person knows what to do; with --json, as a JSON object on standard error.
func (a *env) reportError(err error) {
	var e *crm.Error
	if !errors.As(err, &e) {
		e = &crm.Error{Message: err.Error()}
	}
	if a.cfg.JSON {
		json.NewEncoder(a.stderr).Encode(map[string]*crm.Error{"error": e})
		return
	}
	msg := e.Message
	if e.Field != "" {
		msg = flagName(e.Field) + ": " + msg
	}
	fmt.Fprintln(a.stderr, "tili: "+msg)
}

// flagName turns a field name of an error into the flag a person typed ("business_id" → "--business-id").
func flagName(field string) string {
	return "--" + strings.NewReplacer("_", "-", ".", "-").Replace(field)
}

type versionCmd struct{}

func (c *versionCmd) Run(a *env) error {
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	return a.emit(map[string]string{"version": version}, func(w io.Writer) { fmt.Fprintln(w, "tili", version) })
}
