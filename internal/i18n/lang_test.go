package i18n

import "testing"

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   Lang
	}{
		{"fi-FI,fi;q=0.9,en;q=0.8", Fi},
		{"en-US,en;q=0.9", En},
		{"EN-gb", En},
		{"sv-FI", Fi},
		{"sv-SE,sv;q=0.9,en;q=0.8", Fi},
		{"de", Fi},
		{"de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", En},
		{"", Fi},
		{"*", Fi},
		{"%%%;;q=zz,,,\x00ü", Fi},
		{"en;q=0.5, fi;q=0.9", Fi},
		{"fi;q=0.5, en;q=0.9", En},
		{"en, fi", En},           // a tie goes to the earlier
		{"en;q=0", Fi},           // refused, so the default
		{"fi;q=0, en;q=0.1", En}, // Finnish refused, English accepted
		{"en;q=2, fi;q=0.1", Fi}, // a q above 1 is malformed: the entry is ignored
		{"en;q=NaN", Fi},
		{"en;q=abc", Fi},
		{"en ; Q = 0.7 , fi ; q=0.6", En},
		{"english", Fi},
		{"en-<script>", Fi},
	}
	for _, tt := range tests {
		if got := Match(tt.header); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want Lang
		ok   bool
	}{
		{"fi", Fi, true},
		{"FI", Fi, true},
		{"fi-FI", Fi, true},
		{"fi_FI", Fi, true},
		{"fin", Fi, true},
		{"en", En, true},
		{"en-GB", En, true},
		{" en-US ", En, true},
		{"sv", "", false},
		{"de-FI", "", false},
		{"", "", false},
		{"f", "", false},
		{"fi-", "", false},
		{"finnish", "", false},
		{"fi-<b>", "", false},
		{"fi,en", "", false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.s)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}
