package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// Twenty clients each add one to a company's employee count fifty times, by reading it and writing it
// back with If-Match, retrying when someone else got in between. No increment may be lost, no request
// may fail on the server, and no client may ever see "database is locked".
func TestNoLostUpdates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		u := app.User("anna@example.fi", crm.AccountManager, nil, 0)
		token := app.Token(u, "write")
		c := app.As(token)
		r := c.Do("POST", "/api/v1/accounts", map[string]any{"name": "Laskuri Oy", "employees": 0})
		expect(t, r, http.StatusCreated)
		var a account
		r.JSON(t, &a)
		path := fmt.Sprintf("/api/v1/accounts/%d", a.ID)

		const clients, increments = 20, 50
		var wg sync.WaitGroup
		var mu sync.Mutex
		var serverErrors, retries int
		var failures []string
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				rnd := rand.New(rand.NewPCG(seed, seed))
				cl := app.As(token)
				for done := 0; done < increments; {
					get := cl.Do("GET", path, nil)
					var cur struct {
						Employees int64 `json:"employees"`
					}
					json.Unmarshal(get.Body, &cur)
					patch := cl.Do("PATCH", path, fmt.Sprintf(`{"employees": %d}`, cur.Employees+1), "If-Match", get.Header.Get("ETag"))
					mu.Lock()
					switch {
					case patch.StatusCode == http.StatusOK:
						done++
					case patch.StatusCode == http.StatusPreconditionFailed:
						retries++
					default:
						if patch.StatusCode >= 500 {
							serverErrors++
						}
						failures = append(failures, fmt.Sprintf("%d %s", patch.StatusCode, patch.Body))
					}
					for _, b := range [][]byte{get.Body, patch.Body} {
						if strings.Contains(string(b), "locked") || strings.Contains(string(b), "busy") {
							failures = append(failures, "the database was locked: "+string(b))
						}
					}
					stop := len(failures) > 0
					mu.Unlock()
					if stop {
						return
					}
					if patch.StatusCode == http.StatusPreconditionFailed {
						time.Sleep(time.Duration(rnd.IntN(20000)) * time.Microsecond) // back off a little, as a client should
					}
				}
			}(uint64(i + 1))
		}
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("%d server errors; first failures: %v", serverErrors, failures[:min(3, len(failures))])
		}
		r = c.Do("GET", path, nil)
		var final struct {
			Employees int64 `json:"employees"`
			Version   int64 `json:"version"`
		}
		r.JSON(t, &final)
		if final.Employees != clients*increments {
			t.Fatalf("employees after %d increments: %d", clients*increments, final.Employees)
		}
		t.Logf("%d increments, %d retries after 412, final version %d", clients*increments, retries, final.Version)
	})
}
