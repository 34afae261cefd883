package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tili/internal/services"

	"tili/internal/crm"
	"tili/internal/service"
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
	return a.emit(saved.Record, func(w io.Writer) { a.printAccount(ctx, p, n, w, saved.Record) })
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

func (a *env) printAccount(ctx context.Context, p crm.Principal, n *names, w io.Writer, acc *crm.Account) {
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
		{"visiting address", addressText(acc.VisitingAddress)}, {"postal address", addressText(acc.PostalAddress)},
		{"billing address", addressText(acc.BillingAddress)}, {"e-invoice", einvoice}, {"parent", parent},
		{"owner", owner}, {"team", n.team(acc.TeamID)}, {"tags", strings.Join(acc.Tags, ", ")},
		{"description", acc.Description}, {"version", strconv.FormatInt(acc.Version, 10)},
		{"created", when(acc.CreatedAt)}, {"updated", when(acc.UpdatedAt)},
	})
}

func addressText(ad crm.Address) string {
	var parts []string
	if ad.Street != "" {
		parts = append(parts, ad.Street)
	}
	if pc := strings.TrimSpace(ad.PostalCode + " " + ad.City); pc != "" {
		parts = append(parts, pc)
	}
	if ad.Country != "" && ad.Country != "FI" {
		parts = append(parts, ad.Country)
	}
	return strings.Join(parts, ", ")
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
	var saved service.Saved[*crm.Account]
	if owner != nil {
		saved, err = a.svc.Accounts.UpdateAndReassign(ctx, p, acc, *owner)
	} else {
		saved, err = a.svc.Accounts.Update(ctx, p, acc)
	}
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
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	acc, err := a.svc.Accounts.Get(ctx, p, c.ID)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	return a.emit(acc, func(w io.Writer) { a.printAccount(ctx, p, n, w, acc) })
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
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	f := services.AccountFilter{Tags: c.Tag, ParentID: c.Parent, Binned: c.Bin, Limit: c.Limit, After: c.After}
	if c.Limit > 1000 || c.Limit < 1 {
		return crm.FieldError("limit", "give a page size from 1 to 1000")
	}
	for _, s := range c.Stage {
		st, err := crm.ParseStage(s)
		if err != nil {
			return err
		}
		f.Stages = append(f.Stages, st)
	}
	for _, t := range c.Tier {
		f.Tiers = append(f.Tiers, crm.Tier(strings.ToUpper(t)))
	}
	for _, o := range c.Owner {
		id, err := n.userID("owner", o)
		if err != nil {
			return err
		}
		f.OwnerIDs = append(f.OwnerIDs, id)
	}
	for _, t := range c.Team {
		id, err := n.teamID(t)
		if err != nil {
			return err
		}
		f.TeamIDs = append(f.TeamIDs, id)
	}
	page, err := a.svc.Accounts.List(ctx, p, f)
	if err != nil {
		return err
	}
	return a.emit(page, func(w io.Writer) {
		if len(page.Items) == 0 {
			a.note("no companies match")
			return
		}
		rows := make([][]string, len(page.Items))
		for i, acc := range page.Items {
			owner := ""
			if acc.OwnerID != 0 {
				owner = n.user(acc.OwnerID)
			}
			rows[i] = []string{strconv.FormatInt(acc.ID, 10), acc.Name, string(acc.Stage), string(acc.Tier), owner,
				acc.BusinessID, acc.VisitingAddress.City}
		}
		table(w, []string{"ID", "NAME", "STAGE", "TIER", "OWNER", "BUSINESS ID", "CITY"}, rows)
		if page.Next != "" {
			a.note("more: add --after %s", page.Next)
		}
	})
}

type accountDeleteCmd struct {
	ID      int64 `arg:"" help:"Company id."`
	Version int64 `help:"The version you saw; a company changed since then is not deleted."`
}

func (c *accountDeleteCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	acc, err := a.svc.Accounts.Delete(ctx, p, c.ID, c.Version)
	if err != nil {
		return err
	}
	return a.emit(acc, func(w io.Writer) {
		fmt.Fprintf(w, "%s (#%d) is in the bin; 'tili account restore %d' brings it back\n", acc.Name, acc.ID, acc.ID)
	})
}

type accountRestoreCmd struct {
	ID int64 `arg:"" help:"Company id."`
}

func (c *accountRestoreCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	acc, err := a.svc.Accounts.Restore(ctx, p, c.ID)
	if err != nil {
		return err
	}
	return a.emit(acc, func(w io.Writer) { fmt.Fprintf(w, "%s (#%d) is back\n", acc.Name, acc.ID) })
}

type accountMergeCmd struct {
	Keep int64 `arg:"" name:"KEEP_ID" help:"The company that stays."`
	Dup  int64 `arg:"" name:"DUP_ID" help:"The duplicate merged into it and binned."`
}

func (c *accountMergeCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	acc, err := a.svc.Accounts.Merge(ctx, p, c.Keep, c.Dup)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	a.note("merged #%d into #%d", c.Dup, c.Keep)
	return a.emit(acc, func(w io.Writer) { a.printAccount(ctx, p, n, w, acc) })
}
