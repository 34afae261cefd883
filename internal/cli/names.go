package cli

import (
	"context"
	"fmt"
	"strings"

	"tili/internal/crm"
)

// names resolves users and teams between what people type (e-mail addresses, team names) and ids.
type names struct {
	users map[int64]*crm.User
	teams map[int64]*crm.Team
}

func (a *env) names(ctx context.Context, p crm.Principal) (*names, error) {
	users, err := a.svc.Users.List(ctx, p)
	if err != nil {
		return nil, err
	}
	teams, err := a.svc.Users.Teams(ctx, p)
	if err != nil {
		return nil, err
	}
	n := &names{users: map[int64]*crm.User{}, teams: map[int64]*crm.Team{}}
	for _, u := range users {
		n.users[u.ID] = u
	}
	for _, t := range teams {
		n.teams[t.ID] = t
	}
	return n, nil
}

func (n *names) user(id int64) string {
	if u := n.users[id]; u != nil {
		return u.Email
	}
	return idText(id)
}

func (n *names) team(id int64) string {
	if t := n.teams[id]; t != nil {
		return t.Name
	}
	return idText(id)
}

// userID returns the id of the user with the e-mail address; "none" or "" means nobody (0).
func (n *names) userID(flag, email string) (int64, error) {
	email = strings.TrimSpace(email)
	if email == "" || strings.EqualFold(email, "none") {
		return 0, nil
	}
	for _, u := range n.users {
		if strings.EqualFold(u.Email, email) {
			return u.ID, nil
		}
	}
	return 0, fmt.Errorf("--%s %s: there is no such user; see 'tili user list'", flag, email)
}

// teamID returns the id of the team called name; "none" or "" means no team (0).
func (n *names) teamID(name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "none") {
		return 0, nil
	}
	for _, t := range n.teams {
		if crm.Fold(t.Name) == crm.Fold(name) {
			return t.ID, nil
		}
	}
	return 0, fmt.Errorf("--team %s: there is no such team; see 'tili team list' or add it with 'tili team add'", name)
}
