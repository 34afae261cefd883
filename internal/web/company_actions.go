package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
)

func formVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

// POST /companies/{id}/delete: to the bin, with an undo on the next page.
func (s *Server) companyDelete(w http.ResponseWriter, r *http.Request, pg *Page) {
	a, err := s.svc.Accounts.Delete(r.Context(), pg.Principal, pathID(r), formVersion(r))
	if err != nil {
		s.failAction(w, r, pg, "/companies/"+itoa(pathID(r)), err)
		return
	}
	s.redirect(w, r, "/companies/"+itoa(a.ID), pg.T("company.deleted", "name", a.Name))
}

// POST /companies/{id}/restore
func (s *Server) companyRestore(w http.ResponseWriter, r *http.Request, pg *Page) {
	a, err := s.svc.Accounts.Restore(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.failAction(w, r, pg, "/companies/"+itoa(pathID(r)), err)
		return
	}
	s.redirect(w, r, "/companies/"+itoa(a.ID), pg.T("company.restored", "name", a.Name))
}

// failAction answers a refused action: a user's error goes back to the page as a message, anything
// else is an error page.
func (s *Server) failAction(w http.ResponseWriter, r *http.Request, pg *Page, back string, err error) {
	switch crm.CodeOf(err) {
	case crm.Invalid, crm.Conflict, crm.Stale, crm.Duplicate:
		s.redirect(w, r, back, pg.ErrText(err))
	default:
		s.fail(w, r, pg, err)
	}
}

// reassigner is a kind's reassign use case.
type reassigner func(ctx context.Context, p crm.Principal, id, owner, version int64) error

// reassignWith makes a reassigner of a use case that returns the reassigned record.
func reassignWith[T any](f func(ctx context.Context, p crm.Principal, id, owner, version int64) (T, error)) reassigner {
	return func(ctx context.Context, p crm.Principal, id, owner, version int64) error {
		_, err := f(ctx, p, id, owner, version)
		return err
	}
}

// reassign gives a record of kind to another owner: POST owner, version.
func (s *Server) reassign(kind *crm.Kind, reassign reassigner) func(w http.ResponseWriter, r *http.Request, pg *Page) {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		id := pathID(r)
		owner, _ := strconv.ParseInt(r.PostFormValue("owner"), 10, 64)
		back := recordPath(kind, id)
		if err := reassign(r.Context(), pg.Principal, id, owner, formVersion(r)); err != nil {
			s.failAction(w, r, pg, back, err)
			return
		}
		s.redirect(w, r, back, pg.T("reassigned"))
	}
}

type mergeView struct {
	*Page
	Keep, Dup *crm.Account
	Rows      []mergeRow
	Problem   *crm.Error
}

// mergeRow is one field of a merge: the two values, and whether the duplicate's is picked by default
// (the kept one has none).
type mergeRow struct {
	Field, Label, Keep, Dup string
	TakeDup                 bool
}

// GET /companies/{id}/merge?with=DUP: pick, field by field, what the merged company keeps.
func (s *Server) companyMergeForm(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	keep, err := s.svc.Accounts.Get(ctx, pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	dupID, _ := strconv.ParseInt(r.URL.Query().Get("with"), 10, 64)
	if dupID == 0 {
		// no company picked (the picker needs JavaScript): find it by the typed name
		dupID, err = s.pickAccount(ctx, pg, r.URL.Query().Get("with_name"), keep.ID)
		if err != nil {
			s.redirect(w, r, "/companies/"+itoa(keep.ID), pg.ErrText(err))
			return
		}
	}
	dup, err := s.svc.Accounts.Get(ctx, pg.Principal, dupID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if dup.ID == keep.ID {
		s.redirect(w, r, "/companies/"+itoa(keep.ID), pg.T("merge.self"))
		return
	}
	rights, err := s.svc.Accounts.Rights(ctx, pg.Principal, keep.ID)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if !rights.Edit {
		s.fail(w, r, pg, crm.Errorf(crm.Forbidden, "you may view %s but not change it", keep.Name))
		return
	}
	pg.Title, pg.Nav = pg.T("merge.title", "name", keep.Name), "companies"
	view := mergeView{Page: pg, Keep: keep, Dup: dup}
	for _, field := range crm.AccountMergeFields {
		if field == "internal_notes" && !rights.Confidential {
			continue
		}
		k, d := accountFieldText(pg, keep, field), accountFieldText(pg, dup, field)
		if k == d {
			continue
		}
		view.Rows = append(view.Rows, mergeRow{Field: field, Label: pg.T("field." + field), Keep: k, Dup: d, TakeDup: k == ""})
	}
	s.render(w, r, http.StatusOK, "merge", view)
}

// POST /companies/{id}/merge (dup, take=FIELD…): merge the duplicate into this company.
func (s *Server) companyMerge(w http.ResponseWriter, r *http.Request, pg *Page) {
	r.ParseForm()
	dupID, _ := strconv.ParseInt(r.PostFormValue("dup"), 10, 64)
	var fromDup []string
	for _, field := range crm.AccountMergeFields {
		if r.PostFormValue("take_"+field) == "dup" {
			fromDup = append(fromDup, field)
		}
	}
	a, err := s.svc.Accounts.Merge(r.Context(), pg.Principal, pathID(r), dupID, fromDup...)
	if err != nil {
		s.failAction(w, r, pg, "/companies/"+itoa(pathID(r))+"/merge?with="+itoa(dupID), err)
		return
	}
	s.redirect(w, r, "/companies/"+itoa(a.ID), pg.T("merge.done"))
}

// accountFieldText shows one merge field of a company as text.
func accountFieldText(pg *Page, a *crm.Account, field string) string {
	join := func(list []string) string {
		out := ""
		for i, s := range list {
			if i > 0 {
				out += ", "
			}
			out += s
		}
		return out
	}
	addr := func(ad crm.Address) string {
		if ad.IsZero() {
			return ""
		}
		return ad.Street + ", " + ad.PostalCode + " " + ad.City
	}
	switch field {
	case "name":
		return a.Name
	case "business_id":
		return a.BusinessID
	case "vat_id":
		return a.VATID
	case "stage":
		return pg.Enum("stage", a.Stage)
	case "tier":
		return string(a.Tier)
	case "segment":
		return a.Segment
	case "industry_code":
		return a.IndustryCode
	case "industry":
		return a.Industry
	case "employees":
		if a.Employees != nil {
			return pg.Num(*a.Employees)
		}
		return ""
	case "revenue_band":
		return pg.Enum("revenue_band", a.RevenueBand)
	case "website":
		return a.Website
	case "phones":
		var out []string
		for _, p := range a.Phones {
			out = append(out, pg.Phone(p))
		}
		return join(out)
	case "emails":
		return join(a.Emails)
	case "visiting_address":
		return addr(a.VisitingAddress)
	case "postal_address":
		return addr(a.PostalAddress)
	case "billing_address":
		return addr(a.BillingAddress)
	case "einvoice":
		if a.EInvoiceAddress == "" {
			return ""
		}
		return a.EInvoiceAddress + " · " + a.EInvoiceOperator
	case "parent_id":
		if a.ParentID == 0 {
			return ""
		}
		return "#" + itoa(a.ParentID)
	case "tags":
		return join(a.Tags)
	case "description":
		return a.Description
	case "internal_notes":
		return a.InternalNotes
	}
	return ""
}

type historyView struct {
	*Page
	Entity, Name, Back string
	Lines              []changeLine
	Next               string
}

// GET /companies/{id}/history: every change, newest first, page by page.
func (s *Server) companyHistory(w http.ResponseWriter, r *http.Request, pg *Page) {
	a, err := s.svc.Accounts.Get(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.history(w, r, pg, crm.KindAccount, a.ID, a.Name)
}

// history shows the changes of record id of kind, called name.
func (s *Server) history(w http.ResponseWriter, r *http.Request, pg *Page, kind *crm.Kind, id int64, name string) {
	pg.Title = pg.T("history.title", "name", name)
	pg.Nav = kind.ListPage
	back := recordPath(kind, id)
	page, err := s.svc.Timeline.Of(r.Context(), pg.Principal, kind.Name, id, 100, r.URL.Query().Get("after"))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	users, err := s.svc.Users.List(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view := historyView{Page: pg, Entity: kind.Name, Name: name, Back: back, Lines: s.changeLines(pg, page.Items, users)}
	for i, it := range page.Items {
		view.Lines[i].Merged = it.Change != nil && it.Change.EntityID != id
	}
	if page.Next != "" {
		view.Next = "?after=" + page.Next
	}
	s.render(w, r, http.StatusOK, "history", view)
}

type shareView struct {
	*Page
	Entity, Name, Back string
	ID                 int64
	Shares             []crm.Share
	Users              []*crm.User
	Teams              []*crm.Team
	UserNames          map[int64]string
	TeamNames          map[int64]string
	Problem            *crm.Error
}

// shareForm shows who a record of kind is shared with and a form to share it with more.
func (s *Server) shareForm(kind *crm.Kind) func(w http.ResponseWriter, r *http.Request, pg *Page) {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		s.renderShare(w, r, pg, kind, nil, http.StatusOK)
	}
}

func (s *Server) renderShare(w http.ResponseWriter, r *http.Request, pg *Page, kind *crm.Kind, problem *crm.Error, status int) {
	ctx, id := r.Context(), pathID(r)
	view := shareView{Page: pg, Entity: kind.Name, ID: id, Problem: pg.Problem(problem), Back: recordPath(kind, id)}
	pg.Nav = kind.ListPage
	var err error
	if view.Name, err = s.svc.Access.RecordName(ctx, pg.Principal, kind.Name, id); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	pg.Title = pg.T("share.title", "name", view.Name)
	if view.Shares, err = s.svc.Access.Shares(ctx, pg.Principal, kind.Name, id); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Users, err = s.svc.Users.List(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	if view.Teams, err = s.svc.Users.Teams(ctx, pg.Principal); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	view.UserNames, view.TeamNames = userNames(view.Users), map[int64]string{}
	for _, t := range view.Teams {
		view.TeamNames[t.ID] = t.Name
	}
	s.render(w, r, status, "share", view)
}

// shareSave shares a record of kind: POST with=user:ID|team:ID, level.
func (s *Server) shareSave(kind *crm.Kind) func(w http.ResponseWriter, r *http.Request, pg *Page) {
	return func(w http.ResponseWriter, r *http.Request, pg *Page) {
		sh := &crm.Share{Entity: kind.Name, EntityID: pathID(r), Level: crm.ShareLevel(r.PostFormValue("level"))}
		with, idText, _ := strings.Cut(r.PostFormValue("with"), ":")
		id, _ := strconv.ParseInt(idText, 10, 64)
		if with == "team" {
			sh.TeamID = id
		} else {
			sh.UserID = id
		}
		if err := s.svc.Access.Share(r.Context(), pg.Principal, sh); err != nil {
			if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
				s.renderShare(w, r, pg, kind, e, http.StatusUnprocessableEntity)
				return
			}
			s.fail(w, r, pg, err)
			return
		}
		s.redirect(w, r, recordPath(kind, sh.EntityID)+"/share", pg.T("share.done"))
	}
}

// POST /shares/{id}/delete
func (s *Server) shareDelete(w http.ResponseWriter, r *http.Request, pg *Page) {
	sh, err := s.svc.Access.Unshare(r.Context(), pg.Principal, pathID(r))
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	kind, err := crm.KindNamed("entity", sh.Entity)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	s.redirect(w, r, recordPath(kind, sh.EntityID)+"/share", pg.T("share.withdrawn"))
}

// recordPath is the page of record id of kind.
func recordPath(kind *crm.Kind, id int64) string { return kind.Path + "/" + itoa(id) }

// namedRecordPath is the page of record id of the kind called name ("" for no such kind).
func namedRecordPath(name string, id int64) string {
	kind, err := crm.KindNamed("kind", name)
	if err != nil {
		return ""
	}
	return recordPath(kind, id)
}
