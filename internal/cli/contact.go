package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
)

type contactCmd struct {
	Add     contactAddCmd     `cmd:"" help:"Add a person."`
	Edit    contactEditCmd    `cmd:"" help:"Change a person: only the fields given change."`
	Show    contactShowCmd    `cmd:"" help:"Show a person."`
	List    contactListCmd    `cmd:"" help:"List people by last name."`
	Delete  contactDeleteCmd  `cmd:"" help:"Move a person to the bin (restorable)."`
	Restore contactRestoreCmd `cmd:"" help:"Bring a person back from the bin."`
	Merge   contactMergeCmd   `cmd:"" help:"Merge the duplicate DUP_ID into KEEP_ID: KEEP's values stay, its empty ones are filled from DUP, and DUP goes to the bin."`
}

// contactFlags are a person's fields as flags; a flag not given leaves its field as it is.
type contactFlags struct {
	First        *string  `help:"First name."`
	Last         *string  `help:"Last name."`
	Email        []string `help:"E-mail address; repeat for several (replaces the list)."`
	Phone        []string `help:"Phone number, e.g. 040 123 4567 or +358 40 123 4567; repeat for several (replaces the list)."`
	Account      *int64   `placeholder:"ID" help:"Id of the company the person works at (0: none)."`
	Title        *string  `help:"Job title."`
	Department   *string  `help:"Department."`
	Role         *string  `help:"Buying-centre role: decision_maker, influencer, champion, user, gatekeeper or blocker."`
	Influence    *string  `help:"Influence: low, medium or high."`
	Attitude     *string  `help:"Attitude towards us: supporter, neutral or critic."`
	Language     *string  `help:"Preferred language, e.g. fi, sv, en."`
	Channel      *string  `help:"Preferred channel: email, phone, meeting, post, chat or sms."`
	Kind         *string  `help:"b2b (default) or b2c."`
	ConsentEmail *string  `name:"consent-email" group:"Consent" help:"E-mail consent: unknown, opt_in, opt_out or objection."`
	ConsentPhone *string  `name:"consent-phone" group:"Consent" help:"Phone consent."`
	ConsentPost  *string  `name:"consent-post" group:"Consent" help:"Post consent."`
	ConsentSMS   *string  `name:"consent-sms" group:"Consent" help:"SMS consent."`
	Owner        *string  `placeholder:"EMAIL" help:"Owner's e-mail address ('none': unassigned)."`
	Team         *string  `help:"Team name ('none': no team); default: the owner's team."`
	Description  *string  `help:"Notes about the person."`
}

func (f *contactFlags) apply(n *names, c *crm.Contact) error {
	set := func(to *string, from *string) {
		if from != nil {
			*to = *from
		}
	}
	set(&c.FirstName, f.First)
	set(&c.LastName, f.Last)
	if f.Email != nil {
		c.Emails = f.Email
	}
	if f.Phone != nil {
		c.Phones = f.Phone
	}
	if f.Account != nil {
		c.AccountID = *f.Account
	}
	set(&c.Title, f.Title)
	set(&c.Department, f.Department)
	if f.Role != nil {
		c.Role = crm.BuyingRole(*f.Role)
	}
	if f.Influence != nil {
		c.Influence = crm.Influence(*f.Influence)
	}
	if f.Attitude != nil {
		c.Attitude = crm.Attitude(*f.Attitude)
	}
	set(&c.Language, f.Language)
	if f.Channel != nil {
		c.Channel = crm.Channel(*f.Channel)
	}
	if f.Kind != nil {
		c.Kind = crm.ContactKind(*f.Kind)
	}
	for _, s := range []struct {
		to   *crm.ConsentState
		from *string
	}{{&c.Consent.Email, f.ConsentEmail}, {&c.Consent.Phone, f.ConsentPhone}, {&c.Consent.Post, f.ConsentPost}, {&c.Consent.SMS, f.ConsentSMS}} {
		if s.from != nil {
			*s.to = crm.ConsentState(*s.from)
		}
	}
	if f.Owner != nil {
		id, err := n.userID("owner", *f.Owner)
		if err != nil {
			return err
		}
		c.OwnerID = id
	}
	if f.Team != nil {
		id, err := n.teamID(*f.Team)
		if err != nil {
			return err
		}
		c.TeamID = id
	}
	set(&c.Description, f.Description)
	return nil
}

type contactAddCmd struct {
	contactFlags `embed:""`
}

func (c *contactAddCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	var con crm.Contact
	if err := c.apply(n, &con); err != nil {
		return err
	}
	saved, err := a.svc.Contacts.Create(ctx, p, &con)
	if err != nil {
		return err
	}
	return a.printSavedContact(ctx, p, n, saved)
}

func (a *env) printSavedContact(ctx context.Context, p crm.Principal, n *names, saved service.Saved[*crm.Contact]) error {
	for _, l := range saved.Likely {
		a.warn("%s may be the same person as %s (#%d, %s); merge them with 'tili contact merge %d %d' if so",
			saved.Record.Name(), l.Name, l.ID, likelyReason(l.Reason), l.ID, saved.Record.ID)
	}
	a.warnMoreLikely(saved.Lookalikes(), "people")
	return a.emit(saved.Record, func(w io.Writer) { a.printContact(w, acting{ctx, p, n}, saved.Record) })
}

func (a *env) accountName(ctx context.Context, p crm.Principal, id int64) string {
	if id == 0 {
		return ""
	}
	if acc, err := a.svc.Accounts.Get(ctx, p, id); err == nil {
		return acc.Name + " (" + idText(id) + ")"
	}
	return idText(id)
}

// printContact prints a person for people.
func (a *env) printContact(w io.Writer, in acting, c *crm.Contact) {
	ctx, p, n := in.ctx, in.p, in.n
	phones := make([]string, len(c.Phones))
	for i, ph := range c.Phones {
		phones[i] = crm.FormatPhone(ph, a.cfg.PhoneRegion)
	}
	var past []string
	for _, pa := range c.PastAccounts {
		s := a.accountName(ctx, p, pa.AccountID)
		if pa.Title != "" {
			s += ", " + pa.Title
		}
		past = append(past, s+", until "+pa.Until.Local().Format("2006-01-02"))
	}
	state := ""
	if c.DeletedAt != nil {
		state = "in the bin since " + when(*c.DeletedAt)
		if c.MergedInto != 0 {
			state += ", merged into " + idText(c.MergedInto)
		}
	}
	owner := "unassigned"
	if c.OwnerID != 0 {
		owner = n.user(c.OwnerID)
	}
	consent := fmt.Sprintf("email %s, phone %s, post %s, sms %s", c.Consent.Email, c.Consent.Phone, c.Consent.Post, c.Consent.SMS)
	fields(w, [][2]string{
		{"id", strconv.FormatInt(c.ID, 10)}, {"name", c.Name()}, {"state", state}, {"title", c.Title},
		{"department", c.Department}, {"company", a.accountName(ctx, p, c.AccountID)},
		{"past companies", strings.Join(past, "; ")},
		{"emails", strings.Join(c.Emails, ", ")}, {"phones", strings.Join(phones, ", ")},
		{"role", string(c.Role)}, {"influence", string(c.Influence)}, {"attitude", string(c.Attitude)},
		{"language", c.Language}, {"channel", string(c.Channel)}, {"kind", string(c.Kind)}, {"consent", consent},
		{"owner", owner}, {"team", n.team(c.TeamID)}, {"description", c.Description},
		{"version", strconv.FormatInt(c.Version, 10)}, {"created", when(c.CreatedAt)}, {"updated", when(c.UpdatedAt)},
	})
}

type contactEditCmd struct {
	ID           int64 `arg:"" help:"Person id."`
	Version      int64 `help:"The version you saw; a person changed since then is not overwritten."`
	contactFlags `embed:""`
}

func (c *contactEditCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	// the owner changes through reassigning, which checks who may; in the same change as the rest
	var owner *int64
	if c.Owner != nil {
		id, err := n.userID("owner", *c.Owner)
		if err != nil {
			return err
		}
		owner, c.Owner = &id, nil
	}
	con, err := a.svc.Contacts.Get(ctx, p, c.ID)
	if err != nil {
		return err
	}
	if c.Version != 0 {
		con.Version = c.Version
	}
	if err := c.apply(n, con); err != nil {
		return err
	}
	saved, err := a.svc.Contacts.Edit(ctx, p, con, owner)
	if err != nil {
		return err
	}
	return a.printSavedContact(ctx, p, n, saved)
}

type contactShowCmd struct {
	ID int64 `arg:"" help:"Person id."`
}

func (c *contactShowCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Contact, error) { return a.svc.Contacts.Get(ctx, in.p, c.ID) }, a.printContact)
}

type contactListCmd struct {
	Account int64    `placeholder:"ID" help:"Only people of this company."`
	Owner   []string `placeholder:"EMAIL" help:"Only people owned by these users ('none': unassigned; repeatable)."`
	Team    []string `help:"Only these teams (repeatable)."`
	Role    []string `help:"Only these buying-centre roles (repeatable)."`
	Bin     bool     `help:"List the bin instead."`
	Limit   int      `default:"50" help:"People per page (at most 1000)."`
	After   string   `placeholder:"CURSOR" help:"Continue after this cursor (printed at the end of the previous page)."`
}

func (c *contactListCmd) Run(ctx context.Context, a *env) error {
	read := func(in acting) (service.Page[*crm.Contact], error) {
		f := services.ContactFilter{AccountID: c.Account, Binned: c.Bin, Limit: c.Limit, After: c.After}
		var err error
		if f.OwnerIDs, f.TeamIDs, err = in.idsOf(c.Owner, c.Team); err != nil {
			return service.Page[*crm.Contact]{}, err
		}
		for _, r := range c.Role {
			f.Roles = append(f.Roles, crm.BuyingRole(r))
		}
		return a.svc.Contacts.List(ctx, in.p, f)
	}
	companies := map[int64]string{}
	return onList(ctx, a, c.Limit, read, listing[*crm.Contact]{
		none: "no people match", header: []string{"ID", "NAME", "TITLE", "COMPANY", "ROLE", "EMAIL"},
		row: func(in acting, con *crm.Contact) []string {
			company, ok := companies[con.AccountID]
			if !ok {
				company = a.accountName(ctx, in.p, con.AccountID)
				companies[con.AccountID] = company
			}
			email := ""
			if len(con.Emails) > 0 {
				email = con.Emails[0]
			}
			return []string{strconv.FormatInt(con.ID, 10), con.Name(), con.Title, company, string(con.Role), email}
		}})
}

type contactDeleteCmd struct {
	ID      int64 `arg:"" help:"Person id."`
	Version int64 `help:"The version you saw; a person changed since then is not deleted."`
}

func (c *contactDeleteCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Contact, error) { return a.svc.Contacts.Delete(ctx, in.p, c.ID, c.Version) },
		func(w io.Writer, _ acting, con *crm.Contact) {
			fmt.Fprintf(w, "%s (#%d) is in the bin; 'tili contact restore %d' brings them back\n", con.Name(), con.ID, con.ID)
		})
}

type contactRestoreCmd struct {
	ID int64 `arg:"" help:"Person id."`
}

func (c *contactRestoreCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Contact, error) { return a.svc.Contacts.Restore(ctx, in.p, c.ID) },
		func(w io.Writer, _ acting, con *crm.Contact) {
			fmt.Fprintf(w, "%s (#%d) is back\n", con.Name(), con.ID)
		})
}

type contactMergeCmd struct {
	Keep int64 `arg:"" name:"KEEP_ID" help:"The person who stays."`
	Dup  int64 `arg:"" name:"DUP_ID" help:"The duplicate merged into them and binned."`
}

func (c *contactMergeCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Contact, error) {
		con, err := a.svc.Contacts.Merge(ctx, in.p, c.Keep, c.Dup)
		if err == nil {
			a.note("merged #%d into #%d", c.Dup, c.Keep)
		}
		return con, err
	}, a.printContact)
}
