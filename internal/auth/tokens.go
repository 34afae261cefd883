package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenBytes of randomness make a token: 256 bits, beyond guessing and beyond precomputation.
const tokenBytes = 32

// NewToken returns prefix + "_" + 32 random bytes in unpadded base64url, e.g. "tili_…" for API tokens
// and "set_…" for one-time links. The prefix says what a leaked token is (secret scanners and people
// can tell) and must be 1 to 16 lower-case ASCII letters or digits, so that the first "_" ends it.
func NewToken(prefix string) (token string, err error) {
	if !validTokenPrefix(prefix) {
		return "", fmt.Errorf("auth: token prefix %q: want 1 to 16 lower-case letters or digits", prefix)
	}
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return prefix + "_" + base64.RawURLEncoding.EncodeToString(b), nil
}

func validTokenPrefix(prefix string) bool {
	if prefix == "" || len(prefix) > 16 {
		return false
	}
	for _, c := range []byte(prefix) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// HashToken returns the hex SHA-256 of token, the form in which tokens are stored and looked up. A
// slow password hash would add nothing here: a token carries 256 random bits, so a leaked hash cannot
// be reversed by guessing however fast the hash is, and a fast, unsalted hash lets the database find
// the token by an index on the hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenPrefix returns the first 12 characters of token (the whole token if shorter), enough to tell
// a user's tokens apart in a list. It shows at most 8 of the 43 random characters, leaving more than
// 200 bits unknown.
func TokenPrefix(token string) string {
	const n = 12
	if len(token) <= n {
		return token
	}
	return token[:n]
}

// EqualHashes compares two token hashes in time that does not depend on where they differ. An empty
// hash (a missing value) equals nothing, not even another empty one.
func EqualHashes(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
