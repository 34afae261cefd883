package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

type account struct {
	ID         int64    `json:"id"`
	Version    int64    `json:"version"`
	Name       string   `json:"name"`
	BusinessID string   `json:"business_id"`
	Stage      string   `json:"stage"`
	Phones     []string `json:"phones"`
	OwnerID    int64    `json:"owner_id"`
	Notes      string   `json:"internal_notes"`
	Likely     []struct {
		ID int64 `json:"id"`
	} `json:"likely_duplicates"`
}

type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func expect(t *testing.T, r *testutil.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
}

func TestCompaniesThroughTheAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		team := app.Team("Etelä")
		anna := app.User("anna@example.fi", crm.AccountManager, []int64{team}, 0)
		c := app.As(app.Token(anna, "write"))

		// only a name is needed; 201 with the record, id and version at the top, and an ETag
		r := c.Do("POST", "/api/v1/accounts", map[string]any{"name": "Äijälä Oy", "business_id": "0112038-9", "phones": []string{"040-1234567"}, "owner_id": anna.ID})
		expect(t, r, http.StatusCreated)
		var a account
		r.JSON(t, &a)
		if a.ID == 0 || a.Version != 1 || r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != fmt.Sprintf("/api/v1/accounts/%d", a.ID) ||
			a.Phones[0] != "+358401234567" || a.Stage != "prospect" {
			t.Fatalf("created: %s %v", r.Body, r.Header)
		}

		// an invalid business ID: 422 problem+json with the field
		r = c.Do("POST", "/api/v1/accounts", map[string]any{"name": "X", "business_id": "0112038-8"})
		expect(t, r, http.StatusUnprocessableEntity)
		var p problem
		r.JSON(t, &p)
		if r.Header.Get("Content-Type") != "application/problem+json" || p.Code != "invalid" || len(p.Errors) != 1 ||
			p.Errors[0].Field != "business_id" || !strings.Contains(p.Detail, "check digit") {
			t.Fatalf("invalid business ID: %s", r.Body)
		}
		// huma's own validation speaks the same model
		r = c.Do("POST", "/api/v1/accounts", map[string]any{"name": "", "stage": "boss"})
		expect(t, r, http.StatusUnprocessableEntity)
		r.JSON(t, &p)
		if p.Code != "invalid" || len(p.Errors) < 2 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("schema validation: %s", r.Body)
		}
		// a taken business ID: 409, naming the holder
		r = c.Do("POST", "/api/v1/accounts", map[string]any{"name": "Toinen Oy", "business_id": "01120389"})
		expect(t, r, http.StatusConflict)
		r.JSON(t, &p)
		if p.Code != "duplicate" || !strings.Contains(p.Detail, "Äijälä Oy") {
			t.Fatalf("duplicate: %s", r.Body)
		}

		path := fmt.Sprintf("/api/v1/accounts/%d", a.ID)
		// PATCH needs If-Match: 428 without, 412 when stale, 200 with the new ETag when current
		expect(t, c.Do("PATCH", path, `{"stage":"customer"}`), http.StatusPreconditionRequired)
		r = c.Do("PATCH", path, `{"stage":"customer", "tier": "A"}`, "If-Match", `"1"`, "Content-Type", "application/merge-patch+json")
		expect(t, r, http.StatusOK)
		r.JSON(t, &a)
		if a.Stage != "customer" || a.Version != 2 || r.Header.Get("ETag") != `"2"` || a.BusinessID != "0112038-9" {
			t.Fatalf("patched: %s", r.Body)
		}
		r = c.Do("PATCH", path, `{"name":"Vanha Oy"}`, "If-Match", `"1"`)
		expect(t, r, http.StatusPreconditionFailed)
		r.JSON(t, &p)
		if p.Code != "stale" {
			t.Fatalf("stale: %s", r.Body)
		}
		// null clears a field
		r = c.Do("PATCH", path, `{"tier": null}`, "If-Match", `"2"`)
		expect(t, r, http.StatusOK)
		if strings.Contains(string(r.Body), `"tier"`) {
			t.Fatalf("null did not clear tier: %s", r.Body)
		}
		// mass assignment: protected and unknown members are refused by name, nothing changes
		r = c.Do("PATCH", path, `{"version": 99, "owner_id": 1, "created_at": "2020-01-01T00:00:00Z", "colour": "red", "name": "Hijacked"}`, "If-Match", `"3"`)
		expect(t, r, http.StatusUnprocessableEntity)
		r.JSON(t, &p)
		fields := ""
		for _, e := range p.Errors {
			fields += e.Field + " "
		}
		if fields != "colour created_at owner_id version " {
			t.Fatalf("refused members: %q\n%s", fields, r.Body)
		}
		r = c.Do("GET", path, nil)
		expect(t, r, http.StatusOK)
		r.JSON(t, &a)
		if a.Name != "Äijälä Oy" || a.Version != 3 {
			t.Fatalf("after refused patch: %s", r.Body)
		}

		// lists: items and next_cursor, nothing else
		for i := 0; i < 3; i++ {
			expect(t, c.Do("POST", "/api/v1/accounts", map[string]any{"name": fmt.Sprint("Yritys ", i)}), http.StatusCreated)
		}
		r = c.Do("GET", "/api/v1/accounts?limit=2&sort=-name", nil)
		expect(t, r, http.StatusOK)
		var page map[string]json.RawMessage
		r.JSON(t, &page)
		if len(page) != 2 || page["items"] == nil || page["next_cursor"] == nil {
			t.Fatalf("list shape: %s", r.Body)
		}
		var items []account
		json.Unmarshal(page["items"], &items)
		if len(items) != 2 || items[0].Name != "Yritys 2" {
			t.Fatalf("list: %s", r.Body)
		}
		r = c.Do("GET", "/api/v1/search?q=aijala", nil)
		expect(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), `"kind":"account"`) || strings.Contains(string(r.Body), "aijala") {
			t.Fatalf("search must find Äijälä and not echo the query: %s", r.Body)
		}
		// history, delete, restore
		r = c.Do("GET", path+"/history", nil)
		expect(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), `"field":"stage"`) || !strings.Contains(string(r.Body), `"source":"api"`) {
			t.Fatalf("history: %s", r.Body)
		}
		expect(t, c.Do("DELETE", path, nil, "If-Match", `"1"`), http.StatusPreconditionFailed)
		expect(t, c.Do("DELETE", path, nil), http.StatusOK)
		expect(t, c.Do("POST", path+"/restore", nil), http.StatusOK)

		// the OpenAPI document is public
		r = app.As("").Do("GET", "/api/openapi.json", nil)
		expect(t, r, http.StatusOK)
		var doc map[string]any
		r.JSON(t, &doc)
		if doc["openapi"] != "3.1.0" {
			t.Fatalf("openapi: %v", doc["openapi"])
		}
		// without credentials: 401 problem
		r = app.As("").Do("GET", "/api/v1/accounts", nil)
		expect(t, r, http.StatusUnauthorized)
		r.JSON(t, &p)
		if p.Code != "unauthenticated" {
			t.Fatalf("401: %s", r.Body)
		}
		expect(t, app.As("tili_nonsense").Do("GET", "/api/v1/accounts", nil), http.StatusUnauthorized)
	})
}
