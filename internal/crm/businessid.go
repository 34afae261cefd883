package crm

import "strings"

// ParseBusinessID checks a Finnish business ID (Y-tunnus, "NNNNNNN-C") and returns it normalised.
// The check digit C is 11 minus the weighted sum mod 11 (weights 7,9,10,5,8,4,2); a remainder of 1 is
// never issued, a remainder of 0 gives C = 0. Old six-digit IDs are written with a leading zero.
func ParseBusinessID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && !strings.Contains(s, "-") { // "01120389" as typed into spreadsheets
		s = s[:7] + "-" + s[7:]
	}
	if len(s) == 8 && s[6] == '-' { // "112038-9": the leading zero dropped by a spreadsheet
		s = "0" + s
	}
	if len(s) == 9 && s[7] == '-' && allDigits(s[:7]) && allDigits(s[8:]) {
		if businessIDCheckDigit(s[:7]) == int(s[8]-'0') {
			return s, nil
		}
		return "", FieldError("business_id", "%s is not a valid business ID: the check digit does not match", s)
	}
	return "", FieldError("business_id", "write the business ID as seven digits, a dash and a check digit, e.g. 0112038-9")
}

// businessIDCheckDigit returns the check digit of seven digits, or -1 when none can be issued.
func businessIDCheckDigit(digits string) int {
	weights := [7]int{7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	switch r := sum % 11; r {
	case 0:
		return 0
	case 1:
		return -1
	default:
		return 11 - r
	}
}

// BusinessIDFromDigits completes seven digits into a business ID with its check digit; ok is false when
// no ID can be issued for them.
func BusinessIDFromDigits(digits string) (id string, ok bool) {
	if len(digits) != 7 || !allDigits(digits) {
		return "", false
	}
	c := businessIDCheckDigit(digits)
	if c < 0 {
		return "", false
	}
	return digits + "-" + string(rune('0'+c)), true
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
