package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

func status(ok bool, success int, refused int) int {
	if ok {
		return success
	}
	return refused
}

// TestAuthorizationMatrix asserts every cell of testdata/authz.txt through every API operation on
// companies and people, and the administrators-only operations for every role.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	matrix := testutil.ReadMatrix(t, "testdata/authz.txt")
	if len(matrix) != len(crm.Roles)*len(testutil.Ownerships) {
		t.Fatalf("authz.txt has %d rows, want one per role and ownership (%d)", len(matrix), len(crm.Roles)*len(testutil.Ownerships))
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := testutil.NewWorld(testutil.NewTestApp(t, db))
		cells := 0
		for _, role := range crm.Roles {
			c := w.App.As(w.Tokens[role])
			for _, own := range testutil.Ownerships {
				want := matrix[[2]string{string(role), own}]
				for _, mk := range testutil.MatrixKinds(t) {
					entity, base := mk.Kind.Name, mk.API
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
						if !want.See {
							return http.StatusNotFound
						}
						return status(ok, success, http.StatusForbidden)
					}

					id, name := w.Record(t, mk, role, own)
					path := fmt.Sprintf("%s/%d", base, id)
					r := c.Do("GET", path, nil)
					check("get", r, read(want.See))
					if len(mk.Kind.Confidential) > 0 && want.See {
						cells++
						if shown := strings.Contains(string(r.Body), "luottamuksellinen"); shown != want.Conf {
							t.Errorf("%s / internal notes shown: %v, want %v", label, shown, want.Conf)
						}
						h := c.Do("GET", path+"/history", nil)
						cells++
						if shown := strings.Contains(string(h.Body), "luottamuksellinen"); shown != want.Conf {
							t.Errorf("%s / internal notes in history: %v, want %v", label, shown, want.Conf)
						}
					}
					check("history", c.Do("GET", path+"/history", nil), read(want.See))
					check("shares", c.Do("GET", fmt.Sprintf("/api/v1/shares?entity=%s&entity_id=%d", entity, id), nil), read(want.See))
					r = c.Do("GET", base+"?limit=1000", nil)
					cells++
					if listed := strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, id)); listed != want.See {
						t.Errorf("%s / listed: %v, want %v", label, listed, want.See)
					}
					r = c.Do("GET", "/api/v1/search?limit=100&q="+name, nil)
					cells++
					if found := strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, id)); found != want.See {
						t.Errorf("%s / found: %v, want %v", label, found, want.See)
					}

					id, _ = w.Record(t, mk, role, own)
					check("update", c.Do("PATCH", fmt.Sprintf("%s/%d", base, id), mk.Patch, "If-Match", mk.FreshETag), write(want.Edit, http.StatusOK))
					id, _ = w.Record(t, mk, role, own)
					check("delete", c.Do("DELETE", fmt.Sprintf("%s/%d", base, id), nil), write(want.Edit, http.StatusOK))
					id, _ = w.Record(t, mk, role, own)
					if err := mk.Delete(context.Background(), w, id); err != nil {
						t.Fatal(err)
					}
					check("restore", c.Do("POST", fmt.Sprintf("%s/%d/restore", base, id), nil), write(want.Edit, http.StatusOK))
					keep, _ := w.Record(t, mk, role, own)
					dup, _ := w.Record(t, mk, role, own)
					check("merge", c.Do("POST", fmt.Sprintf("%s/%d/merge", base, keep), map[string]int64{"duplicate_id": dup}), write(want.Edit, http.StatusOK))
					id, _ = w.Record(t, mk, role, own)
					check("reassign", c.Do("POST", fmt.Sprintf("%s/%d/reassign", base, id), map[string]int64{"owner_id": w.Callers[role].ID}), write(want.Assign, http.StatusOK))
					id, _ = w.Record(t, mk, role, own)
					check("share", c.Do("POST", "/api/v1/shares", map[string]any{"entity": entity, "entity_id": id, "user_id": w.Mate.ID}), write(want.Assign, http.StatusCreated))
				}
			}
			// operations for administrators only, and those everyone signed in may use
			admin := role == crm.Admin
			other := w.Reports[role]
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

func etagOf(t *testing.T, w *testutil.World, userID int64) string {
	u, err := w.App.Svc.Users.Get(context.Background(), w.Sys, userID)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`"%d"`, u.Version)
}
