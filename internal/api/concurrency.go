package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// Optimistic concurrency over HTTP: a record's version is its ETag, and a change names the version it
// was made on in If-Match, so that a change made meanwhile by someone else is refused, not overwritten.

// ETag is the entity tag of a record version.
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// IfMatch reads the version an If-Match header names; missing answers 428, unreadable 400.
func IfMatch(h string) (int64, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, huma.NewError(http.StatusPreconditionRequired, "send the record's ETag in If-Match (from the GET or the last change), so a change made meanwhile by someone else is not overwritten")
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, huma.NewError(http.StatusBadRequest, fmt.Sprintf("If-Match %q is not an ETag of this API; it looks like \"3\"", h))
	}
	return v, nil
}

// optionalIfMatch is IfMatch for the changes that may name their version but need not (binning,
// reassigning): 0 when the header is missing, which the services read as "whatever version it is at".
func optionalIfMatch(h string) (int64, error) {
	if h == "" {
		return 0, nil
	}
	return IfMatch(h)
}
