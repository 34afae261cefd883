package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewTokenFormat(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"tili", "set", "x", "inv2", "abcdefghijklmnop"} {
		tok, err := NewToken(prefix)
		if err != nil {
			t.Fatalf("NewToken(%q): %v", prefix, err)
		}
		rest, found := strings.CutPrefix(tok, prefix+"_")
		if !found {
			t.Fatalf("NewToken(%q) = %q, want it to start with %q", prefix, tok, prefix+"_")
		}
		if len(rest) != 43 {
			t.Fatalf("NewToken(%q) = %q: %d characters after the prefix, want 43", prefix, tok, len(rest))
		}
		b, err := base64.RawURLEncoding.DecodeString(rest)
		if err != nil || len(b) != 32 {
			t.Fatalf("NewToken(%q) = %q: want 32 bytes of unpadded base64url, got %d bytes, %v", prefix, tok, len(b), err)
		}
	}
}

func TestNewTokenRefusesBadPrefix(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "Tili", "a_b", "tili-x", "tili ", "mökki", "abcdefghijklmnopq"} {
		if tok, err := NewToken(prefix); err == nil {
			t.Errorf("NewToken(%q) = %q, want an error", prefix, tok)
		}
	}
}

func TestNewTokenUnique(t *testing.T) {
	t.Parallel()
	seen := make(map[string]bool, 1000)
	hashes := make(map[string]bool, 1000)
	for range 1000 {
		tok, err := NewToken("tili")
		if err != nil {
			t.Fatal(err)
		}
		if seen[tok] {
			t.Fatalf("token %q generated twice", tok)
		}
		seen[tok] = true
		hashes[HashToken(tok)] = true
	}
	if len(hashes) != 1000 {
		t.Fatalf("1000 tokens gave %d distinct hashes", len(hashes))
	}
}

func TestHashToken(t *testing.T) {
	t.Parallel()
	// SHA-256 test vector (FIPS 180-2, "abc").
	if got, want := HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Fatalf("HashToken(abc) = %s, want %s", got, want)
	}
	tok, err := NewToken("set")
	if err != nil {
		t.Fatal(err)
	}
	h := HashToken(tok)
	if h != HashToken(tok) || len(h) != 64 || strings.Contains(h, tok) {
		t.Fatalf("HashToken(%q) = %q: want the same 64 hex digits every time", tok, h)
	}
	if !EqualHashes(h, HashToken(tok)) {
		t.Fatal("EqualHashes of two hashes of one token = false")
	}
	if EqualHashes(h, HashToken(tok+"x")) {
		t.Fatal("EqualHashes of hashes of different tokens = true")
	}
}

func TestTokenPrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ token, want string }{
		{"tili_AbC-_xyz0123456789", "tili_AbC-_xy"},
		{"set_0123456789abcdef", "set_01234567"},
		{"tili_abcdefgh", "tili_abcdefg"},
		{"tili_abcdefg", "tili_abcdefg"},
		{"short", "short"},
		{"", ""},
	} {
		if got := TokenPrefix(tc.token); got != tc.want {
			t.Errorf("TokenPrefix(%q) = %q, want %q", tc.token, got, tc.want)
		}
	}
}

func TestEqualHashes(t *testing.T) {
	t.Parallel()
	h := HashToken("tili_example")
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{h, h, true},
		{h, strings.ToUpper(h), false},
		{h, h[:63], false},
		{h, h[:63] + "0", h[63] == '0'},
		{h, "", false},
		{"", "", false},
	} {
		if got := EqualHashes(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualHashes(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
