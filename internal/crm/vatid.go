package crm

import (
	"regexp"
	"strings"
)

// vatFormats holds, per EU member state prefix, the shape of the number after the prefix and an example.
var vatFormats = map[string]struct {
	re      *regexp.Regexp
	example string
}{
	"AT": {regexp.MustCompile(`^U\d{8}$`), "ATU12345678"},
	"BE": {regexp.MustCompile(`^[01]\d{9}$`), "BE0123456789"},
	"BG": {regexp.MustCompile(`^\d{9,10}$`), "BG123456789"},
	"CY": {regexp.MustCompile(`^\d{8}[A-Z]$`), "CY12345678X"},
	"CZ": {regexp.MustCompile(`^\d{8,10}$`), "CZ12345678"},
	"DE": {regexp.MustCompile(`^\d{9}$`), "DE123456789"},
	"DK": {regexp.MustCompile(`^\d{8}$`), "DK12345678"},
	"EE": {regexp.MustCompile(`^\d{9}$`), "EE123456789"},
	"EL": {regexp.MustCompile(`^\d{9}$`), "EL123456789"},
	"ES": {regexp.MustCompile(`^[A-Z0-9]\d{7}[A-Z0-9]$`), "ESX1234567X"},
	"FI": {regexp.MustCompile(`^\d{8}$`), "FI01120389"},
	"FR": {regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`), "FR12345678901"},
	"HR": {regexp.MustCompile(`^\d{11}$`), "HR12345678901"},
	"HU": {regexp.MustCompile(`^\d{8}$`), "HU12345678"},
	"IE": {regexp.MustCompile(`^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`), "IE1234567WA"},
	"IT": {regexp.MustCompile(`^\d{11}$`), "IT12345678901"},
	"LT": {regexp.MustCompile(`^(\d{9}|\d{12})$`), "LT123456789"},
	"LU": {regexp.MustCompile(`^\d{8}$`), "LU12345678"},
	"LV": {regexp.MustCompile(`^\d{11}$`), "LV12345678901"},
	"MT": {regexp.MustCompile(`^\d{8}$`), "MT12345678"},
	"NL": {regexp.MustCompile(`^\d{9}B\d{2}$`), "NL123456789B01"},
	"PL": {regexp.MustCompile(`^\d{10}$`), "PL1234567890"},
	"PT": {regexp.MustCompile(`^\d{9}$`), "PT123456789"},
	"RO": {regexp.MustCompile(`^[1-9]\d{1,9}$`), "RO1234567890"},
	"SE": {regexp.MustCompile(`^\d{10}01$`), "SE123456789701"},
	"SI": {regexp.MustCompile(`^\d{8}$`), "SI12345678"},
	"SK": {regexp.MustCompile(`^\d{10}$`), "SK1234567890"},
	"XI": {regexp.MustCompile(`^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`), "XI123456789"},
}

// ParseVATID checks an EU VAT identification number against its member state's format and returns it
// normalised: upper case, no spaces, dots or dashes ("fi 0112 0389" → "FI01120389"). A Finnish number
// must also carry a valid business ID check digit. Greece's ISO code GR is accepted for its VAT prefix EL.
func ParseVATID(s string) (string, error) {
	v := strings.ToUpper(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\t':
			return -1
		}
		return r
	}, s))
	if len(v) < 3 {
		return "", FieldError("vat_id", "write the VAT number with its country prefix, e.g. FI01120389")
	}
	country, number := v[:2], v[2:]
	if country == "GR" {
		country = "EL"
	}
	f, ok := vatFormats[country]
	if !ok {
		return "", FieldError("vat_id", "%q is not an EU VAT country prefix; start with e.g. FI, SE, DE or EE", v[:2])
	}
	if !f.re.MatchString(number) {
		return "", FieldError("vat_id", "%s is not written as a VAT number of %s: it looks like %s", country+number, country, f.example)
	}
	if country == "FI" {
		if c := businessIDCheckDigit(number[:7]); c != int(number[7]-'0') {
			return "", FieldError("vat_id", "%s is not a valid Finnish VAT number: the check digit does not match", country+number)
		}
	}
	return country + number, nil
}

// VATIDFromBusinessID returns the Finnish VAT number of a business ID ("0112038-9" → "FI01120389").
func VATIDFromBusinessID(businessID string) string {
	return "FI" + strings.ReplaceAll(businessID, "-", "")
}
