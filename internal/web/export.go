package web

import (
	"fmt"
	"net/http"
	"strings"

	"tili/internal/crm"
	"tili/internal/transfer"
)

// maxExportRows caps one export; a bigger one is refused with a hint to filter.
const maxExportRows = 100_000

// GET /companies/export?format=csv or xlsx: the companies of the current view, every page of them.
func (s *Server) companiesExport(w http.ResponseWriter, r *http.Request, pg *Page) {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		s.fail(w, r, pg, crm.Errorf(crm.NotFound, "there is no %s export; use csv or xlsx", format))
		return
	}
	f, err := accountFilter(r.URL.Query(), pg)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	users, err := s.svc.Users.List(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	teams, err := s.svc.Users.Teams(r.Context(), pg.Principal)
	if err != nil {
		s.fail(w, r, pg, err)
		return
	}
	names, teamNames := userNames(users), map[int64]string{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	t := transfer.Table{Sheet: pg.T("nav.companies")}
	for _, h := range []string{"field.name", "field.business_id", "field.vat_id", "field.stage", "field.tier", "field.segment",
		"field.industry_code", "field.industry", "field.employees", "field.revenue_band", "field.website", "field.phones",
		"field.emails", "field.street", "field.postal_code", "field.city", "field.country", "field.einvoice_address",
		"field.einvoice_operator", "field.owner", "field.team", "field.tags", "field.created", "field.updated",
		// added after the first columns, so that a sheet built on the earlier export keeps its references
		"field.postal_address.street", "field.postal_address.postal_code", "field.postal_address.city",
		"field.postal_address.country", "field.billing_address.street", "field.billing_address.postal_code",
		"field.billing_address.city", "field.billing_address.country", "field.parent", "field.description",
		"field.internal_notes"} {
		t.Header = append(t.Header, pg.T(h))
	}
	f.Limit = 1000
	for {
		page, err := s.svc.Accounts.List(r.Context(), pg.Principal, f)
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		var parentIDs []int64
		for _, a := range page.Items {
			parentIDs = append(parentIDs, a.ParentID)
		}
		parents, err := s.accountNames(r, pg, parentIDs)
		if err != nil {
			s.fail(w, r, pg, err)
			return
		}
		for _, a := range page.Items {
			var phones []string
			for _, p := range a.Phones {
				phones = append(phones, pg.Phone(p))
			}
			employees := transfer.TextCell("")
			if a.Employees != nil {
				employees = transfer.NumberCell(float64(*a.Employees), pg.Num(*a.Employees))
			}
			v, post, bill := a.VisitingAddress, a.PostalAddress, a.BillingAddress
			t.Rows = append(t.Rows, []transfer.Cell{transfer.TextCell(a.Name), transfer.TextCell(a.BusinessID),
				transfer.TextCell(a.VATID), transfer.TextCell(pg.Enum("stage", a.Stage)), transfer.TextCell(string(a.Tier)),
				transfer.TextCell(a.Segment), transfer.TextCell(a.IndustryCode), transfer.TextCell(a.Industry), employees,
				transfer.TextCell(pg.Enum("revenue_band", a.RevenueBand)), transfer.TextCell(a.Website),
				transfer.TextCell(strings.Join(phones, ", ")), transfer.TextCell(strings.Join(a.Emails, ", ")),
				transfer.TextCell(v.Street), transfer.TextCell(v.PostalCode), transfer.TextCell(v.City), transfer.TextCell(v.Country),
				transfer.TextCell(a.EInvoiceAddress), transfer.TextCell(a.EInvoiceOperator), transfer.TextCell(names[a.OwnerID]),
				transfer.TextCell(teamNames[a.TeamID]), transfer.TextCell(strings.Join(a.Tags, ", ")),
				transfer.TextCell(pg.Date(a.CreatedAt)), transfer.TextCell(pg.Date(a.UpdatedAt)),
				transfer.TextCell(post.Street), transfer.TextCell(post.PostalCode), transfer.TextCell(post.City), transfer.TextCell(post.Country),
				transfer.TextCell(bill.Street), transfer.TextCell(bill.PostalCode), transfer.TextCell(bill.City), transfer.TextCell(bill.Country),
				// internal notes come redacted from the service for those who may not see them
				transfer.TextCell(parents[a.ParentID]), transfer.TextCell(a.Description), transfer.TextCell(a.InternalNotes)})
		}
		if len(t.Rows) > maxExportRows {
			s.fail(w, r, pg, crm.Errorf(crm.Invalid, "%s", pg.T("export.too_big", "max", pg.Num(maxExportRows))))
			return
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	s.writeExport(w, r, pg, crm.KindAccount.Name, pg.T("export.companies_file"), format, t)
}

// writeExport sends a table as a file download and notes the export in the audit log.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, pg *Page, entity, name, format string, t transfer.Table) {
	if err := s.svc.RecordExport(r.Context(), pg.Principal, entity, format, len(t.Rows)); err != nil {
		s.fail(w, r, pg, err)
		return
	}
	file := fmt.Sprintf("%s-%s.%s", name, s.clock.Now().In(pg.Loc).Format("2006-01-02"), format)
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	w.Header().Set("Cache-Control", "no-store")
	var err error
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = transfer.WriteCSV(w, t)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = transfer.WriteXLSX(w, t)
	}
	if err != nil {
		s.log.Error("export", "err", err)
	}
}
