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

type accountCmd struct {
	Add     accountAddCmd     `cmd:"" help:"Add a company."`
	Edit    accountEditCmd    `cmd:"" help:"Change a company: only the fields given change."`
	Show    accountShowCmd    `cmd:"" help:"Show a company."`
	List    accountListCmd    `cmd:"" help:"List companies by name."`
	Delete  accountDeleteCmd  `cmd:"" help:"Move a company to the bin (restorable)."`
	Restore accountRestoreCmd `cmd:"" help:"Bring a company back from the bin."`
	Merge   accountMergeCmd   `cmd:"" help:"Merge the duplicate DUP_ID into KEEP_ID: KEEP's values stay, its empty ones are filled from DUP, DUP's people and subsidiaries move to KEEP, and DUP goes to the bin."`
}

// accountFlags are a company's fields as flags; a flag not given leaves its field as it is.
type accountFlags struct {
	Name             *string  `help:"Company name."`
	BusinessID       *string  `name:"business-id" placeholder:"NNNNNNN-C" help:"Finnish business ID (Y-tunnus), e.g. 0112038-9."`
	VATID            *string  `name:"vat-id" placeholder:"CCNNN" help:"EU VAT number with its country prefix, e.g. FI01120389."`
	Stage            *string  `help:"suspect, prospect (default), customer, key_account or former."`
	Tier             *string  `help:"A, B or C."`
	Segment          *string  `help:"Segment (free text)."`
	IndustryCode     *string  `name:"industry-code" placeholder:"A-U" help:"TOL 2008 main section, a letter from A to U."`
	Industry         *string  `help:"Industry as free text."`
	Employees        *int64   `help:"Number of employees."`
	Revenue          *string  `help:"Revenue band: 0-1M, 1-10M, 10-50M, 50-250M or 250M+ (euros)."`
	Website          *string  `help:"Web address."`
	Phone            []string `help:"Phone number; repeat for several (replaces the list)."`
	Email            []string `help:"E-mail address; repeat for several (replaces the list)."`
	VisitStreet      *string  `name:"visit-street" group:"Addresses" help:"Visiting address: street."`
	VisitPostalCode  *string  `name:"visit-postal-code" group:"Addresses" help:"Visiting address: postal code."`
	VisitCity        *string  `name:"visit-city" group:"Addresses" help:"Visiting address: city."`
	VisitCountry     *string  `name:"visit-country" group:"Addresses" help:"Visiting address: country code (default FI)."`
	PostStreet       *string  `name:"post-street" group:"Addresses" help:"Postal address: street or PO box."`
	PostPostalCode   *string  `name:"post-postal-code" group:"Addresses" help:"Postal address: postal code."`
	PostCity         *string  `name:"post-city" group:"Addresses" help:"Postal address: city."`
	PostCountry      *string  `name:"post-country" group:"Addresses" help:"Postal address: country code."`
	BillStreet       *string  `name:"bill-street" group:"Addresses" help:"Billing address: street."`
	BillPostalCode   *string  `name:"bill-postal-code" group:"Addresses" help:"Billing address: postal code."`
	BillCity         *string  `name:"bill-city" group:"Addresses" help:"Billing address: city."`
	BillCountry      *string  `name:"bill-country" group:"Addresses" help:"Billing address: country code."`
	EInvoice         *string  `name:"einvoice" help:"E-invoice address: an OVT code (0037 + business ID digits) or an IBAN."`
	EInvoiceOperator *string  `name:"einvoice-operator" help:"E-invoice operator's OVT code or BIC."`
	Parent           *int64   `help:"Parent company id (0 for none)."`
	Owner            *string  `placeholder:"EMAIL" help:"Owner's e-mail address ('none': unassigned)."`
	Team             *string  `help:"Team name ('none': no team); default: the owner's team."`
	Tag              []string `help:"Tag; repeat for several (replaces the tags)."`
	Description      *string  `help:"Description."`
}

// apply copies the given flags onto acc.
func (f *accountFlags) apply(n *names, acc *crm.Account) error {
	set := func(to *string, from *string) {
		if from != nil {
			*to = *from
		}
	}
	set(&acc.Name, f.Name)
	set(&acc.BusinessID, f.BusinessID)
	set(&acc.VATID, f.VATID)
	if f.Stage != nil {
		acc.Stage = crm.Stage(*f.Stage)
	}
	if f.Tier != nil {
		acc.Tier = crm.Tier(*f.Tier)
	}
	set(&acc.Segment, f.Segment)
	set(&acc.IndustryCode, f.IndustryCode)
	set(&acc.Industry, f.Industry)
	if f.Employees != nil {
		acc.Employees = f.Employees
	}
	if f.Revenue != nil {
		acc.RevenueBand = crm.RevenueBand(*f.Revenue)
	}
	set(&acc.Website, f.Website)
	if f.Phone != nil {
		acc.Phones = f.Phone
	}
	if f.Email != nil {
		acc.Emails = f.Email
	}
	set(&acc.VisitingAddress.Street, f.VisitStreet)
	set(&acc.VisitingAddress.PostalCode, f.VisitPostalCode)
	set(&acc.VisitingAddress.City, f.VisitCity)
	set(&acc.VisitingAddress.Country, f.VisitCountry)
	set(&acc.PostalAddress.Street, f.PostStreet)
	set(&acc.PostalAddress.PostalCode, f.PostPostalCode)
	set(&acc.PostalAddress.City, f.PostCity)
	set(&acc.PostalAddress.Country, f.PostCountry)
	set(&acc.BillingAddress.Street, f.BillStreet)
	set(&acc.BillingAddress.PostalCode, f.BillPostalCode)
	set(&acc.BillingAddress.City, f.BillCity)
	set(&acc.BillingAddress.Country, f.BillCountry)
	set(&acc.EInvoiceAddress, f.EInvoice)
	set(&acc.EInvoiceOperator, f.EInvoiceOperator)
	if f.Parent != nil {
		acc.ParentID = *f.Parent
	}
	if f.Owner != nil {
		id, err := n.userID("owner", *f.Owner)
		if err != nil {
			return err
		}
		acc.OwnerID = id
	}
	if f.Team != nil {
		id, err := n.teamID(*f.Team)
		if err != nil {
			return err
		}
		acc.TeamID = id
	}
	if f.Tag != nil {
		acc.Tags = f.Tag
	}
	set(&acc.Description, f.Description)
	return nil
}

type accountAddCmd struct {
	accountFlags `embed:""`
}

func (c *accountAddCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	if c.Name == nil || strings.TrimSpace(*c.Name) == "" {
		return crm.FieldError("name", "a company needs a name")
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	var acc crm.Account
	if err := c.apply(n, &acc); err != nil {
		return err
	}
	saved, err := a.svc.Accounts.Create(ctx, p, &acc)
	if err != nil {
		return err
	}
	return a.printSavedAccount(ctx, p, n, saved)
}

func (a *env) printSavedAccount(ctx context.Context, p crm.Principal, n *names, saved service.Saved[*crm.Account]) error {
	for _, l := range saved.Likely {
		a.warn("%s may be the same company as %s (#%d, %s); merge them with 'tili account merge %d %d' if so",
			saved.Record.Name, l.Name, l.ID, likelyReason(l.Reason), l.ID, saved.Record.ID)
	}
	a.warnMoreLikely(saved.Lookalikes(), "companies")
	return a.emit(saved.Record, func(w io.Writer) { a.printAccount(w, acting{ctx, p, n}, saved.Record) })
}

// warnMoreLikely tells how many more lookalikes there are than the warnings listed.
func (a *env) warnMoreLikely(l service.Lookalikes, what string) {
	switch more := l.Total - len(l.Found); {
	case more > 0 && l.Total >= service.LikelyCounted:
		a.warn("and at least %d more %s like it; search for the name to see them all", more, what)
	case more > 0:
		a.warn("and %d more %s like it; search for the name to see them all", more, what)
	}
}

func likelyReason(r string) string {
	switch r {
	case "same_name":
		return "same name"
	case "similar_name":
		return "similar name"
	case "same_domain":
		return "same web or e-mail domain"
	}
	return r
}

// printAccount prints a company for people.
func (a *env) printAccount(w io.Writer, in acting, acc *crm.Account) {
	ctx, p, n := in.ctx, in.p, in.n
	parent := ""
	if acc.ParentID != 0 {
		parent = idText(acc.ParentID)
		if pa, err := a.svc.Accounts.Get(ctx, p, acc.ParentID); err == nil {
			parent = pa.Name + " (" + parent + ")"
		}
	}
	emp := ""
	if acc.Employees != nil {
		emp = strconv.FormatInt(*acc.Employees, 10)
	}
	industry := strings.TrimSpace(acc.IndustryCode + " " + acc.Industry)
	if acc.Industry == "" && acc.IndustryCode != "" {
		industry = acc.IndustryCode + " " + crm.IndustrySections[acc.IndustryCode]
	}
	einvoice := strings.TrimSpace(acc.EInvoiceAddress + " " + acc.EInvoiceOperator)
	phones := make([]string, len(acc.Phones))
	for i, ph := range acc.Phones {
		phones[i] = crm.FormatPhone(ph, a.cfg.PhoneRegion)
	}
	state := ""
	if acc.DeletedAt != nil {
		state = "in the bin since " + when(*acc.DeletedAt)
		if acc.MergedInto != 0 {
			state += ", merged into " + idText(acc.MergedInto)
		}
	}
	owner := "unassigned"
	if acc.OwnerID != 0 {
		owner = n.user(acc.OwnerID)
	}
	fields(w, [][2]string{
		{"id", strconv.FormatInt(acc.ID, 10)}, {"name", acc.Name}, {"state", state},
		{"business id", acc.BusinessID}, {"vat id", acc.VATID}, {"stage", string(acc.Stage)}, {"tier", string(acc.Tier)},
		{"segment", acc.Segment}, {"industry", industry}, {"employees", emp}, {"revenue", string(acc.RevenueBand)},
		{"website", acc.Website}, {"phones", strings.Join(phones, ", ")}, {"emails", strings.Join(acc.Emails, ", ")},
		{"visiting address", acc.VisitingAddress.Line()}, {"postal address", acc.PostalAddress.Line()},
		{"billing address", acc.BillingAddress.Line()}, {"e-invoice", einvoice}, {"parent", parent},
		{"owner", owner}, {"team", n.team(acc.TeamID)}, {"tags", strings.Join(acc.Tags, ", ")},
		{"description", acc.Description}, {"version", strconv.FormatInt(acc.Version, 10)},
		{"created", when(acc.CreatedAt)}, {"updated", when(acc.UpdatedAt)},
	})
}

type accountEditCmd struct {
	ID           int64    `arg:"" help:"Company id."`
	Version      int64    `help:"The version you saw; a company changed since then is not overwritten."`
	AddTag       []string `name:"add-tag" help:"Add a tag (repeatable)."`
	RemoveTag    []string `name:"remove-tag" help:"Remove a tag (repeatable)."`
	accountFlags `embed:""`
}

func (c *accountEditCmd) Run(ctx context.Context, a *env) error {
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
	acc, err := a.svc.Accounts.Get(ctx, p, c.ID)
	if err != nil {
		return err
	}
	if c.Version != 0 {
		acc.Version = c.Version
	}
	if err := c.apply(n, acc); err != nil {
		return err
	}
	acc.Tags = editTags(acc.Tags, c.AddTag, c.RemoveTag)
	saved, err := a.svc.Accounts.Edit(ctx, p, acc, owner)
	if err != nil {
		return err
	}
	return a.printSavedAccount(ctx, p, n, saved)
}

// editTags adds and removes tags, comparing them as search does (without case or diacritics).
func editTags(tags, add, remove []string) []string {
	drop := map[string]bool{}
	for _, r := range remove {
		drop[crm.Fold(r)] = true
	}
	var out []string
	for _, t := range append(append([]string(nil), tags...), add...) {
		if !drop[crm.Fold(t)] {
			out = append(out, t)
		}
	}
	return out
}

type accountShowCmd struct {
	ID int64 `arg:"" help:"Company id."`
}

func (c *accountShowCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Account, error) { return a.svc.Accounts.Get(ctx, in.p, c.ID) }, a.printAccount)
}

type accountListCmd struct {
	Stage  []string `help:"Only these stages (repeatable)."`
	Tier   []string `help:"Only these tiers (repeatable)."`
	Owner  []string `placeholder:"EMAIL" help:"Only companies owned by these users ('none': unassigned; repeatable)."`
	Team   []string `help:"Only these teams (repeatable)."`
	Tag    []string `help:"Only companies with all these tags (repeatable)."`
	Parent int64    `help:"Only subsidiaries of this company."`
	Bin    bool     `help:"List the bin instead."`
	Limit  int      `default:"50" help:"Companies per page (at most 1000)."`
	After  string   `placeholder:"CURSOR" help:"Continue after this cursor (printed at the end of the previous page)."`
}

func (c *accountListCmd) Run(ctx context.Context, a *env) error {
	read := func(in acting) (service.Page[*crm.Account], error) {
		f := services.AccountFilter{Tags: c.Tag, ParentID: c.Parent, Binned: c.Bin, Limit: c.Limit, After: c.After}
		for _, s := range c.Stage {
			st, err := crm.ParseStage(s)
			if err != nil {
				return service.Page[*crm.Account]{}, err
			}
			f.Stages = append(f.Stages, st)
		}
		for _, t := range c.Tier {
			f.Tiers = append(f.Tiers, crm.Tier(strings.ToUpper(t)))
		}
		var err error
		if f.OwnerIDs, f.TeamIDs, err = in.idsOf(c.Owner, c.Team); err != nil {
			return service.Page[*crm.Account]{}, err
		}
		return a.svc.Accounts.List(ctx, in.p, f)
	}
	return onList(ctx, a, c.Limit, read, listing[*crm.Account]{
		none: "no companies match", header: []string{"ID", "NAME", "STAGE", "TIER", "OWNER", "BUSINESS ID", "CITY"},
		row: func(in acting, acc *crm.Account) []string {
			owner := ""
			if acc.OwnerID != 0 {
				owner = in.n.user(acc.OwnerID)
			}
			return []string{strconv.FormatInt(acc.ID, 10), acc.Name, string(acc.Stage), string(acc.Tier), owner,
				acc.BusinessID, acc.VisitingAddress.City}
		}})
}

type accountDeleteCmd struct {
	ID      int64 `arg:"" help:"Company id."`
	Version int64 `help:"The version you saw; a company changed since then is not deleted."`
}

func (c *accountDeleteCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Account, error) { return a.svc.Accounts.Delete(ctx, in.p, c.ID, c.Version) },
		func(w io.Writer, _ acting, acc *crm.Account) {
			fmt.Fprintf(w, "%s (#%d) is in the bin; 'tili account restore %d' brings it back\n", acc.Name, acc.ID, acc.ID)
		})
}

type accountRestoreCmd struct {
	ID int64 `arg:"" help:"Company id."`
}

func (c *accountRestoreCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Account, error) { return a.svc.Accounts.Restore(ctx, in.p, c.ID) },
		func(w io.Writer, _ acting, acc *crm.Account) { fmt.Fprintf(w, "%s (#%d) is back\n", acc.Name, acc.ID) })
}

type accountMergeCmd struct {
	Keep int64 `arg:"" name:"KEEP_ID" help:"The company that stays."`
	Dup  int64 `arg:"" name:"DUP_ID" help:"The duplicate merged into it and binned."`
}

func (c *accountMergeCmd) Run(ctx context.Context, a *env) error {
	return onRecord(ctx, a, func(in acting) (*crm.Account, error) {
		acc, err := a.svc.Accounts.Merge(ctx, in.p, c.Keep, c.Dup)
		if err == nil {
			a.note("merged #%d into #%d", c.Dup, c.Keep)
		}
		return acc, err
	}, a.printAccount)
}
