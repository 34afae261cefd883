package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	_ "embed"

	"tili/internal/crm"
)

// The domain's errors are made in English from a format and its arguments (crm.FieldError, crm.Errorf).
// errors.fi.json maps each such format to its Finnish format, with the same verbs in the same order, so
// the user interface can say an error in Finnish with the values it carries.
//
//go:embed errors.fi.json
var finnishErrors []byte

var errorFormats = mustLoadErrorFormats(finnishErrors)

func mustLoadErrorFormats(data []byte) map[string]string {
	m, err := ParseErrorFormats(data)
	if err != nil {
		panic(err)
	}
	return m
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Verbs lists the formatting verbs of a format in order ("%q", "%s", "%d" …), leaving out "%%".
func Verbs(format string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(format, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// ParseErrorFormats reads an English format → Finnish format table and refuses a translation whose
// verbs differ from the English ones.
func ParseErrorFormats(data []byte) (map[string]string, error) {
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("i18n: errors.fi.json: %w", err)
	}
	var errs []error
	for en, fi := range m {
		if !slices.Equal(Verbs(en), Verbs(fi)) {
			errs = append(errs, fmt.Errorf("i18n: errors.fi.json: %q has the verbs %v, its Finnish %q has %v", en, Verbs(en), fi, Verbs(fi)))
		}
	}
	return m, errors.Join(errs...)
}

// HasErrorFormat tells whether an English error format has a Finnish translation.
func HasErrorFormat(format string) bool {
	_, ok := errorFormats[format]
	return ok
}

// Problem returns e as said in language l: a copy whose message is the translation of its format filled
// with the same values, or e itself when l is English or no translation exists.
func Problem(l Lang, e *crm.Error) *crm.Error {
	if e == nil || l == En {
		return e
	}
	format, args := e.Template()
	fi, ok := errorFormats[format]
	if !ok {
		return e
	}
	out := *e
	out.Message = fmt.Sprintf(fi, args...)
	return &out
}

// ErrorText is the message of err in language l, for a flash or an error page: the domain error's
// message (without its field name), or a general sentence for an error that is not the user's to fix.
func ErrorText(l Lang, err error) string {
	var e *crm.Error
	if errors.As(err, &e) {
		return Problem(l, e).Message
	}
	if l == Fi {
		return "Jokin meni vikaan palvelimella."
	}
	return "Something went wrong on the server."
}
