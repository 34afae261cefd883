// Command commonpasswords rebuilds internal/auth/commonpasswords.txt.gz, the list of common passwords
// that auth.CheckPasswordPolicy refuses, from the npm package @zxcvbn-ts/language-common (MIT).
//
// It reads the package tarball as npm publishes it, takes the JSON array in package/src/passwords.json
// (the dictionary the package exports as `passwords`, ranked from most to least common), lower-cases
// every entry, drops duplicates (keeping the first, so the rank order stays) and empty entries, and
// writes one password per line, gzip-compressed without a file name or time stamp so that the same
// input always gives the same bytes. Run it from the module root:
//
//	dir=$(mktemp -d) && (cd "$dir" && npm pack @zxcvbn-ts/language-common@3.0.4)
//	go run ./tools/commonpasswords -in "$dir/zxcvbn-ts-language-common-3.0.4.tgz"
//
// When the version changes, update internal/auth/commonpasswords.NOTICE too (the tool prints the
// name and version it read). Nothing imports this program; it is kept so the file can be rebuilt.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const (
	wantPackage  = "@zxcvbn-ts/language-common"
	passwordsSrc = "package/src/passwords.json"
	manifest     = "package/package.json"
)

func main() {
	in := flag.String("in", "", "the npm tarball of "+wantPackage+" (from `npm pack`)")
	out := flag.String("out", "internal/auth/commonpasswords.txt.gz", "the gzip file to write")
	flag.Parse()
	if *in == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "commonpasswords:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	files, err := readTarball(in, passwordsSrc, manifest)
	if err != nil {
		return err
	}
	var pkg struct {
		Name, Version, License string
	}
	if err := json.Unmarshal(files[manifest], &pkg); err != nil {
		return fmt.Errorf("%s: %w", manifest, err)
	}
	if pkg.Name != wantPackage {
		return fmt.Errorf("%s is %q, want %q", in, pkg.Name, wantPackage)
	}
	var raw []string
	if err := json.Unmarshal(files[passwordsSrc], &raw); err != nil {
		return fmt.Errorf("%s: %w", passwordsSrc, err)
	}

	var text bytes.Buffer
	seen := make(map[string]bool, len(raw))
	for _, p := range raw {
		p = strings.ToLower(p)
		if p == "" || seen[p] {
			continue
		}
		if strings.ContainsAny(p, "\r\n") {
			return fmt.Errorf("%s: entry %q contains a line break", passwordsSrc, p)
		}
		seen[p] = true
		text.WriteString(p)
		text.WriteByte('\n')
	}

	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(text.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s@%s (%s): %d entries, %d passwords written to %s (%d bytes)\n",
		pkg.Name, pkg.Version, pkg.License, len(raw), len(seen), out, gz.Len())
	return nil
}

// readTarball returns the contents of the named files in a gzip-compressed tar archive.
func readTarball(path string, names ...string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	found := make(map[string][]byte, len(names))
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !want[h.Name] {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, h.Name, err)
		}
		found[h.Name] = b
	}
	for _, n := range names {
		if _, ok := found[n]; !ok {
			return nil, fmt.Errorf("%s has no %s", path, n)
		}
	}
	return found, nil
}
