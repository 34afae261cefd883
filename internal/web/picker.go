package web

import (
	"context"
	"strings"

	"tili/internal/services"

	"tili/internal/crm"
)

// pickAccount finds the company a user typed the name of where the picker (which needs JavaScript)
// would have given its id: the only company they may see with exactly that name, else the only one whose
// name starts with it. Company not is left out (the record itself).
func (s *Server) pickAccount(ctx context.Context, pg *Page, name string, not int64) (int64, error) {
	if name = strings.TrimSpace(crm.PlainText(name)); name == "" {
		return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.empty"))
	}
	page, err := s.svc.Accounts.List(ctx, pg.Principal, services.AccountFilter{Name: name, Limit: 20})
	if err != nil {
		return 0, err
	}
	var exact, prefix []int64
	for _, a := range page.Items {
		if a.ID == not {
			continue
		}
		prefix = append(prefix, a.ID)
		if crm.Fold(a.Name) == crm.Fold(name) {
			exact = append(exact, a.ID)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(prefix) == 1:
		return prefix[0], nil
	case len(prefix) == 0:
		return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.none", "name", name))
	}
	return 0, crm.Errorf(crm.Invalid, "%s", pg.T("picker.many", "name", name))
}
