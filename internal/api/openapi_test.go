package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tili/internal/app"
)

var updateSnapshot = flag.Bool("update", false, "write the OpenAPI document to testdata/openapi.json instead of comparing with it")

// snapshotPath is the OpenAPI document as it was last accepted on purpose.
var snapshotPath = filepath.Join("testdata", "openapi.json")

// The OpenAPI document is a contract with every client generated from it: any difference from the
// accepted one fails, so a change to it is always made on purpose. After a deliberate change, accept the
// new document with
//
//	go test ./internal/api -run TestOpenAPISnapshot -update
func TestOpenAPISnapshot(t *testing.T) {
	t.Parallel()
	doc := app.OpenAPI("http://127.0.0.1:8080")
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateSnapshot {
		if err := os.WriteFile(snapshotPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", snapshotPath)
		return
	}
	want, err := os.ReadFile(snapshotPath)
	if err != nil {
		t.Fatalf("%v; write it with: go test ./internal/api -run TestOpenAPISnapshot -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the OpenAPI document differs from %s:\n%s\nIf the change is meant, accept it with: go test ./internal/api -run TestOpenAPISnapshot -update",
			snapshotPath, firstDifference(string(want), string(got)))
	}
}

// firstDifference shows where two texts part: the first differing line with a few lines before it.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		var b strings.Builder
		for j := max(0, i-3); j < i; j++ {
			fmt.Fprintf(&b, "  %5d   %s\n", j+1, w[j])
		}
		fmt.Fprintf(&b, "  %5d - %s\n  %5d + %s\n", i+1, wl, i+1, gl)
		fmt.Fprintf(&b, "  (%d lines accepted, %d lines now)", len(w), len(g))
		return b.String()
	}
	return "(the same lines; the bytes differ)"
}
