// Package auth holds the security primitives of sign-in: password hashing and policy, one-time and API tokens.
package auth

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"tili/internal/crm"
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	KeyLen  uint32 // bytes of derived key stored
	SaltLen uint32 // bytes of random salt
}

// DefaultParams is OWASP's baseline for argon2id (Password Storage Cheat Sheet: m=19 MiB, t=2, p=1),
// chosen so that a sign-in costs tens of milliseconds on a small server. Hashes made with other
// parameters are reported by VerifyPassword as needing a rehash. Read-only: change the code, not the
// variable.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// Limits on parameters, checked when hashing and when reading a stored hash back. They are far above
// anything tili writes; they keep a corrupted or planted row from making one verification allocate
// gigabytes or run for minutes.
const (
	maxMemory = 1 << 18 // KiB = 256 MiB
	maxTime   = 16
	minSalt   = 8 // RFC 9106's minimum
	maxSalt   = 64
	minKey    = 16
	maxKey    = 64
)

// Password length limits, counted in characters (runes), not bytes: ä and ö count once each.
const (
	minPasswordLen = 12
	maxPasswordLen = 128
)

var b64 = base64.RawStdEncoding.Strict()

// HashPassword derives an argon2id hash of password with a fresh random salt and returns it in the
// PHC string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func HashPassword(password string, p Params) (string, error) {
	if err := p.check(); err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails (crypto/rand, Go 1.24+)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func (p Params) check() error {
	switch {
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("argon2 memory %d KiB: want %d to %d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2 time %d: want 1 to %d", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.SaltLen < minSalt || p.SaltLen > maxSalt:
		return fmt.Errorf("argon2 salt length %d: want %d to %d bytes", p.SaltLen, minSalt, maxSalt)
	case p.KeyLen < minKey || p.KeyLen > maxKey:
		return fmt.Errorf("argon2 key length %d: want %d to %d bytes", p.KeyLen, minKey, maxKey)
	}
	return nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id hash, and, when it does,
// whether the hash was made with parameters other than DefaultParams so the caller should store a
// fresh HashPassword(password, DefaultParams). A malformed hash is an error (which never repeats the
// hash); ok and needsRehash are then false.
func VerifyPassword(encoded, password string) (ok bool, needsRehash bool, err error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p != DefaultParams, nil
}

var errMalformed = errors.New("auth: malformed password hash")

func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("%w: want 5 fields separated by $", errMalformed)
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: algorithm is not argon2id", errMalformed)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: version is not %d", errMalformed, argon2.Version)
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want parameters m, t, p", errMalformed)
	}
	m, err := paramValue(kv[0], "m=", 32)
	if err != nil {
		return p, nil, nil, err
	}
	t, err := paramValue(kv[1], "t=", 32)
	if err != nil {
		return p, nil, nil, err
	}
	th, err := paramValue(kv[2], "p=", 8)
	if err != nil {
		return p, nil, nil, err
	}
	salt, err = b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt is not base64", errMalformed)
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash is not base64", errMalformed)
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th), KeyLen: uint32(len(key)), SaltLen: uint32(len(salt))}
	if err := p.check(); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: %w", errMalformed, err)
	}
	return p, salt, key, nil
}

// paramValue parses "m=19456" and the like, refusing anything but a canonical decimal number so that
// one set of parameters has one spelling.
func paramValue(s, prefix string, bits int) (uint64, error) {
	digits, found := strings.CutPrefix(s, prefix)
	v, err := strconv.ParseUint(digits, 10, bits)
	if !found || err != nil || strconv.FormatUint(v, 10) != digits {
		return 0, fmt.Errorf("%w: bad parameter %q", errMalformed, s)
	}
	return v, nil
}

// CheckPasswordPolicy applies ASVS 5.0 level 2 to a new password: 12 to 128 characters, any
// characters including spaces, no composition rules, and not one of the common passwords nor the
// user's own e-mail address, its local part or name (userInputs, compared ignoring case; for an
// input with an "@" its local part is checked too). The error is a crm.FieldError on "password"
// that tells the user what to do.
func CheckPasswordPolicy(password string, userInputs ...string) error {
	if !utf8.ValidString(password) {
		return crm.FieldError("password", "the password contains bytes that are not text; type it again")
	}
	n := utf8.RuneCountInString(password)
	if n < minPasswordLen {
		return crm.FieldError("password", "use at least %d characters; a few unrelated words make a good password", minPasswordLen)
	}
	if n > maxPasswordLen {
		return crm.FieldError("password", "use at most %d characters", maxPasswordLen)
	}
	if IsCommonPassword(password) {
		return crm.FieldError("password", "this password is among the most common ones; choose another")
	}
	for _, in := range userInputs {
		in = strings.TrimSpace(in)
		local, _, _ := strings.Cut(in, "@")
		if in != "" && strings.EqualFold(password, in) || local != "" && strings.EqualFold(password, local) {
			return crm.FieldError("password", "do not use your name or e-mail address as the password; choose something only you know")
		}
	}
	return nil
}

// IsCommonPassword reports whether p, ignoring case, is on the embedded list of common passwords.
func IsCommonPassword(p string) bool {
	_, found := slices.BinarySearch(commonPasswords(), strings.ToLower(p))
	return found
}

// commonPasswordsGz is built by tools/commonpasswords; see commonpasswords.NOTICE.
//
//go:embed commonpasswords.txt.gz
var commonPasswordsGz []byte

// commonPasswords returns the sorted list, decompressed on first use (about 1 MB in memory) so that
// programs that never check a password do not pay for it. The slice is never modified after it is
// built. A broken embedded file is a build defect that the tests catch, hence the panic.
var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("auth: embedded common password list: " + err.Error())
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		panic("auth: embedded common password list: " + err.Error())
	}
	// One string, sliced per line: one allocation for the text instead of one per password.
	list := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	slices.Sort(list)
	return slices.Compact(list)
})
