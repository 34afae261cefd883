package web

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
)

// Form is the form kit: one kind's pages that create and edit a record. A refused form comes back as the
// user left it with each problem next to its field; a new record like an existing one asks once before
// saving; an edit of a record someone else saved meanwhile shows their values beside the user's, and
// saving again applies the user's. R is the record's Go type and F the form as typed, a struct of
// strings. Its fields' tags say what the kit does
// with them: `form:"NAME"` reads the field from the posted form field NAME, and `diff:"KEY"` compares it
// on the conflict page under the label field.KEY (`diff:"KEY,enum"` shows the value as the enumeration
// KEY names it; fields of one KEY are compared together, joined by spaces).
//
// The kind's messages are found by its noun (company): company.created and company.saved are the
// messages after saving, company.edit titles the edit page and company.may_not_edit refuses it.
type Form[R any, F any] struct {
	Records Records[R]
	// Page is the form's template ("companies/form"); it embeds FormView.
	Page string
	// NewTitle is the message key of the title of a new record's form.
	NewTitle string
	Fields   FormFields[R, F]
	// Choices are the values the form's selects offer, the same for every form.
	Choices any
}

// FormFields are the kind's own parts of its form.
type FormFields[R any, F any] interface {
	// MayNotAdd refuses a role that may not add records of the kind.
	MayNotAdd(role crm.Role) error
	// Blank is the form of a new record; the query string may name a related record to start with.
	Blank(r *http.Request, pg *Page) F
	// Of is the form of a saved record.
	Of(r *http.Request, pg *Page, rec R) F
	// Record turns the form into record id (0: a new one) at version, finding a related record by its
	// typed name where the picker gave no id (and setting it in f); a value that is not one is a field
	// error.
	Record(r *http.Request, pg *Page, id, version int64, f *F) (R, error)
	// Valid tells whether the record would pass the domain's checks, for asking about lookalikes only
	// about a record that could be saved; it must not change rec.
	Valid(rec R, phoneRegion string) bool
	// Keep carries over from the saved record what the form does not change (the owner changes by
	// reassigning), and leaves out the confidential fields of a user who may not write them.
	Keep(rec, saved R, confidential bool)
}

// FormView is what every form page shows.
type FormView[F any] struct {
	*Page
	Kind        *crm.Kind
	F           F
	ID, Version int64
	New         bool
	// Confidential tells whether the user may write the kind's confidential fields.
	Confidential bool
	Problem      *crm.Error
	LikelyView
	Conflict bool
	Diffs    []DiffLine
	Users    []*crm.User
	Teams    []*crm.Team
	Choices  any
}

// DiffLine is a field that differs between the saved record and what the user typed.
type DiffLine struct {
	Field, Theirs, Yours string
}

// Routes registers the new record's form and the edit form under the kind's path.
func (f Form[R, F]) Routes(s *Server, mux Mux) {
	path := f.Records.Kind.Path
	mux.HandleFunc("GET "+path+"/new", s.SignedIn(f.blank(s)))
	mux.HandleFunc("POST "+path+"/new", s.SignedIn(f.create(s)))
	mux.HandleFunc("GET "+path+"/{id}/edit", s.SignedIn(f.edit(s)))
	mux.HandleFunc("POST "+path+"/{id}/edit", s.SignedIn(f.update(s)))
}

// view is the form's view with the users and teams to choose from; editing record id (0: a new one), it
// knows whether the user may write its confidential fields.
func (f Form[R, F]) view(s *Server, r *http.Request, pg *Page, form F, id int64) (FormView[F], error) {
	v := FormView[F]{Page: pg, Kind: f.Records.Kind, F: form, ID: id, New: id == 0, Confidential: true, Choices: f.Choices}
	if id != 0 {
		rights, err := f.Records.Use.Rights(r.Context(), pg.Principal, id)
		if err != nil {
			return v, err
		}
		v.Confidential = rights.Confidential
	}
	return v, nil
}

// blank serves GET PATH/new.
func (f Form[R, F]) blank(s *Server) Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		if !pg.CanCreate() {
			s.Fail(w, r, pg, f.Fields.MayNotAdd(pg.Principal.Role))
			return
		}
		pg.Title, pg.Nav = pg.T(f.NewTitle), f.Records.Kind.ListPage
		v, err := f.view(s, r, pg, f.Fields.Blank(r, pg), 0)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		f.render(s, w, r, http.StatusOK, v)
	}
}

// create serves POST PATH/new: create, or show the form again with the problem next to its field. A
// record like an existing one asks once before saving.
func (f Form[R, F]) create(s *Server) Handler {
	kind := f.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		pg.Title, pg.Nav = pg.T(f.NewTitle), kind.ListPage
		v, err := f.view(s, r, pg, readForm[F](r), 0)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		v.Version = FormVersion(r)
		rec, err := f.Fields.Record(r, pg, 0, v.Version, &v.F)
		if err == nil && r.PostFormValue("confirm_duplicate") != "1" && f.Fields.Valid(rec, s.phoneRegion) {
			likely, err := f.Records.Use.Lookalikes(r.Context(), pg.Principal, rec)
			if err != nil {
				s.Fail(w, r, pg, err)
				return
			}
			if len(likely.Found) > 0 {
				v.LikelyView = ShowLikely(likely)
				f.render(s, w, r, http.StatusOK, v)
				return
			}
		}
		if err == nil {
			// the form asked about lookalikes before saving, and goes to the record page after
			_, err = f.Records.Use.Create(service.WithoutLookalikes(r.Context()), pg.Principal, rec)
		}
		if err != nil {
			f.refused(s, w, r, v, err)
			return
		}
		ref := f.Records.Ref(rec)
		to := RecordPath(kind, ref.ID)
		if back := r.PostFormValue("back"); kind.Parent != nil && strings.HasPrefix(back, kind.Parent.Path+"/") {
			to = SafeNext(back) // the quick add on the parent record's page returns there
		}
		s.Redirect(w, r, to, pg.T(kind.Noun+".created", "name", ref.Name))
	}
}

// render shows the form page, with the users and teams its owner and team fields offer (read only
// when the form is shown: a save that succeeds goes elsewhere).
func (f Form[R, F]) render(s *Server, w http.ResponseWriter, r *http.Request, status int, v FormView[F]) {
	var err error
	if v.Users, v.Teams, err = s.usersAndTeams(r.Context(), v.Page); err != nil {
		s.Fail(w, r, v.Page, err)
		return
	}
	s.Render(w, r, status, f.Page, v)
}

// refused shows the form again with a user's error next to its field; any other error is an error page.
func (f Form[R, F]) refused(s *Server, w http.ResponseWriter, r *http.Request, v FormView[F], err error) {
	if e, ok := crm.AsError(err); ok && (e.Code == crm.Invalid || e.Code == crm.Duplicate || e.Field != "") {
		v.Problem = v.Page.Problem(e)
		f.render(s, w, r, http.StatusUnprocessableEntity, v)
		return
	}
	s.Fail(w, r, v.Page, err)
}

// edit serves GET PATH/{id}/edit.
func (f Form[R, F]) edit(s *Server) Handler {
	kind := f.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		rec, err := f.Records.Use.Get(r.Context(), pg.Principal, PathID(r))
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		ref := f.Records.Ref(rec)
		rights, err := f.Records.Use.Rights(r.Context(), pg.Principal, ref.ID)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		if !rights.Edit {
			s.Fail(w, r, pg, crm.Errorf(crm.Forbidden, "%s", pg.T(kind.Noun+".may_not_edit", "name", ref.Name)))
			return
		}
		pg.Title, pg.Nav = pg.T(kind.Noun+".edit", "name", ref.Name), kind.ListPage
		v, err := f.view(s, r, pg, f.Fields.Of(r, pg, rec), ref.ID)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		v.Version = ref.Version
		f.render(s, w, r, http.StatusOK, v)
	}
}

// update serves POST PATH/{id}/edit: save, or show the form again: with the problem next to its field,
// or, when someone else saved in between, with their values beside the user's so the user can decide.
func (f Form[R, F]) update(s *Server) Handler {
	kind := f.Records.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		typed, id := readForm[F](r), PathID(r)
		pg.Nav = kind.ListPage
		saved, err := f.Records.Use.Get(r.Context(), pg.Principal, id)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		current := f.Records.Ref(saved)
		pg.Title = pg.T(kind.Noun+".edit", "name", current.Name)
		v, err := f.view(s, r, pg, typed, id)
		if err != nil {
			s.Fail(w, r, pg, err)
			return
		}
		v.Version = FormVersion(r)
		rec, err := f.Fields.Record(r, pg, id, v.Version, &v.F)
		if err == nil {
			f.Fields.Keep(rec, saved, v.Confidential)
			_, err = f.Records.Use.Update(service.WithoutLookalikes(r.Context()), pg.Principal, rec) // the record page shows them
		}
		switch e, ok := crm.AsError(err); {
		case err == nil:
			s.Redirect(w, r, RecordPath(kind, id), pg.T(kind.Noun+".saved"))
		case ok && e.Code == crm.Stale:
			v.Conflict, v.Problem = true, pg.Problem(e)
			v.Diffs = formDiffs(pg, f.Fields.Of(r, pg, saved), typed)
			v.Version = current.Version // saving again applies the user's values over the current version
			f.render(s, w, r, http.StatusConflict, v)
		default:
			f.refused(s, w, r, v, err)
		}
	}
}

// readForm reads the form fields tagged `form:"NAME"` from the posted form.
func readForm[F any](r *http.Request) F {
	var f F
	v := reflect.ValueOf(&f).Elem()
	for i := range v.NumField() {
		if name, ok := v.Type().Field(i).Tag.Lookup("form"); ok {
			v.Field(i).SetString(r.PostFormValue(name))
		}
	}
	return f
}

// formDiffs lists the fields tagged `diff:"KEY"` where the saved record's form and the user's differ
// other than in the spaces around, in the order of the form's fields.
func formDiffs[F any](pg *Page, theirs, yours F) []DiffLine {
	type texts struct{ theirs, yours []string }
	var keys []string
	byKey := map[string]*texts{}
	t, y := reflect.ValueOf(theirs), reflect.ValueOf(yours)
	for i := range t.NumField() {
		tag, ok := t.Type().Field(i).Tag.Lookup("diff")
		if !ok {
			continue
		}
		key, how, _ := strings.Cut(tag, ",")
		a, b := t.Field(i).String(), y.Field(i).String()
		if how == "enum" {
			a, b = pg.Enum(key, a), pg.Enum(key, b)
		}
		if byKey[key] == nil {
			keys = append(keys, key)
			byKey[key] = &texts{}
		}
		byKey[key].theirs = append(byKey[key].theirs, a)
		byKey[key].yours = append(byKey[key].yours, b)
	}
	var out []DiffLine
	for _, key := range keys {
		a, b := strings.Join(byKey[key].theirs, " "), strings.Join(byKey[key].yours, " ")
		if strings.TrimSpace(a) != strings.TrimSpace(b) {
			out = append(out, DiffLine{Field: pg.T("field." + key), Theirs: a, Yours: b})
		}
	}
	return out
}

// SplitList reads a list typed one per line or separated by commas or semicolons.
func SplitList(s string) []string {
	return NonEmpty(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }))
}

// Chosen reads the ids a form's selects and pickers chose, by field: an empty one is 0, and one that is
// not a number is an error about its field.
func Chosen(byField map[string]string) (map[string]int64, error) {
	ids := make(map[string]int64, len(byField))
	for field, s := range byField {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return ids, crm.FieldError(field, "choose from the list")
		}
		ids[field] = n
	}
	return ids, nil
}

// ChosenText is an id as a form's select or picker holds it: empty for none.
func ChosenText(id int64) string {
	if id == 0 {
		return ""
	}
	return IDText(id)
}

// PickError is a refused pick (Server.Pick) as an error about the form field that named the record.
func PickError(field string, err error) error {
	if e, ok := crm.AsError(err); ok {
		return crm.FieldError(field, "%s", e.Message)
	}
	return err
}

// IDText writes an id.
func IDText(id int64) string { return strconv.FormatInt(id, 10) }
