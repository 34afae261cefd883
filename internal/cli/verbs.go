package cli

import (
	"context"
	"io"

	"tili/internal/crm"
	"tili/internal/service"
)

// The verbs every kind of record has on the command line (show, delete, restore, merge, list) run the
// same way; these run them, so a kind's commands say only what is theirs.

// acting is a command's context, the acting principal and the names of users and teams, for a command
// about records.
type acting struct {
	ctx context.Context
	p   crm.Principal
	n   *names
}

// onRecord opens tili as the acting user, runs do and prints the record it returns: as JSON with --json,
// for people through print otherwise.
func onRecord[T any](ctx context.Context, a *env, do func(in acting) (T, error), print func(w io.Writer, in acting, rec T)) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	in := acting{ctx, p, n}
	rec, err := do(in)
	if err != nil {
		return err
	}
	return a.emit(rec, func(w io.Writer) { print(w, in, rec) })
}

// listing is a page of a list as the command line prints it.
type listing[T any] struct {
	none   string   // what is said when the page is empty, e.g. "no companies match"
	header []string // the table's columns
	row    func(in acting, rec T) []string
}

// onList opens tili as the acting user, builds a list's filter, reads the page and prints it: as JSON
// ({"items": [...], "next_cursor": "..."}) with --json, for people as a table otherwise, with how to get
// the next page on standard error.
func onList[T any](ctx context.Context, a *env, limit int, read func(in acting) (service.Page[T], error), l listing[T]) error {
	if limit > 1000 || limit < 1 {
		return crm.FieldError("limit", "give a page size from 1 to 1000")
	}
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	in := acting{ctx, p, n}
	page, err := read(in)
	if err != nil {
		return err
	}
	return a.emit(page, func(w io.Writer) {
		if len(page.Items) == 0 {
			a.note("%s", l.none)
			return
		}
		rows := make([][]string, len(page.Items))
		for i, rec := range page.Items {
			rows[i] = l.row(in, rec)
		}
		table(w, l.header, rows)
		if page.Next != "" {
			a.note("more: add --after %s", page.Next)
		}
	})
}

// idsOf resolves users (by e-mail, "none" for unassigned) and teams (by name) given to a list's flags.
func (in acting) idsOf(owners, teams []string) (ownerIDs, teamIDs []int64, err error) {
	for _, o := range owners {
		id, err := in.n.userID("owner", o)
		if err != nil {
			return nil, nil, err
		}
		ownerIDs = append(ownerIDs, id)
	}
	for _, t := range teams {
		id, err := in.n.teamID(t)
		if err != nil {
			return nil, nil, err
		}
		teamIDs = append(teamIDs, id)
	}
	return ownerIDs, teamIDs, nil
}
