// Command rss measures the resident memory of the real tili binary as its own process: after a large
// demo fill through the batch path and many reads, after a minute idle, and at its peak under a mix of
// creates and reads from 16 connections. Figures go to bench/README.md.
//
//	go build -o /tmp/tili ./cmd/tili && go run ./bench/rss -tili /tmp/tili
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("tili", "tili", "the tili binary")
	people := flag.Int("people", 150_000, "people the demo fill writes")
	reads := flag.Int("reads", 40_000, "reads of one person after the fill")
	mixed := flag.Int("mixed", 20_000, "requests of the create-and-read mix (one create in four)")
	conns := flag.Int("conns", 16, "connections")
	idle := flag.Duration("idle", 60*time.Second, "how long the server idles before the idle figure")
	flag.Parse()
	if err := run(*bin, *people, *reads, *mixed, *conns, *idle); err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(1)
	}
}

func run(bin string, people, reads, mixed, conns int, idle time.Duration) error {
	dir, err := os.MkdirTemp("", "tili-rss-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	serve := exec.Command(bin, "serve", "--data", dir, "--addr", addr, "--demo", "--demo-people", strconv.Itoa(people),
		"--api-rate", "0", "--log-level", "warn")
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		return err
	}
	defer serve.Process.Kill()
	pid := serve.Process.Pid
	base := "http://" + addr
	for {
		if r, err := http.Get(base + "/healthz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			break
		}
		if time.Since(start) > 30*time.Minute {
			return fmt.Errorf("tili did not start")
		}
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Printf("filled with %d people and listening after %v\n", people, time.Since(start).Round(time.Second))
	report(pid, "after the fill")
	out, err := exec.Command(bin, "token", "create", "--data", dir, "--user", "admin@demo.tili", "--scope", "write", "--json").Output()
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(out, &tok); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	do := func(method, path string, body any) ([]byte, error) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		req.Header.Set("Content-Type", "application/json")
		r, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode >= 300 {
			return nil, fmt.Errorf("%s %s: %d %s", method, path, r.StatusCode, b)
		}
		return b, nil
	}
	var ids []int64
	for after := ""; len(ids) < 5000; {
		b, err := do("GET", "/api/v1/contacts?limit=1000"+after, nil)
		if err != nil {
			return err
		}
		var page struct {
			Items []struct{ ID int64 } `json:"items"`
			Next  string               `json:"next_cursor"`
		}
		json.Unmarshal(b, &page)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.Next == "" {
			break
		}
		after = "&after=" + page.Next
	}
	load := func(n int, req func(i int) error) (peak int, err error) {
		var next atomic.Int64
		var first error
		var once sync.Once
		var wg sync.WaitGroup
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(100 * time.Millisecond):
					if kb := status(pid, "VmRSS"); kb > peak {
						peak = kb
					}
				}
			}
		}()
		for range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1))
					if i > n {
						return
					}
					if err := req(i); err != nil {
						once.Do(func() { first = err })
						return
					}
				}
			}()
		}
		wg.Wait()
		close(done)
		return peak, first
	}
	t := time.Now()
	peak, err := load(reads, func(i int) error {
		_, err := do("GET", fmt.Sprintf("/api/v1/contacts/%d", ids[(i*7919)%len(ids)]), nil)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d reads in %v, peak %d MiB\n", reads, time.Since(t).Round(time.Millisecond), peak/1024)
	report(pid, "after the reads")
	time.Sleep(idle)
	report(pid, fmt.Sprintf("after %v idle", idle))
	t = time.Now()
	peak, err = load(mixed, func(i int) error {
		if i%4 == 0 {
			_, err := do("POST", "/api/v1/contacts", map[string]any{"first_name": "Matti", "last_name": fmt.Sprintf("Mittari-%d", i),
				"emails": []string{fmt.Sprintf("mittari%d@example.fi", i)}})
			return err
		}
		_, err := do("GET", fmt.Sprintf("/api/v1/contacts/%d", ids[(i*7919)%len(ids)]), nil)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d creates and reads at %d connections in %v, peak %d MiB\n", mixed, conns, time.Since(t).Round(time.Millisecond), peak/1024)
	report(pid, "after the mix")
	time.Sleep(idle)
	report(pid, fmt.Sprintf("after %v idle", idle))
	return nil
}

// report prints the process's resident set now and its high-water mark.
func report(pid int, when string) {
	fmt.Printf("%-22s VmRSS %4d MiB  VmHWM %4d MiB\n", when+":", status(pid, "VmRSS")/1024, status(pid, "VmHWM")/1024)
}

// status reads a kB figure from /proc/PID/status.
func status(pid int, field string) int {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb
		}
	}
	return 0
}
