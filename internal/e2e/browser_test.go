package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	binary   string // tili, built once for the tests
	chromium string // the browser's executable
	noBrowse string // why the browser tests cannot run, when they cannot
)

func TestMain(m *testing.M) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		noBrowse = "Chromium is not installed (Debian: apt-get install chromium); the browser tests need it"
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "tili-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "tili")
	if out, err := exec.Command("go", "build", "-o", binary, "tili/cmd/tili").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building tili: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is the tili binary serving a fresh SQLite database on a random port.
type server struct {
	URL  string
	mu   sync.Mutex
	logs strings.Builder
}

// Logs returns what the server wrote to standard error so far.
func (s *server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

var listening = regexp.MustCompile(`tili is listening" addr=\S+ url=(http://\S+)`)

// startServer runs `tili serve` with args and waits until it listens; it stops when the test ends.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TZ=UTC"}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{}
	up := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				up <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.Logs())
		}
	})
	select {
	case s.URL = <-up:
	case <-time.After(60 * time.Second):
		t.Fatalf("tili did not start listening:\n%s", s.Logs())
	}
	return s
}

// link finds a one-time link the server printed, such as "/setup?token=…".
func (s *server) link(t *testing.T, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL+path) + `\?token=[A-Za-z0-9_\-]+`)
	m := re.FindString(s.Logs())
	if m == "" {
		t.Fatalf("the server printed no %s link:\n%s", path, s.Logs())
	}
	return m
}

// newBrowser starts a headless Chromium with a fresh profile for one test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if noBrowse != "" {
		t.Skip(noBrowse)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab on the server, with the steps the tests take in it.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, ctx context.Context, base string) *tab {
	return &tab{t: t, ctx: ctx, base: base}
}

// another opens a second tab in the same browser (same cookies).
func (b *tab) another() *tab {
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, bound to ctx and not to one step's timeout
		b.t.Fatalf("opening a tab: %v", err)
	}
	return &tab{t: b.t, ctx: ctx, base: b.base}
}

// timeout bounds one step so a missing element fails the test instead of hanging it.
func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 20*time.Second)
}

// open goes to a path (or a full URL) and returns the HTTP status.
func (b *tab) open(path string) int {
	b.t.Helper()
	if strings.HasPrefix(path, "/") {
		path = b.base + path
	}
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return int(resp.Status)
}

// click clicks an element that leads to a new page and returns that page's HTTP status.
func (b *tab) click(sel string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s on %s: %v", sel, b.location(), err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// press clicks an element that does not leave the page.
func (b *tab) press(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("click %s on %s: %v", sel, b.location(), err)
	}
}

// fill replaces the value of a field.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("fill %s on %s: %v", sel, b.location(), err)
	}
}

// typeIn types into a field key by key, as a person does (scripts see the input events).
func (b *tab) typeIn(sel, text string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.t.Fatalf("type into %s on %s: %v", sel, b.location(), err)
	}
}

// keys types on the page itself, as keyboard shortcuts are typed.
func (b *tab) keys(keys string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		b.t.Fatalf("typing %q on %s: %v", keys, b.location(), err)
	}
}

// text returns the visible text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s on %s: %v", sel, b.location(), err)
	}
	return s
}

// value returns a field's value.
func (b *tab) value(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s on %s: %v", sel, b.location(), err)
	}
	return s
}

// has tells whether an element matching sel is on the page now.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf("document.querySelector(%q) !== null", sel))
}

// waitFor waits until an element matching sel is visible.
func (b *tab) waitFor(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("waiting for %s on %s: %v", sel, b.location(), err)
	}
}

func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	l, _ := chromedp.Run(ctx, chromedp.Location())
	return strings.TrimPrefix(l, b.base)
}

// eval runs JavaScript in the page and returns its value.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s on %s: %v", js, b.location(), err)
	}
	return v
}

// shot saves a screenshot of the whole page into the screenshot directory: TILI_SCREENSHOTS when set,
// else the test's temporary directory.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("TILI_SCREENSHOTS")
	if dir == "" {
		dir = shotDir(b.t)
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

var shotDirs sync.Map

func shotDir(t *testing.T) string {
	if d, ok := shotDirs.Load(t); ok {
		return d.(string)
	}
	d := t.TempDir()
	shotDirs.Store(t, d)
	return d
}
