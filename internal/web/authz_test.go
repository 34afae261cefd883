package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// TestPageAuthorizationMatrix asserts the matrix of internal/api/testdata/authz.txt through the pages:
// what each role is shown (the record, its edit link, its internal notes) and what each form post does.
// Pages answer 404 for a record the user may not see and 403 for a change they may not make.
func TestPageAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	matrix := testutil.ReadMatrix(t, "../api/testdata/authz.txt")
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := testutil.NewWorld(newApp(t, db))
		ctx := context.Background()
		cells := 0
		for _, role := range crm.Roles {
			c := w.App.Browser()
			signIn(t, c, w.Callers[role].Email)
			for _, own := range testutil.Ownerships {
				want := matrix[[2]string{string(role), own}]
				for _, mk := range testutil.MatrixKinds(t) {
					base := mk.Kind.Path + "/"
					label := fmt.Sprintf("%s / %s / %s", role, own, mk.Kind.Name)
					check := func(op string, r *testutil.Response, status int) {
						t.Helper()
						cells++
						if r.StatusCode != status {
							t.Errorf("%s / %s: %d, want %d", label, op, r.StatusCode, status)
						}
					}
					read := func(ok bool) int { return status(ok, http.StatusOK, http.StatusNotFound) }
					write := func(ok bool, success int) int {
						if !want.See {
							return http.StatusNotFound
						}
						return status(ok, success, http.StatusForbidden)
					}
					shown := func(op string, body []byte, text string, want bool) {
						t.Helper()
						cells++
						if got := strings.Contains(string(body), text); got != want {
							t.Errorf("%s / %s: shown %v, want %v", label, op, got, want)
						}
					}

					id, _ := w.Record(t, mk, role, own)
					page := fmt.Sprintf("%s%d", base, id)
					r := c.Do("GET", page, nil)
					check("page", r, read(want.See))
					if want.See {
						shown("edit link", r.Body, `href="`+page+`/edit"`, want.Edit)
						if len(mk.Kind.Confidential) > 0 {
							shown("internal notes", r.Body, "luottamuksellinen", want.Conf)
							shown("internal notes in history", c.Do("GET", page+"/history", nil).Body, "luottamuksellinen", want.Conf)
						}
					}
					check("history", c.Do("GET", page+"/history", nil), read(want.See))
					check("edit form", c.Do("GET", page+"/edit", nil), write(want.Edit, http.StatusOK))

					check("edit", form(c, page+"/edit", mk.Edit), write(want.Edit, http.StatusSeeOther))
					id, _ = w.Record(t, mk, role, own)
					check("delete", form(c, fmt.Sprintf("%s%d/delete", base, id), nil), write(want.Edit, http.StatusSeeOther))

					id, _ = w.Record(t, mk, role, own)
					if err := mk.Delete(ctx, w, id); err != nil {
						t.Fatal(err)
					}
					check("restore", form(c, fmt.Sprintf("%s%d/restore", base, id), nil), write(want.Edit, http.StatusSeeOther))

					keep, _ := w.Record(t, mk, role, own)
					dup, _ := w.Record(t, mk, role, own)
					check("merge form", c.Do("GET", fmt.Sprintf("%s%d/merge?with=%d", base, keep, dup), nil), write(want.Edit, http.StatusOK))
					check("merge", form(c, fmt.Sprintf("%s%d/merge", base, keep), url.Values{"dup": {fmt.Sprint(dup)}}), write(want.Edit, http.StatusSeeOther))

					id, _ = w.Record(t, mk, role, own)
					check("reassign", form(c, fmt.Sprintf("%s%d/reassign", base, id), url.Values{"owner": {fmt.Sprint(w.Callers[role].ID)}}), write(want.Assign, http.StatusSeeOther))
					id, _ = w.Record(t, mk, role, own)
					check("share", form(c, fmt.Sprintf("%s%d/share", base, id), url.Values{"with": {fmt.Sprintf("user:%d", w.Mate.ID)}, "level": {"read"}}), write(want.Assign, http.StatusSeeOther))
				}
			}
			// creating is for the roles that own records
			canCreate := crm.Viewer{Principal: crm.Principal{UserID: w.Callers[role].ID, Role: role}}.CanCreate()
			check := func(op string, r *testutil.Response, ok int) {
				t.Helper()
				cells++
				if want := status(canCreate, ok, http.StatusForbidden); r.StatusCode != want {
					t.Errorf("%s / %s: %d, want %d\n%.300s", role, op, r.StatusCode, want, r.Body)
				}
			}
			check("new company form", c.Do("GET", "/companies/new", nil), http.StatusOK)
			check("new company", form(c, "/companies/new", url.Values{"name": {"Uusi " + string(role) + " Oy"}}), http.StatusSeeOther)
			check("new person form", c.Do("GET", "/people/new", nil), http.StatusOK)
			check("new person", form(c, "/people/new", url.Values{"first_name": {"Uusi"}, "last_name": {string(role)}}), http.StatusSeeOther)
			// the administrators' pages
			for _, p := range []string{"/admin/users", "/admin/teams", "/admin/tokens", "/admin/sharing"} {
				cells++
				want := status(role == crm.Admin, http.StatusOK, http.StatusForbidden)
				if r := c.Do("GET", p, nil); r.StatusCode != want {
					t.Errorf("%s / %s: %d, want %d", role, p, r.StatusCode, want)
				}
			}
			cells++
			want := status(role == crm.Admin, http.StatusSeeOther, http.StatusForbidden)
			if r := form(c, "/admin/teams", url.Values{"name": {"Tiimi " + string(role)}}); r.StatusCode != want {
				t.Errorf("%s / add a team: %d, want %d", role, r.StatusCode, want)
			}
		}
		t.Logf("%d cells asserted", cells)
	})
}

func status(ok bool, success, refused int) int {
	if ok {
		return success
	}
	return refused
}
