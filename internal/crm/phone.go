package crm

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultPhoneRegion is the region a phone number without a country code is read in, unless configured.
const DefaultPhoneRegion = "FI"

// ParsePhone reads a phone number as people write it ("+358 40 123 4567", "040-1234567", "(09) 123 456")
// and returns it in E.164 ("+358401234567"). A number without a country code is read in region (an ISO
// 3166 code such as FI).
func ParsePhone(s, region string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", FieldError("phone", "the phone number is empty")
	}
	if region == "" {
		region = DefaultPhoneRegion
	}
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", FieldError("phone", "%q is not a phone number we recognise; write it with its area or mobile prefix, e.g. 040 123 4567 or +358 40 123 4567", s)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// FormatPhone shows an E.164 number the way people of region read it: nationally for their own country,
// internationally otherwise. A value that does not parse is returned as is.
func FormatPhone(e164, region string) string {
	num, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(num) == strings.ToUpper(region) {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// phoneWords are the words a phone number is found by: the international digits, the national
// significant number and the national form with its trunk prefix ("358401234567", "401234567",
// "0401234567"), so a number typed in any common way is a prefix of one of them. They are taken from
// the country calling code and its region's trunk prefix, without parsing the number again.
func phoneWords(e164 string) []string {
	digits := strings.TrimPrefix(e164, "+")
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc, err := strconv.Atoi(digits[:n])
		if err != nil {
			break
		}
		region := phonenumbers.GetRegionCodeForCountryCode(cc)
		if region == "ZZ" || region == "" {
			continue // calling codes are prefix-free: exactly one length is a code
		}
		nsn := digits[n:]
		words := []string{digits, nsn}
		if trunk := phonenumbers.GetNddPrefixForRegion(region, true); trunk != "" {
			words = append(words, trunk+nsn)
		}
		return uniqueStrings(words)
	}
	return []string{digits}
}

// phoneQuery turns typed text that looks like a phone number ("+358 40 12", "040-123", "(09) 1")
// into the one word search compares it as; ok is false for any other text.
func phoneQuery(s string) (word string, ok bool) {
	s = strings.TrimSpace(s)
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-()/. ", r):
		default:
			return "", false
		}
	}
	if digits < 3 || !strings.ContainsAny(s, "+-()/. ") && !strings.HasPrefix(s, "0") {
		return "", false // plain numbers like "2020" stay ordinary words
	}
	d := digitsOnly(s)
	if strings.HasPrefix(s, "00") {
		d = d[2:]
	}
	return d, d != ""
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
