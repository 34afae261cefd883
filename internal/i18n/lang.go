// Package i18n loads and checks tili's message catalogs (Finnish and English; the catalogs themselves
// live beside the pages that speak them), says the domain's errors in Finnish, picks the language of a
// request, and formats dates, times, numbers and money the way each language writes them.
package i18n

import (
	"strconv"
	"strings"
)

// Lang is a language tili speaks: Fi or En.
type Lang string

// The languages of the user interface. Finnish is the default.
const (
	Fi Lang = "fi"
	En Lang = "en"
)

// Langs lists the languages in the order a language menu shows them.
var Langs = []Lang{Fi, En}

// Parse reads a language a user or a URL names: "fi", "FI", "fi-FI", "fi_FI", "en-GB", "eng" … It
// reports false for any other language, Swedish included: unlike Match, which must pick something for
// every browser, Parse answers whether the name is one tili speaks.
func Parse(s string) (Lang, bool) {
	base, ok := primary(strings.TrimSpace(s))
	if !ok {
		return "", false
	}
	switch base {
	case "fi", "fin":
		return Fi, true
	case "en", "eng":
		return En, true
	}
	return "", false
}

// Match picks the language for an Accept-Language header: the Finnish or English entry with the
// highest q-value, the earlier one on a tie. Swedish counts as Finnish: a Swedish-speaking Finn reads
// Finnish and meets Finnish at work, so Finnish serves them better than English. A header that names
// neither (or cannot be read) gets Finnish, the default.
func Match(acceptLanguage string) Lang {
	best, bestQ := Fi, 0.0
	for entry := range strings.SplitSeq(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(entry, ";")
		base, ok := primary(strings.TrimSpace(tag))
		if !ok {
			continue
		}
		var l Lang
		switch base {
		case "fi", "fin", "sv", "swe":
			l = Fi
		case "en", "eng":
			l = En
		default:
			continue
		}
		q, ok := qvalue(params)
		if ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// primary returns the lower-case primary subtag of a BCP 47 language tag ("fi" of "fi-FI"), checking
// that the tag is made of 1–8 character alphanumeric subtags, so that garbage never matches.
func primary(tag string) (string, bool) {
	if tag == "" {
		return "", false
	}
	tag = strings.ReplaceAll(tag, "_", "-")
	base := ""
	for i, sub := range strings.Split(tag, "-") {
		if len(sub) < 1 || len(sub) > 8 {
			return "", false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j]
			alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			if !alpha && (i == 0 || c < '0' || c > '9') {
				return "", false
			}
		}
		if i == 0 {
			base = strings.ToLower(sub)
		}
	}
	return base, true
}

// qvalue reads the q parameter of one Accept-Language entry: 1 when absent; false when it is
// malformed or outside 0…1, so that the entry is ignored rather than guessed at.
func qvalue(params string) (float64, bool) {
	q := 1.0
	for p := range strings.SplitSeq(params, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return 0, false
		}
		q = v
	}
	return q, true
}
