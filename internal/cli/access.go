package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tili/internal/app"
	"tili/internal/crm"
)

type tokenCmd struct {
	Create tokenCreateCmd `cmd:"" help:"Make an API token; it is shown once."`
	List   tokenListCmd   `cmd:"" help:"List API tokens (never the tokens themselves)."`
	Revoke tokenRevokeCmd `cmd:"" help:"End an API token."`
}

type tokenCreateCmd struct {
	User  string `required:"" placeholder:"EMAIL" help:"Whose token it is; it acts with their rights."`
	Scope string `default:"read" enum:"read,write" help:"read, or write (which also reads)."`
	Name  string `help:"What the token is for."`
}

func (c *tokenCreateCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.User)
	if err != nil {
		return err
	}
	nt, err := a.svc.Auth.CreateToken(ctx, p, u.ID, c.Scope, c.Name)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"token": nt.Token, "id": nt.Info.ID, "scope": nt.Info.Scope, "user": u.Email}, func(w io.Writer) {
		fmt.Fprintln(w, nt.Token)
		a.note("API token #%d (%s) for %s; it is shown only now. Send it as \"Authorization: Bearer TOKEN\".", nt.Info.ID, nt.Info.Scope, u.Email)
	})
}

type tokenListCmd struct {
	User string `placeholder:"EMAIL" help:"Only this user's tokens."`
}

func (c *tokenListCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	var userID int64
	if c.User != "" {
		u, err := a.userByEmail(ctx, p, c.User)
		if err != nil {
			return err
		}
		userID = u.ID
	}
	list, err := a.svc.Auth.Tokens(ctx, p, userID)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"items": nonNil(list), "next_cursor": ""}, func(w io.Writer) {
		if len(list) == 0 {
			a.note("no API tokens; make one with 'tili token create --user EMAIL'")
			return
		}
		rows := make([][]string, len(list))
		for i, t := range list {
			state, used := "live", ""
			if t.RevokedAt != nil {
				state = "revoked " + when(*t.RevokedAt)
			}
			if t.LastUsedAt != nil {
				used = when(*t.LastUsedAt)
			}
			rows[i] = []string{strconv.FormatInt(t.ID, 10), n.user(t.UserID), t.Name, t.Scope, t.Prefix + "…", when(t.CreatedAt), used, state}
		}
		table(w, []string{"ID", "USER", "NAME", "SCOPE", "TOKEN", "CREATED", "LAST USED", "STATE"}, rows)
	})
}

type tokenRevokeCmd struct {
	ID int64 `arg:"" help:"Token id (see 'tili token list')."`
}

func (c *tokenRevokeCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	if err := a.svc.Auth.RevokeToken(ctx, p, c.ID); err != nil {
		return err
	}
	return a.emit(map[string]any{"id": c.ID, "revoked": true}, func(w io.Writer) { fmt.Fprintf(w, "API token #%d is revoked\n", c.ID) })
}

type shareCmd struct {
	Add    shareAddCmd    `cmd:"" help:"Share a company or a person with a user or a team."`
	List   shareListCmd   `cmd:"" help:"List the shares of a company or a person."`
	Remove shareRemoveCmd `cmd:"" help:"Withdraw a share."`
}

type shareRecord struct {
	Entity string `arg:"" enum:"account,contact" help:"account or contact."`
	ID     int64  `arg:"" help:"The record's id."`
}

type shareAddCmd struct {
	shareRecord
	User  string `placeholder:"EMAIL" xor:"with" required:"" help:"Share with this user."`
	Team  string `xor:"with" required:"" help:"Share with this team."`
	Level string `default:"read" enum:"read,edit" help:"read or edit."`
}

func (c *shareAddCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	sh := &crm.Share{Entity: c.Entity, EntityID: c.ID, Level: crm.ShareLevel(c.Level)}
	if c.User != "" {
		if sh.UserID, err = n.userID("user", c.User); err != nil {
			return err
		}
	} else if sh.TeamID, err = n.teamID(c.Team); err != nil {
		return err
	}
	if err := a.svc.Access.Share(ctx, p, sh); err != nil {
		return err
	}
	return a.emit(sh, func(w io.Writer) { fmt.Fprintf(w, "share #%d: %s\n", sh.ID, describeShare(n, sh)) })
}

func describeShare(n *names, sh *crm.Share) string {
	who := n.user(sh.UserID)
	if sh.TeamID != 0 {
		who = "team " + n.team(sh.TeamID)
	}
	return fmt.Sprintf("%s #%d shared with %s to %s", sh.Entity, sh.EntityID, who, sh.Level)
}

type shareListCmd struct {
	shareRecord
}

func (c *shareListCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	list, err := a.svc.Access.Shares(ctx, p, c.Entity, c.ID)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"items": nonNil(list), "next_cursor": ""}, func(w io.Writer) {
		if len(list) == 0 {
			a.note("%s #%d is not shared with anyone beyond its owner and team", c.Entity, c.ID)
			return
		}
		for _, sh := range list {
			fmt.Fprintf(w, "share #%d: %s\n", sh.ID, describeShare(n, &sh))
		}
	})
}

type shareRemoveCmd struct {
	ShareID int64 `arg:"" help:"Share id (see 'tili share list')."`
}

func (c *shareRemoveCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	sh, err := a.svc.Access.Unshare(ctx, p, c.ShareID)
	if err != nil {
		return err
	}
	return a.emit(sh, func(w io.Writer) { fmt.Fprintf(w, "share #%d withdrawn\n", sh.ID) })
}

type sharingCmd struct {
	Show sharingShowCmd `cmd:"" help:"Show how far teams see their members' records."`
	Set  sharingSetCmd  `cmd:"" help:"Set how far teams see their members' records of a type."`
}

type sharingShowCmd struct{}

func (c *sharingShowCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	set, err := a.svc.Access.Sharing(ctx, p)
	if err != nil {
		return err
	}
	return a.emit(set, func(w io.Writer) {
		var rows [][]string
		for _, k := range crm.ShareableKinds() {
			rows = append(rows, []string{k.Name, string(set[k.Name])})
		}
		table(w, []string{"RECORDS", "SHARING"}, rows)
	})
}

type sharingSetCmd struct {
	Entity  string `arg:"" enum:"account,contact" help:"account or contact."`
	Sharing string `arg:"" enum:"private,team_read,team_edit,everyone_read" help:"private: account managers see their own only; team_read (default): also their teams'; team_edit: and change them; everyone_read: every user sees every record."`
}

func (c *sharingSetCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	if err := a.svc.Access.SetSharing(ctx, p, c.Entity, crm.Sharing(c.Sharing)); err != nil {
		return err
	}
	return a.emit(map[string]string{c.Entity: c.Sharing}, func(w io.Writer) { fmt.Fprintf(w, "%s sharing: %s\n", c.Entity, c.Sharing) })
}

type openapiCmd struct {
	YAML bool `help:"Print YAML instead of JSON."`
}

// Run prints the OpenAPI document of the JSON API; it needs no database.
func (c *openapiCmd) Run(a *env) error {
	base := a.cfg.BaseURL
	if base == "" {
		base = defaultBaseURL
	}
	doc := app.OpenAPI(base)
	if c.YAML {
		b, err := doc.YAML()
		if err != nil {
			return err
		}
		_, err = a.stdout.Write(b)
		return err
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(a.stdout, string(b))
	return err
}

type auditCmd struct {
	Event string `help:"Only this kind of event, e.g. sign_in.failed, user.role_changed, token.created."`
	Limit int    `default:"50" help:"Events per page, newest first (at most 1000)."`
	After string `placeholder:"CURSOR" help:"Continue after this cursor."`
}

func (c *auditCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	page, err := a.svc.Users.AuditLog(ctx, p, c.Event, c.Limit, c.After)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return a.emit(page, func(w io.Writer) {
		rows := make([][]string, len(page.Items))
		for i, e := range page.Items {
			who := "system"
			if e.ActorID != 0 {
				who = n.user(e.ActorID)
			}
			target := ""
			if e.Entity != "" {
				target = strings.TrimSpace(e.Entity + " " + idText(e.EntityID))
			}
			rows[i] = []string{when(e.At), e.Event, who, e.Source, e.IP, target, e.Detail}
		}
		table(w, []string{"WHEN", "EVENT", "WHO", "SOURCE", "IP", "TARGET", "DETAIL"}, rows)
		if page.Next != "" {
			a.note("more: add --after %s", page.Next)
		}
	})
}
