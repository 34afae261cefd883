package web

import (
	"html/template"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"tili/internal/crm"
	"tili/internal/i18n"
)

// Page is what every page shows around its content: who is signed in, in which language and time zone,
// the navigation, a message from the previous action. The view of each page embeds it, so templates call
// its methods: {{.T "key"}}, {{.Date .Record.CreatedAt}}.
type Page struct {
	Lang      i18n.Lang
	Loc       *time.Location
	User      *crm.User // nil on the pages before sign-in
	Principal crm.Principal
	Title     string
	Nav       string // the navigation item of the page
	Flash     string
	Theme     string // light, dark or "" for the system's
	Path      string // the page's own address, to come back to
	Query     string // what the search box holds
	cat       *i18n.Catalog
	reg       *Registry
	now       time.Time
	region    string // the phone region: numbers of it are shown without their country code
}

// Problem is a domain error said in the page's language; nil for any other error.
func (p *Page) Problem(err error) *crm.Error {
	e, ok := crm.AsError(err)
	if !ok {
		return nil
	}
	return i18n.Problem(p.Lang, e)
}

// ErrText is the message of an error in the page's language, for a flash message.
func (p *Page) ErrText(err error) string { return i18n.ErrorText(p.Lang, err) }

// newPage is the page of a signed-in user: their language, time zone and theme.
func (s *Server) newPage(r *http.Request, p crm.Principal) (*Page, error) {
	u, err := s.svc.Auth.User(r.Context(), p)
	if err != nil {
		return nil, err
	}
	pg := s.AnonymousPage(r)
	pg.User, pg.Principal = u, p
	if l, ok := i18n.Parse(u.Language); ok {
		pg.Lang = l
	}
	if loc, err := time.LoadLocation(u.TimeZone); err == nil {
		pg.Loc = loc
	}
	if u.Theme == "light" || u.Theme == "dark" {
		pg.Theme = u.Theme
	}
	if s.sessions != nil && r.Method == http.MethodGet {
		pg.Flash = s.sessions.PopString(r.Context(), "flash")
	}
	return pg, nil
}

// AnonymousPage is the page before sign-in: the language of the language cookie or the browser.
func (s *Server) AnonymousPage(r *http.Request) *Page {
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			lang = l
		}
	}
	loc, _ := time.LoadLocation("Europe/Helsinki")
	return &Page{Lang: lang, Loc: loc, cat: s.cat, reg: s.reg, Path: r.URL.RequestURI(), now: s.clock.Now(), region: s.phoneRegion}
}

// Navigation is the navigation's entries for everyone, in their order.
func (p *Page) Navigation() []NavEntry { return p.reg.navEntries(false) }

// AdminNavigation is the navigation's entries for administrators, in their order.
func (p *Page) AdminNavigation() []NavEntry { return p.reg.navEntries(true) }

// T is the message key in the page's language; args are name, value pairs for its {placeholders}.
func (p *Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// N is the plural message key for n.
func (p *Page) N(key string, n int, args ...any) string { return p.cat.N(p.Lang, key, n, args...) }

// Enum is the name of an enumerated value in the page's language ("stage", "key_account" → "Avainasiakas").
func (p *Page) Enum(kind string, value any) string {
	v := toString(value)
	if v == "" {
		return ""
	}
	return p.T(kind + "." + v)
}

// Date, Time, DateTime and Rel write times in the user's time zone and language.
func (p *Page) Date(t time.Time) string { return i18n.Date(p.Lang, t, p.Loc) }

// DateTime writes a date and time.
func (p *Page) DateTime(t time.Time) string { return i18n.DateTime(p.Lang, t, p.Loc) }

// Rel writes "today 14.05", "yesterday 9.30" or a date and time.
func (p *Page) Rel(t time.Time) string { return i18n.Relative(p.Lang, t, p.now, p.Loc) }

// Now is the time the page was made.
func (p *Page) Now() time.Time { return p.now }

// ISO writes a time for a <time datetime> attribute.
func (p *Page) ISO(t time.Time) string { return t.In(p.Loc).Format(time.RFC3339) }

// Num writes a whole number with the language's digit grouping.
func (p *Page) Num(n int64) string { return i18n.Number(p.Lang, n) }

// Phone writes an E.164 number as people of Finland read it.
func (p *Page) Phone(e164 string) string { return crm.FormatPhone(e164, p.region) }

// Can tells whether the signed-in user's role is one of roles.
func (p *Page) Can(roles ...string) bool {
	for _, r := range roles {
		if string(p.Principal.Role) == r {
			return true
		}
	}
	return false
}

// CanCreate tells whether the user may add companies and people.
func (p *Page) CanCreate() bool { return crm.Viewer{Principal: p.Principal}.CanCreate() }

// IsAdmin tells whether the signed-in user is an administrator.
func (p *Page) IsAdmin() bool { return p.Principal.Role == crm.Admin }

// toString gives the text of a string or of a named string type (crm.Stage, crm.Role, …).
func toString(v any) string {
	if v == nil {
		return ""
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	return ""
}

// addressFields is one address of a form.
type addressFields struct {
	*Page
	Prefix, Field, Legend, Street, PostalCode, City, Country string
	Problem                                                  *crm.Error
}

// passwordFieldsView is what the shared new-password fields need.
type passwordFieldsView struct {
	*Page
	Problem *crm.Error
}

// consentField is one channel's consent select of the person form.
type consentField struct {
	*Page
	Channel, Value string
	States         []crm.ConsentState
}

// templateFuncs are the few template functions the pages need beyond the Page's methods.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"join":       strings.Join,
		"recordPath": NamedRecordPath,
		"qs":         func(s string) template.URL { return template.URL(s) }, // a stored query string, placed after "?"
		"str":        toString,
		"add":        func(a, b int) int { return a + b },
		"has":        slices.Contains[[]string],
		"hasID":      slices.Contains[[]int64],
		"addr": func(pg *Page, prefix, street, postal, city, country string, problem *crm.Error) addressFields {
			field := map[string]string{"visit": "visiting_address", "post": "postal_address", "bill": "billing_address"}[prefix]
			return addressFields{Page: pg, Prefix: prefix, Field: field, Legend: pg.T("field." + field), Street: street,
				PostalCode: postal, City: city, Country: country, Problem: problem}
		},
		"slice": func(items ...string) []string { return items },
		"passwordFields": func(pg *Page, problem *crm.Error) passwordFieldsView {
			return passwordFieldsView{Page: pg, Problem: problem}
		},
		"consentField": func(pg *Page, channel, value string, states []crm.ConsentState) consentField {
			return consentField{Page: pg, Channel: channel, Value: value, States: states}
		},
		"fieldErr": func(p *crm.Error, field string) string {
			if p != nil && (p.Field == field || strings.HasPrefix(p.Field, field+".")) {
				return p.Message
			}
			return ""
		},
	}
}

// Phones writes E.164 numbers as people of the page's phone region read them.
func Phones(pg *Page, e164 []string) []string {
	out := make([]string, 0, len(e164))
	for _, p := range e164 {
		out = append(out, pg.Phone(p))
	}
	return out
}

// langCookie holds the language a browser chose, for the pages before sign-in.
const langCookie = "tili_lang"

// SetLanguage makes the browser's pages speak lang from now on, signed in or not.
func SetLanguage(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 400 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
}
