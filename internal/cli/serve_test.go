package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes its log into it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan int)
	go func() {
		done <- RunIO(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--demo"}, strings.NewReader(""), io.Discard, &logs)
	}()
	url := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := url.FindStringSubmatch(logs.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve stopped with %d:\n%s", code, logs.String())
		default:
		}
	}
	if base == "" {
		t.Fatalf("serve did not say where it listens:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "demo data added") || !strings.Contains(logs.String(), dir) {
		t.Fatalf("serve --demo must log the demo data and where the database is:\n%s", logs.String())
	}
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-Id") == "" {
			t.Fatalf("%s lacks the common headers: %v", path, resp.Header)
		}
	}
	// a cross-origin form post is refused before it reaches any handler
	req, _ := http.NewRequest("POST", base+"/", strings.NewReader("x=1"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", resp.StatusCode)
	}
	cancel() // Ctrl-C
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("graceful stop exited %d:\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
}

func TestServeRefusesOldSchemaWithoutMigrate(t *testing.T) {
	t.Parallel()
	db := backend{"--data", t.TempDir()}
	msg := db.fails(t, "serve", "--migrate=false", "--addr", "127.0.0.1:0")
	if !strings.Contains(msg, "tili migrate up") {
		t.Fatalf("serve on an unmigrated database: %s", msg)
	}
}
