package cli

import (
	"context"
	"io"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

type searchCmd struct {
	Text  []string `arg:"" help:"What to look for: a name or its beginning, an e-mail address, a phone number, a business ID."`
	Limit int      `default:"20" help:"Results per page (at most 100)."`
	After string   `placeholder:"CURSOR" help:"Continue after this cursor (printed at the end of the previous page)."`
}

func (c *searchCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	if c.Limit < 1 || c.Limit > 100 {
		return crm.FieldError("limit", "give a page size from 1 to 100")
	}
	page, err := a.svc.Search.Find(ctx, p, strings.Join(c.Text, " "), c.Limit, c.After)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return a.emit(page, func(w io.Writer) {
		if len(page.Items) == 0 {
			a.note("nothing found")
			return
		}
		rows := make([][]string, len(page.Items))
		for i, h := range page.Items {
			noun := h.Kind
			if k, err := crm.KindNamed("kind", h.Kind); err == nil {
				noun = k.Noun
			}
			rows[i] = []string{noun, strconv.FormatInt(h.ID, 10), h.Name, h.Detail}
		}
		table(w, []string{"KIND", "ID", "NAME", ""}, rows)
		if page.Next != "" {
			a.note("more: add --after %s", page.Next)
		}
	})
}

type historyCmd struct {
	Account historyAccountCmd `cmd:"" help:"Every change to a company."`
	Contact historyContactCmd `cmd:"" help:"Every change to a person."`
}

type historyArgs struct {
	ID    int64  `arg:"" help:"Company or person id."`
	Limit int    `default:"50" help:"Changes per page, newest first (at most 1000)."`
	After string `placeholder:"CURSOR" help:"Continue after this cursor."`
}

type historyAccountCmd struct{ historyArgs }

func (c *historyAccountCmd) Run(ctx context.Context, a *env) error {
	return c.show(ctx, a, crm.KindAccount.Name)
}

type historyContactCmd struct{ historyArgs }

func (c *historyContactCmd) Run(ctx context.Context, a *env) error {
	return c.show(ctx, a, crm.KindContact.Name)
}

func (c *historyArgs) show(ctx context.Context, a *env, entity string) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	if c.Limit < 1 || c.Limit > 1000 {
		return crm.FieldError("limit", "give a page size from 1 to 1000")
	}
	page, err := a.svc.History.Of(ctx, p, entity, c.ID, c.Limit, c.After)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return a.emit(page, func(w io.Writer) {
		printHistory(w, page, c.ID)
		if page.Next != "" {
			a.note("more: add --after %s", page.Next)
		}
	})
}

func printHistory(w io.Writer, page service.Page[services.Entry], id int64) {
	rows := make([][]string, len(page.Items))
	for i, e := range page.Items {
		what := e.Field
		change := e.Old + " → " + e.New
		switch e.Field {
		case "created", "deleted", "restored":
			change = e.New
		case "merged":
			change = "merged in #" + e.New
		case "merged_into":
			change = "merged into #" + e.New
		}
		if e.EntityID != id {
			what += " (of merged #" + strconv.FormatInt(e.EntityID, 10) + ")"
		}
		rows[i] = []string{when(e.At), e.Actor, e.Source, what, change}
	}
	table(w, []string{"WHEN", "WHO", "SOURCE", "FIELD", "CHANGE"}, rows)
}
