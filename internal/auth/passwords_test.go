package auth

import (
	"errors"
	"strings"
	"testing"

	"tili/internal/crm"
)

// cheap keeps tests that only need "some other parameters" fast.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Made by the reference implementation (Debian's argon2 CLI), not by this package:
//
//	echo -n "correct horse battery staple" | argon2 tilisaltexample1 -id -t 2 -k 19456 -p 1 -l 32 -e
//	echo -n "kesä mökki järvi" | argon2 suolaa-16-tavua! -id -t 1 -k 64 -p 1 -l 32 -e
const (
	referenceDefault = "$argon2id$v=19$m=19456,t=2,p=1$dGlsaXNhbHRleGFtcGxlMQ$lLTIfvRd8xZvpi5qx7lVmyt5eLb2zfM1Cs1x6fyiyTE"
	referenceCheap   = "$argon2id$v=19$m=64,t=1,p=1$c3VvbGFhLTE2LXRhdnVhIQ$6IKHD/d0J/rTKFOa0aNmB9pMOfyzoP/B7/OnTy9+Nl8"
)

func TestHashPasswordFormatAndRoundTrip(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	h, err := HashPassword(pw, DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	const head = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(h, head) {
		t.Fatalf("hash %q does not start with %q", h, head)
	}
	saltAndKey := strings.Split(strings.TrimPrefix(h, head), "$")
	if len(saltAndKey) != 2 || len(saltAndKey[0]) != 22 || len(saltAndKey[1]) != 43 {
		t.Fatalf("want 16-byte salt and 32-byte key in unpadded base64 (22 and 43 characters), got %q", saltAndKey)
	}
	ok, rehash, err := VerifyPassword(h, pw)
	if !ok || rehash || err != nil {
		t.Fatalf("VerifyPassword(own hash, right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	ok, rehash, err = VerifyPassword(h, "correct horse battery stapl")
	if ok || rehash || err != nil {
		t.Fatalf("VerifyPassword(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
}

func TestVerifyPasswordReferenceHashes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		encoded, password string
		ok, rehash        bool
	}{
		{referenceDefault, "correct horse battery staple", true, false},
		{referenceDefault, "Correct horse battery staple", false, false},
		{referenceCheap, "kesä mökki järvi", true, true},
		{referenceCheap, "kesa mokki jarvi", false, false},
	} {
		ok, rehash, err := VerifyPassword(tc.encoded, tc.password)
		if err != nil || ok != tc.ok || rehash != tc.rehash {
			t.Errorf("VerifyPassword(%.40q…, %q) = %v, %v, %v; want %v, %v, nil", tc.encoded, tc.password, ok, rehash, err, tc.ok, tc.rehash)
		}
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	t.Parallel()
	a, err := HashPassword("same password twice", cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassword("same password twice", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two hashes of one password are equal: %s", a)
	}
	saltA, saltB := strings.Split(a, "$")[4], strings.Split(b, "$")[4]
	if saltA == saltB {
		t.Fatalf("two hashes share the salt %s", saltA)
	}
	for _, h := range []string{a, b} {
		if ok, _, err := VerifyPassword(h, "same password twice"); !ok || err != nil {
			t.Fatalf("VerifyPassword(%s) = %v, %v", h, ok, err)
		}
	}
}

func TestVerifyPasswordTampered(t *testing.T) {
	t.Parallel()
	const pw = "a long enough password"
	h, err := HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "$")
	flip := func(s string, i int) string { // a different base64 character at i, still canonical
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	for name, tampered := range map[string]string{
		"hash byte":      strings.Join(append(parts[:5:5], flip(parts[5], 10)), "$"),
		"salt byte":      strings.Join(append(parts[:4:4], flip(parts[4], 3), parts[5]), "$"),
		"time (t=1→2)":   strings.Replace(h, "t=1,", "t=2,", 1),
		"memory (64→72)": strings.Replace(h, "m=64,", "m=72,", 1),
	} {
		if tampered == h {
			t.Fatalf("%s: tampering changed nothing", name)
		}
		ok, rehash, err := VerifyPassword(tampered, pw)
		if ok || rehash || err != nil {
			t.Errorf("%s: VerifyPassword = %v, %v, %v; want false, false, nil", name, ok, rehash, err)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	t.Parallel()
	const salt, key = "c3VvbGFhLTE2LXRhdnVhIQ", "6IKHD/d0J/rTKFOa0aNmB9pMOfyzoP/B7/OnTy9+Nl8"
	for _, tc := range []struct{ name, encoded string }{
		{"empty", ""},
		{"plain text", "hunter2"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"missing hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"extra field", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$"},
		{"text before", "x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"param missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key},
		{"param extra", "$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + key},
		{"param not a number", "$argon2id$v=19$m=lots,t=1,p=1$" + salt + "$" + key},
		{"param negative", "$argon2id$v=19$m=64,t=-1,p=1$" + salt + "$" + key},
		{"param leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"param plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"threads 0", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"threads over 255", "$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key},
		{"time 0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"memory over uint32", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key},
		{"memory 4 GiB", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key},
		{"time 1000", "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$c3VvbGFh*TE2LXRhdnVhIQ$" + key},
		{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"empty hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		{"hash too short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$6IKHD/d0J/rTKFOa"},
		{"hash non-canonical last character", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "9"},
		{"hash URL alphabet", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.ReplaceAll(key, "/", "_")},
	} {
		ok, rehash, err := VerifyPassword(tc.encoded, "kesä mökki järvi")
		if err == nil || ok || rehash {
			t.Errorf("%s: VerifyPassword(%q) = %v, %v, %v; want an error", tc.name, tc.encoded, ok, rehash, err)
			continue
		}
		if !errors.Is(err, errMalformed) {
			t.Errorf("%s: error %v does not wrap errMalformed", tc.name, err)
		}
		if strings.Contains(err.Error(), key[:10]) {
			t.Errorf("%s: error %q repeats the hash", tc.name, err)
		}
	}
	// The well-formed original of the rows above, so the table tests the format and not the data.
	if ok, _, err := VerifyPassword("$argon2id$v=19$m=64,t=1,p=1$"+salt+"$"+key, "kesä mökki järvi"); !ok || err != nil {
		t.Fatalf("well-formed reference hash: %v, %v", ok, err)
	}
}

func TestVerifyPasswordNeedsRehash(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		p      Params
		rehash bool
	}{
		{"default", DefaultParams, false},
		{"less memory and time", cheap, true},
		{"two threads", Params{Memory: 64, Time: 1, Threads: 2, KeyLen: 32, SaltLen: 16}, true},
		{"shorter key", Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 16, SaltLen: 16}, true},
		{"longer salt", Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 32}, true},
	} {
		h, err := HashPassword("kesä mökki järvi sauna", tc.p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		ok, rehash, err := VerifyPassword(h, "kesä mökki järvi sauna")
		if !ok || err != nil || rehash != tc.rehash {
			t.Errorf("%s: VerifyPassword = %v, %v, %v; want true, %v, nil", tc.name, ok, rehash, err, tc.rehash)
		}
	}
}

func TestHashPasswordRefusesBadParams(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{
		{},
		{Memory: 64, Time: 0, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 0, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 4},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 0, SaltLen: 16},
		{Memory: 1 << 22, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
	} {
		if h, err := HashPassword("kesä mökki järvi sauna", p); err == nil {
			t.Errorf("HashPassword(%+v) = %q, want an error", p, h)
		}
	}
}

func TestCheckPasswordPolicy(t *testing.T) {
	t.Parallel()
	const (
		tooShort = "use at least 12 characters; a few unrelated words make a good password"
		tooLong  = "use at most 128 characters"
		common   = "this password is among the most common ones; choose another"
		personal = "do not use your name or e-mail address as the password; choose something only you know"
	)
	user := []string{"maija.meikalainen@example.fi", "maija.meikalainen", "Maija Meikäläinen"}
	for _, tc := range []struct {
		name, password string
		want           string // "" for accepted
	}{
		{"11 characters", "abcdefghijk", tooShort},
		{"12 characters", "abcdefghijkl", ""},
		{"11 ä (22 bytes)", strings.Repeat("ä", 11), tooShort},
		{"12 ä", strings.Repeat("ä", 12), ""},
		{"128 characters", strings.Repeat("kesä ", 25) + "abc", ""},
		{"129 characters", strings.Repeat("kesä ", 25) + "abcd", tooLong},
		{"128 ä (256 bytes)", strings.Repeat("ä", 128), ""},
		{"spaces kept, not trimmed", "   kesäpäivä", ""},
		{"common", "password1234", common},
		{"common upper case", "PASSWORD1234", common},
		{"common mixed case", "Qwerty123456", common},
		{"common keyboard walk", "1qaz2wsx3edc", common},
		{"common 123456789012", "123456789012", common},
		{"e-mail", "maija.meikalainen@example.fi", personal},
		{"e-mail upper case", "Maija.Meikalainen@Example.FI", personal},
		{"local part", "MAIJA.MEIKALAINEN", personal},
		{"name", "maija meikäläinen", personal},
		{"name, Ä folded", "MAIJA MEIKÄLÄINEN", personal},
		{"name with more", "Maija Meikäläinen 1975", ""},
		{"Finnish passphrase", "kesä mökki järvi sauna", ""},
		{"invalid UTF-8", "abcdefghijk\xff\xfe", "the password contains bytes that are not text; type it again"},
	} {
		err := CheckPasswordPolicy(tc.password, user...)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: CheckPasswordPolicy(%q) = %v, want nil", tc.name, tc.password, err)
			}
			continue
		}
		e, ok := crm.AsError(err)
		if !ok || e.Code != crm.Invalid || e.Field != "password" || e.Message != tc.want {
			t.Errorf("%s: CheckPasswordPolicy(%q) = %#v, want invalid password: %q", tc.name, tc.password, err, tc.want)
		}
	}
	// The local part is found in the e-mail address when the caller does not pass it.
	if e, ok := crm.AsError(CheckPasswordPolicy("Maija.Meikalainen", "maija.meikalainen@example.fi")); !ok || e.Message != personal {
		t.Errorf("local part of the e-mail address accepted or wrongly refused: %v", e)
	}
	// Empty user inputs (no name given) must not match anything.
	if err := CheckPasswordPolicy("kesä mökki järvi sauna", "", "  ", "@example.fi"); err != nil {
		t.Errorf("empty user inputs: %v", err)
	}
}

func TestIsCommonPassword(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"123456", "password", "Password", "qwertyuiop", "letmein", "trustno1", "password1234", "iloveyou", "XPCREW"} {
		if !IsCommonPassword(p) {
			t.Errorf("IsCommonPassword(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"", "kesä mökki järvi sauna", "tili-crm-2026-blue-otter", "password12345678x"} {
		if IsCommonPassword(p) {
			t.Errorf("IsCommonPassword(%q) = true, want false", p)
		}
	}
	list := commonPasswords()
	if len(list) <= 10000 {
		t.Fatalf("common password list has %d entries, want more than 10 000", len(list))
	}
	for i, p := range list {
		if p == "" || p != strings.ToLower(p) || (i > 0 && list[i-1] >= p) {
			t.Fatalf("entry %d %q: want non-empty, lower-case, sorted and unique", i, p)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add(referenceCheap, "kesä mökki järvi")
	f.Add(referenceCheap, "")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$", "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=255$c3VvbGFhLTE2LXRhdnVhIQ$6IKHD/d0J/rTKFOa0aNmB9pMOfyzoP/B7/OnTy9+Nl8", "x")
	f.Add("$$$$$", "")
	f.Add("$argon2id$v=19$m=,t=,p=$=$=", "")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		ok, rehash, err := VerifyPassword(encoded, password)
		if err != nil && (ok || rehash) {
			t.Fatalf("VerifyPassword(%q) = %v, %v, %v: an error must come with false, false", encoded, ok, rehash, err)
		}
		if rehash && !ok {
			t.Fatalf("VerifyPassword(%q): needsRehash without a match", encoded)
		}
	})
}
