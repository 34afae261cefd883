package testutil

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
)

// Rights is one row of the authorization matrix (internal/api/testdata/authz.txt): whether a role sees,
// edits, reassigns (and shares) a record of an ownership, and sees its confidential field.
type Rights struct{ See, Edit, Assign, Conf bool }

// ReadMatrix reads the matrix file at path: role and ownership → Rights.
func ReadMatrix(t testing.TB, path string) map[[2]string]Rights {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[[2]string]Rights{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 6 {
			t.Fatalf("authz.txt: %q has %d columns, want 6", line, len(f))
		}
		m[[2]string{f[0], f[1]}] = Rights{f[2] == "y", f[3] == "y", f[4] == "y", f[5] == "y"}
	}
	return m
}

// Ownerships are the columns of the matrix: whose a record is, seen from the caller.
var Ownerships = []string{"own", "same_team", "other_team", "shared_read", "shared_edit", "hierarchy"}

// World is the users of the matrix: one caller per role in team 1, a teammate, a stranger in team 2,
// and for each caller someone in team 2 who reports to them.
type World struct {
	App      *App
	Sys      crm.Principal
	Team1    int64
	Mate     *crm.User
	Stranger *crm.User
	Callers  map[crm.Role]*crm.User
	Reports  map[crm.Role]*crm.User
	Tokens   map[crm.Role]string
	n        int
}

// NewWorld makes the users of the matrix in app.
func NewWorld(app *App) *World {
	w := &World{App: app, Sys: crm.System(crm.SourceCLI), Callers: map[crm.Role]*crm.User{}, Reports: map[crm.Role]*crm.User{}, Tokens: map[crm.Role]string{}}
	w.Team1 = app.Team("Yksi")
	team2 := app.Team("Kaksi")
	w.Mate = app.User("mate@example.fi", crm.AccountManager, []int64{w.Team1}, 0)
	w.Stranger = app.User("stranger@example.fi", crm.AccountManager, []int64{team2}, 0)
	for _, role := range crm.Roles {
		u := app.User(string(role)+"@example.fi", role, []int64{w.Team1}, 0)
		w.Callers[role] = u
		w.Reports[role] = app.User("report-of-"+string(role)+"@example.fi", crm.AccountManager, []int64{team2}, u.ID)
		w.Tokens[role] = app.Token(u, "write")
	}
	return w
}

// MatrixKind is what the authorization tests need of one kind of record: how to make, change and bin one
// through the use cases, and its API and form fields. Every kind in crm.Kinds has one (MatrixKinds).
type MatrixKind struct {
	Kind *crm.Kind
	// API is the kind's collection in the JSON API.
	API string
	// Patch changes a record made by Record through the API, whose ETag is then FreshETag.
	Patch     map[string]string
	FreshETag string
	// Edit is the kind's edit form, filled for a record made by Record.
	Edit url.Values
	// make adds a record called name owned by owner as the system; a kind with confidential fields gets
	// "luottamuksellinen" in them, written as a change so the history holds it too.
	make func(ctx context.Context, w *World, name string, owner int64) (int64, error)
	// Delete moves record id to the bin as the system.
	Delete func(ctx context.Context, w *World, id int64) error
}

var matrixKinds = []MatrixKind{
	{Kind: crm.KindAccount, API: "/api/v1/accounts", Patch: map[string]string{"description": "muutettu"}, FreshETag: `"2"`,
		Edit: url.Values{"name": {"Muutettu Oy"}, "version": {"2"}},
		make: func(ctx context.Context, w *World, name string, owner int64) (int64, error) {
			a := &crm.Account{Name: name + " Oy", OwnerID: owner}
			if _, err := w.App.Svc.Accounts.Create(ctx, w.Sys, a); err != nil {
				return 0, err
			}
			a.InternalNotes = "luottamuksellinen"
			_, err := w.App.Svc.Accounts.Update(ctx, w.Sys, a)
			return a.ID, err
		},
		Delete: func(ctx context.Context, w *World, id int64) error {
			_, err := w.App.Svc.Accounts.Delete(ctx, w.Sys, id, 0)
			return err
		}},
	{Kind: crm.KindContact, API: "/api/v1/contacts", Patch: map[string]string{"title": "muutettu"}, FreshETag: `"1"`,
		Edit: url.Values{"first_name": {"Muutettu"}, "last_name": {"Henkilö"}, "version": {"1"}},
		make: func(ctx context.Context, w *World, name string, owner int64) (int64, error) {
			c := &crm.Contact{FirstName: name, LastName: "Henkilö", OwnerID: owner}
			_, err := w.App.Svc.Contacts.Create(ctx, w.Sys, c)
			return c.ID, err
		},
		Delete: func(ctx context.Context, w *World, id int64) error {
			_, err := w.App.Svc.Contacts.Delete(ctx, w.Sys, id, 0)
			return err
		}},
}

// MatrixKinds returns the authorization cases of every kind of record, failing the test for a kind
// without one: a new kind joins the matrix tests by adding its case above.
func MatrixKinds(t testing.TB) []MatrixKind {
	t.Helper()
	var out []MatrixKind
	for _, k := range crm.Kinds() {
		i := slices.IndexFunc(matrixKinds, func(m MatrixKind) bool { return m.Kind == k })
		if i < 0 {
			t.Fatalf("the kind %s has no case in testutil.matrixKinds; add one so the authorization matrix covers it", k.Name)
		}
		out = append(out, matrixKinds[i])
	}
	return out
}

// Record makes a record of kind mk with the given ownership for a caller; it returns the id and the
// name.
func (w *World) Record(t testing.TB, mk MatrixKind, role crm.Role, ownership string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	w.n++
	name := fmt.Sprintf("Matriisi%d", w.n)
	owner := map[string]*crm.User{"own": w.Callers[role], "same_team": w.Mate, "other_team": w.Stranger,
		"shared_read": w.Stranger, "shared_edit": w.Stranger, "hierarchy": w.Reports[role]}[ownership]
	id, err := mk.make(ctx, w, name, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if level, ok := map[string]crm.ShareLevel{"shared_read": crm.ShareRead, "shared_edit": crm.ShareEdit}[ownership]; ok {
		if err := w.App.Svc.Access.Share(ctx, w.Sys, &crm.Share{Entity: mk.Kind.Name, EntityID: id, UserID: w.Callers[role].ID, Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	return id, name
}
