package web

import (
	"html/template"
	"net/http"

	historysvc "tili/internal/service/history"

	"tili/internal/crm"
	"tili/internal/service"
)

// RecordView is what every record's page shows besides the record: what the user may do with it, its
// owner, its timeline, its likely duplicates, and what other rooms offer for it (Actions among its
// buttons, Panels in its main column).
type RecordView struct {
	*Page
	Kind     *crm.Kind
	Ref      Ref
	Rights   service.Rights
	Users    []*crm.User
	Owner    string
	Timeline historysvc.TimelinePage
	Changes  []ChangeLine
	LikelyView
	Actions []template.HTML
	Panels  []template.HTML
}

// timelineLength is how many changes a record's page shows; its history page has them all.
const timelineLength = 30

// RecordPage reads the record of the path's {id} for its page, with what every record's page shows
// around it; the kind's room adds the rest and renders it.
func RecordPage[R any](s *Server, r *http.Request, pg *Page, k Records[R]) (R, RecordView, error) {
	ctx, p, id := r.Context(), pg.Principal, PathID(r)
	view := RecordView{Page: pg}
	rec, err := k.Use.Get(ctx, p, id)
	if err != nil {
		return rec, view, err
	}
	ref := k.Ref(rec)
	view.Kind, view.Ref = k.Kind, ref
	pg.Title, pg.Nav = ref.Name, k.Kind.ListPage
	if view.Rights, err = k.Use.Rights(ctx, p, id); err != nil {
		return rec, view, err
	}
	if view.Users, err = s.svc.Users.List(ctx, p); err != nil {
		return rec, view, err
	}
	view.Owner = UserNames(view.Users)[ref.Owner]
	if view.Timeline, err = s.svc.Timeline.Of(ctx, p, k.Kind.Name, id, timelineLength, ""); err != nil {
		return rec, view, err
	}
	view.Changes = ChangeLines(pg, view.Timeline.Items, view.Users)
	if !ref.Binned {
		likely, err := k.Use.Lookalikes(ctx, p, rec)
		if err != nil {
			return rec, view, err
		}
		view.LikelyView = ShowLikely(likely)
	}
	at := RecordContext{ID: id, Binned: ref.Binned, Rights: view.Rights}
	if view.Actions, err = s.reg.Panels(r, pg, k.Kind, RecordActions, at); err != nil {
		return rec, view, err
	}
	view.Panels, err = s.reg.Panels(r, pg, k.Kind, RecordMain, at)
	return rec, view, err
}

// LikelyView is the records one on the page may duplicate, as the form and the record page list them.
type LikelyView struct {
	Likely       []service.Likely
	LikelyMore   int  // how many there are beyond those listed
	LikelyCapped bool // the count stopped at its cap: LikelyMore or more
}

// ShowLikely is the view of lookalikes l.
func ShowLikely(l service.Lookalikes) LikelyView {
	return LikelyView{Likely: l.Found, LikelyMore: l.Total - len(l.Found), LikelyCapped: l.Total >= service.LikelyCounted}
}
