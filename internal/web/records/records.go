// Package records is the room of the actions every kind of record has, whatever its kind: its history
// (KIND/{id}/history), its shares (KIND/{id}/share, /shares/{id}/delete), reassigning it, the bin
// (delete and restore) and merging two records. It serves them for every kind whose room offered its
// shared parts on the web core's registry (web.OfferKind), reading what it needs of the kind from there
// and from crm.Kind, so a new kind of record gets these pages without code here.
package records

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/web"
)

//go:embed all:templates messages.fi.json messages.en.json
var files embed.FS

// Room is the shared record actions.
func Room() web.Room { return web.Room{Name: "records", Files: files, Open: open} }

type room struct {
	s   *web.Server
	svc *services.Services
}

func open(s *web.Server, reg *web.Registry) web.Routes {
	rm := &room{s: s, svc: s.Services()}
	return func(mux web.Mux) {
		// the kinds are read now, when every room has offered its own
		for _, k := range reg.Kinds() {
			path := k.Kind.Path + "/{id}"
			mux.HandleFunc("GET "+path+"/history", s.SignedIn(rm.history(k.Kind)))
			mux.HandleFunc("POST "+path+"/reassign", s.SignedIn(rm.reassign(k)))
			mux.HandleFunc("POST "+path+"/delete", s.SignedIn(rm.delete(k)))
			mux.HandleFunc("POST "+path+"/restore", s.SignedIn(rm.restore(k)))
			if k.Kind.Shareable {
				mux.HandleFunc("GET "+path+"/share", s.SignedIn(rm.shareForm(k.Kind)))
				mux.HandleFunc("POST "+path+"/share", s.SignedIn(rm.shareSave(k.Kind)))
			}
			if k.Kind.Merges {
				mux.HandleFunc("GET "+path+"/merge", s.SignedIn(rm.mergeForm(k)))
				mux.HandleFunc("POST "+path+"/merge", s.SignedIn(rm.merge(k)))
			}
		}
		mux.HandleFunc("POST /shares/{id}/delete", s.SignedIn(rm.shareDelete))
	}
}

// reassign gives a record to another owner: POST owner, version.
func (rm *room) reassign(k *web.RecordKind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		id := web.PathID(r)
		owner, _ := strconv.ParseInt(r.PostFormValue("owner"), 10, 64)
		back := web.RecordPath(k.Kind, id)
		if err := k.Reassign(r.Context(), pg.Principal, id, owner, web.FormVersion(r)); err != nil {
			rm.s.FailAction(w, r, pg, back, err)
			return
		}
		rm.s.Redirect(w, r, back, pg.T("reassigned"))
	}
}

// delete moves a record to the bin, with an undo on the next page: POST version.
func (rm *room) delete(k *web.RecordKind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		rec, err := k.Delete(r.Context(), pg.Principal, web.PathID(r), web.FormVersion(r))
		rm.binned(w, r, pg, k.Kind, rec, err, ".deleted")
	}
}

// restore takes a record out of the bin.
func (rm *room) restore(k *web.RecordKind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		rec, err := k.Restore(r.Context(), pg.Principal, web.PathID(r))
		rm.binned(w, r, pg, k.Kind, rec, err, ".restored")
	}
}

// binned answers a move to or from the bin: back to the record, with the kind's message NOUN+done.
func (rm *room) binned(w http.ResponseWriter, r *http.Request, pg *web.Page, kind *crm.Kind, rec web.Ref, err error, done string) {
	if err != nil {
		rm.s.FailAction(w, r, pg, web.RecordPath(kind, web.PathID(r)), err)
		return
	}
	rm.s.Redirect(w, r, web.RecordPath(kind, rec.ID), pg.T(kind.Noun+done, "name", rec.Name))
}

type historyView struct {
	*web.Page
	Entity, Name, Back string
	Lines              []web.ChangeLine
	Next               string
}

// history serves KIND/{id}/history: every change of a record, newest first, page by page.
func (rm *room) history(kind *crm.Kind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		ctx, id := r.Context(), web.PathID(r)
		name, err := rm.svc.Access.RecordName(ctx, pg.Principal, kind.Name, id)
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		pg.Title, pg.Nav = pg.T("history.title", "name", name), kind.ListPage
		page, err := rm.svc.Timeline.Of(ctx, pg.Principal, kind.Name, id, 100, r.URL.Query().Get("after"))
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		users, err := rm.svc.Users.List(ctx, pg.Principal)
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		view := historyView{Page: pg, Entity: kind.Name, Name: name, Back: web.RecordPath(kind, id),
			Lines: web.ChangeLines(pg, page.Items, users)}
		for i, it := range page.Items {
			view.Lines[i].Merged = it.Change != nil && it.Change.EntityID != id
		}
		if page.Next != "" {
			view.Next = "?after=" + page.Next
		}
		rm.s.Render(w, r, http.StatusOK, "records/history", view)
	}
}

type shareView struct {
	*web.Page
	Entity, Name, Back string
	ID                 int64
	Shares             []crm.Share
	Users              []*crm.User
	Teams              []*crm.Team
	UserNames          map[int64]string
	TeamNames          map[int64]string
	Problem            *crm.Error
}

// shareForm shows who a record is shared with and a form to share it with more.
func (rm *room) shareForm(kind *crm.Kind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		rm.renderShare(w, r, pg, kind, nil, http.StatusOK)
	}
}

func (rm *room) renderShare(w http.ResponseWriter, r *http.Request, pg *web.Page, kind *crm.Kind, problem *crm.Error, status int) {
	ctx, id := r.Context(), web.PathID(r)
	view := shareView{Page: pg, Entity: kind.Name, ID: id, Problem: pg.Problem(problem), Back: web.RecordPath(kind, id)}
	pg.Nav = kind.ListPage
	var err error
	if view.Name, err = rm.svc.Access.RecordName(ctx, pg.Principal, kind.Name, id); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	pg.Title = pg.T("share.title", "name", view.Name)
	if view.Shares, err = rm.svc.Access.Shares(ctx, pg.Principal, kind.Name, id); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	if view.Users, err = rm.svc.Users.List(ctx, pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	if view.Teams, err = rm.svc.Users.Teams(ctx, pg.Principal); err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	view.UserNames, view.TeamNames = web.UserNames(view.Users), web.TeamNames(view.Teams)
	rm.s.Render(w, r, status, "records/share", view)
}

// shareSave shares a record: POST with=user:ID|team:ID, level.
func (rm *room) shareSave(kind *crm.Kind) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		sh := &crm.Share{Entity: kind.Name, EntityID: web.PathID(r), Level: crm.ShareLevel(r.PostFormValue("level"))}
		with, idText, _ := strings.Cut(r.PostFormValue("with"), ":")
		id, _ := strconv.ParseInt(idText, 10, 64)
		if with == "team" {
			sh.TeamID = id
		} else {
			sh.UserID = id
		}
		if err := rm.svc.Access.Share(r.Context(), pg.Principal, sh); err != nil {
			if e, ok := crm.AsError(err); ok && e.Code == crm.Invalid {
				rm.renderShare(w, r, pg, kind, e, http.StatusUnprocessableEntity)
				return
			}
			rm.s.Fail(w, r, pg, err)
			return
		}
		rm.s.Redirect(w, r, web.RecordPath(kind, sh.EntityID)+"/share", pg.T("share.done"))
	}
}

// shareDelete serves POST /shares/{id}/delete: the share is withdrawn.
func (rm *room) shareDelete(w http.ResponseWriter, r *http.Request, pg *web.Page) {
	sh, err := rm.svc.Access.Unshare(r.Context(), pg.Principal, web.PathID(r))
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	kind, err := crm.KindNamed("entity", sh.Entity)
	if err != nil {
		rm.s.Fail(w, r, pg, err)
		return
	}
	rm.s.Redirect(w, r, web.RecordPath(kind, sh.EntityID)+"/share", pg.T("share.withdrawn"))
}

type mergeView struct {
	*web.Page
	Kind      *crm.Kind
	Keep, Dup web.Ref
	Rows      []mergeRow
}

// mergeRow is one field of a merge: the two values, and whether the duplicate's is picked by default
// (the kept one has none).
type mergeRow struct {
	Field, Label, Keep, Dup string
	TakeDup                 bool
}

// mergeForm serves GET KIND/{id}/merge?with=DUP: pick, field by field, what the merged record keeps.
// Without JavaScript the picker gives no id, and a kind with a picker finds the duplicate by the typed
// with_name.
func (rm *room) mergeForm(k *web.RecordKind) web.Handler {
	kind := k.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		ctx := r.Context()
		keep, err := k.Get(ctx, pg.Principal, web.PathID(r))
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		dupID, _ := strconv.ParseInt(r.URL.Query().Get("with"), 10, 64)
		if dupID == 0 && k.Picks() {
			if dupID, err = rm.s.Pick(ctx, pg, kind, r.URL.Query().Get("with_name"), keep.ID); err != nil {
				rm.s.Redirect(w, r, web.RecordPath(kind, keep.ID), pg.ErrText(err))
				return
			}
		}
		dup, err := k.Get(ctx, pg.Principal, dupID)
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		if dup.ID == keep.ID {
			rm.s.Redirect(w, r, web.RecordPath(kind, keep.ID), pg.T("merge.self"))
			return
		}
		rights, err := k.Rights(ctx, pg.Principal, keep.ID)
		if err != nil {
			rm.s.Fail(w, r, pg, err)
			return
		}
		if !rights.Edit {
			rm.s.Fail(w, r, pg, crm.Errorf(crm.Forbidden, "you may view %s but not change it", keep.Name))
			return
		}
		pg.Title, pg.Nav = pg.T("merge.title", "name", keep.Name), kind.ListPage
		view := mergeView{Page: pg, Kind: kind, Keep: keep.Ref, Dup: dup.Ref}
		for _, field := range kind.MergeFields {
			if kind.IsConfidential(field) && !rights.Confidential {
				continue
			}
			kt, dt := keep.MergeText(pg, field), dup.MergeText(pg, field)
			if kt != dt {
				view.Rows = append(view.Rows, mergeRow{Field: field, Label: pg.T("field." + field), Keep: kt, Dup: dt, TakeDup: kt == ""})
			}
		}
		rm.s.Render(w, r, http.StatusOK, "records/merge", view)
	}
}

// merge serves POST KIND/{id}/merge (dup, take_FIELD=dup…): merge the duplicate into this record.
func (rm *room) merge(k *web.RecordKind) web.Handler {
	kind := k.Kind
	return func(w http.ResponseWriter, r *http.Request, pg *web.Page) {
		r.ParseForm()
		dupID, _ := strconv.ParseInt(r.PostFormValue("dup"), 10, 64)
		var fromDup []string
		for _, field := range kind.MergeFields {
			if r.PostFormValue("take_"+field) == "dup" {
				fromDup = append(fromDup, field)
			}
		}
		rec, err := k.Merge(r.Context(), pg.Principal, web.PathID(r), dupID, fromDup...)
		if err != nil {
			rm.s.FailAction(w, r, pg, web.RecordPath(kind, web.PathID(r))+"/merge?with="+web.IDText(dupID), err)
			return
		}
		rm.s.Redirect(w, r, web.RecordPath(kind, rec.ID), pg.T("merge.done"))
	}
}
