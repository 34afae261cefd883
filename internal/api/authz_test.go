package api_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// rights is one row of testdata/authz.txt.
type rights struct{ see, edit, assign, conf bool }

func readMatrix(t *testing.T) map[[2]string]rights {
	t.Helper()
	f, err := os.Open("testdata/authz.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[[2]string]rights{}
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
		m[[2]string{f[0], f[1]}] = rights{f[2] == "y", f[3] == "y", f[4] == "y", f[5] == "y"}
	}
	return m
}

var ownerships = []string{"own", "same_team", "other_team", "shared_read", "shared_edit", "hierarchy"}

// world is the users of the matrix: one caller per role in team 1, a teammate, a stranger in team 2,
// and for each caller someone in team 2 who reports to them.
type world struct {
	app      *testutil.App
	sys      crm.Principal
	team1    int64
	mate     *crm.User
	stranger *crm.User
	callers  map[crm.Role]*crm.User
	reports  map[crm.Role]*crm.User
	tokens   map[crm.Role]string
	n        int
}

func newWorld(t *testing.T, db *store.DB) *world {
	app := testutil.NewTestApp(t, db)
	w := &world{app: app, sys: crm.System(crm.SourceCLI), callers: map[crm.Role]*crm.User{}, reports: map[crm.Role]*crm.User{}, tokens: map[crm.Role]string{}}
	w.team1 = app.Team("Yksi")
	team2 := app.Team("Kaksi")
	w.mate = app.User("mate@example.fi", crm.AccountManager, []int64{w.team1}, 0)
	w.stranger = app.User("stranger@example.fi", crm.AccountManager, []int64{team2}, 0)
	for _, role := range crm.Roles {
		u := app.User(string(role)+"@example.fi", role, []int64{w.team1}, 0)
		w.callers[role] = u
		w.reports[role] = app.User("report-of-"+string(role)+"@example.fi", crm.AccountManager, []int64{team2}, u.ID)
		w.tokens[role] = app.Token(u, "write")
	}
	return w
}

// record makes a company or a person of the given ownership for a caller, with internal notes.
func (w *world) record(t *testing.T, entity string, role crm.Role, ownership string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	w.n++
	name := fmt.Sprintf("Matriisi%d", w.n)
	owner := map[string]*crm.User{"own": w.callers[role], "same_team": w.mate, "other_team": w.stranger,
		"shared_read": w.stranger, "shared_edit": w.stranger, "hierarchy": w.reports[role]}[ownership]
	var id int64
	if entity == "account" {
		a := &crm.Account{Name: name + " Oy", OwnerID: owner.ID}
		if _, err := w.app.Svc.Accounts.Create(ctx, w.sys, a); err != nil {
			t.Fatal(err)
		}
		// written as a change, so the history holds the confidential value too
		a.InternalNotes = "luottamuksellinen"
		if _, err := w.app.Svc.Accounts.Update(ctx, w.sys, a); err != nil {
			t.Fatal(err)
		}
		id = a.ID
	} else {
		c := &crm.Contact{FirstName: name, LastName: "Henkilö", OwnerID: owner.ID}
		if _, err := w.app.Svc.Contacts.Create(ctx, w.sys, c); err != nil {
			t.Fatal(err)
		}
		id = c.ID
	}
	if level, ok := map[string]crm.ShareLevel{"shared_read": crm.ShareRead, "shared_edit": crm.ShareEdit}[ownership]; ok {
		if err := w.app.Svc.Access.Share(ctx, w.sys, &crm.Share{Entity: entity, EntityID: id, UserID: w.callers[role].ID, Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	return id, name
}

func status(ok bool, success int, refused int) int {
	if ok {
		return success
	}
	return refused
}

// TestAuthorizationMatrix asserts every cell of testdata/authz.txt through every API operation on
// companies and people, and the administrators-only operations for every role.
func TestAuthorizationMatrix(t *testing.T) {
	matrix := readMatrix(t)
	if len(matrix) != len(crm.Roles)*len(ownerships) {
		t.Fatalf("authz.txt has %d rows, want one per role and ownership (%d)", len(matrix), len(crm.Roles)*len(ownerships))
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		cells := 0
		for _, role := range crm.Roles {
			c := w.app.As(w.tokens[role])
			for _, own := range ownerships {
				want := matrix[[2]string{string(role), own}]
				for _, entity := range []string{"account", "contact"} {
					base := "/api/v1/" + entity + "s"
					label := fmt.Sprintf("%s / %s / %s", role, own, entity)
					check := func(op string, r *testutil.Response, status int) {
						t.Helper()
						cells++
						if r.StatusCode != status {
							t.Errorf("%s / %s: %d, want %d\n%s", label, op, r.StatusCode, status, r.Body)
						}
					}
					read := func(ok bool) int { return status(ok, http.StatusOK, http.StatusNotFound) }
					write := func(ok bool, success int) int {
						if !want.see {
							return http.StatusNotFound
						}
						return status(ok, success, http.StatusForbidden)
					}

					id, name := w.record(t, entity, role, own)
					path := fmt.Sprintf("%s/%d", base, id)
					r := c.Do("GET", path, nil)
					check("get", r, read(want.see))
					if entity == "account" && want.see {
						cells++
						if shown := strings.Contains(string(r.Body), "luottamuksellinen"); shown != want.conf {
							t.Errorf("%s / internal notes shown: %v, want %v", label, shown, want.conf)
						}
						h := c.Do("GET", path+"/history", nil)
						cells++
						if shown := strings.Contains(string(h.Body), "luottamuksellinen"); shown != want.conf {
							t.Errorf("%s / internal notes in history: %v, want %v", label, shown, want.conf)
						}
					}
					check("history", c.Do("GET", path+"/history", nil), read(want.see))
					check("shares", c.Do("GET", fmt.Sprintf("/api/v1/shares?entity=%s&entity_id=%d", entity, id), nil), read(want.see))
					r = c.Do("GET", base+"?limit=1000", nil)
					cells++
					if listed := strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, id)); listed != want.see {
						t.Errorf("%s / listed: %v, want %v", label, listed, want.see)
					}
					r = c.Do("GET", "/api/v1/search?limit=100&q="+name, nil)
					cells++
					if found := strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, id)); found != want.see {
						t.Errorf("%s / found: %v, want %v", label, found, want.see)
					}

					field := map[string]string{"account": "description", "contact": "title"}[entity]
					id, _ = w.record(t, entity, role, own)
					version := map[string]string{"account": `"2"`, "contact": `"1"`}[entity]
					check("update", c.Do("PATCH", fmt.Sprintf("%s/%d", base, id), map[string]string{field: "muutettu"}, "If-Match", version), write(want.edit, http.StatusOK))
					id, _ = w.record(t, entity, role, own)
					check("delete", c.Do("DELETE", fmt.Sprintf("%s/%d", base, id), nil), write(want.edit, http.StatusOK))
					id, _ = w.record(t, entity, role, own)
					if entity == "account" {
						_, err := w.app.Svc.Accounts.Delete(context.Background(), w.sys, id, 0)
						if err != nil {
							t.Fatal(err)
						}
					} else if _, err := w.app.Svc.Contacts.Delete(context.Background(), w.sys, id, 0); err != nil {
						t.Fatal(err)
					}
					check("restore", c.Do("POST", fmt.Sprintf("%s/%d/restore", base, id), nil), write(want.edit, http.StatusOK))
					keep, _ := w.record(t, entity, role, own)
					dup, _ := w.record(t, entity, role, own)
					check("merge", c.Do("POST", fmt.Sprintf("%s/%d/merge", base, keep), map[string]int64{"duplicate_id": dup}), write(want.edit, http.StatusOK))
					id, _ = w.record(t, entity, role, own)
					check("reassign", c.Do("POST", fmt.Sprintf("%s/%d/reassign", base, id), map[string]int64{"owner_id": w.callers[role].ID}), write(want.assign, http.StatusOK))
					id, _ = w.record(t, entity, role, own)
					check("share", c.Do("POST", "/api/v1/shares", map[string]any{"entity": entity, "entity_id": id, "user_id": w.mate.ID}), write(want.assign, http.StatusCreated))
				}
			}
			// operations for administrators only, and those everyone signed in may use
			admin := role == crm.Admin
			other := w.reports[role]
			for _, op := range []struct {
				name         string
				method, path string
				body         any
				header       []string
				success      int
				everyone     bool
			}{
				{"list users", "GET", "/api/v1/users", nil, nil, http.StatusOK, true},
				{"list teams", "GET", "/api/v1/teams", nil, nil, http.StatusOK, true},
				{"me", "GET", "/api/v1/me", nil, nil, http.StatusOK, true},
				{"sharing", "GET", "/api/v1/settings/sharing", nil, nil, http.StatusOK, true},
				{"own token", "POST", "/api/v1/tokens", map[string]string{"scope": "read"}, nil, http.StatusCreated, true},
				{"create user", "POST", "/api/v1/users", map[string]string{"email": "new-by-" + string(role) + "@example.fi", "name": "Uusi"}, nil, http.StatusCreated, false},
				{"create team", "POST", "/api/v1/teams", map[string]string{"name": "Tiimi " + string(role)}, nil, http.StatusCreated, false},
				{"change a role", "PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), map[string]string{"role": "sales_head"}, []string{"If-Match", etagOf(t, w, other.ID)}, http.StatusOK, false},
				{"set sharing", "PUT", "/api/v1/settings/sharing", map[string]string{"account": "team_read"}, nil, http.StatusOK, false},
				{"token for another", "POST", "/api/v1/tokens", map[string]any{"user_id": other.ID}, nil, http.StatusCreated, false},
				{"audit log", "GET", "/api/v1/audit", nil, nil, http.StatusOK, false},
				{"disable a user", "POST", fmt.Sprintf("/api/v1/users/%d/disable", other.ID), nil, nil, http.StatusOK, false},
			} {
				cells++
				want := op.success
				if !admin && !op.everyone {
					want = http.StatusForbidden
				}
				if r := c.Do(op.method, op.path, op.body, op.header...); r.StatusCode != want {
					t.Errorf("%s / %s: %d, want %d\n%s", role, op.name, r.StatusCode, want, r.Body)
				}
			}
		}
		t.Logf("%d cells asserted", cells)
	})
}

func etagOf(t *testing.T, w *world, userID int64) string {
	u, err := w.app.Svc.Users.Get(context.Background(), w.sys, userID)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`"%d"`, u.Version)
}
