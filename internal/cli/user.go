package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tili/internal/crm"
)

type userCmd struct {
	Add  userAddCmd  `cmd:"" help:"Add a user."`
	List userListCmd `cmd:"" help:"List users."`
}

type userAddCmd struct {
	Email    string   `required:"" help:"E-mail address; the user signs in with it."`
	Name     string   `required:"" help:"Full name."`
	Role     string   `default:"account_manager" help:"admin, sales_head, account_manager, assistant or read_only."`
	Team     []string `help:"Team name; repeat for several. The first is the team the user's new records get."`
	Manager  string   `placeholder:"EMAIL" help:"The user's manager, for the sales head's view of their team."`
	Language string   `default:"fi" help:"Language of the user interface: fi or en."`
	TimeZone string   `name:"time-zone" default:"Europe/Helsinki" help:"Time zone, e.g. Europe/Helsinki."`
}

func (c *userAddCmd) Run(ctx context.Context, a *app) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	u := crm.User{Email: c.Email, Name: c.Name, Role: crm.Role(c.Role), Language: c.Language, TimeZone: c.TimeZone}
	for _, t := range c.Team {
		id, err := n.teamID(t)
		if err != nil {
			return err
		}
		if id != 0 {
			u.TeamIDs = append(u.TeamIDs, id)
		}
	}
	if c.Manager != "" {
		if u.ManagerID, err = n.userID("manager", c.Manager); err != nil {
			return err
		}
	}
	if err := a.svc.Users.Create(ctx, p, &u); err != nil {
		return err
	}
	n.users[u.ID] = &u
	return a.emit(u, func(w io.Writer) { printUsers(w, n, []*crm.User{&u}) })
}

func printUsers(w io.Writer, n *names, users []*crm.User) {
	rows := make([][]string, len(users))
	for i, u := range users {
		var teams []string
		for _, t := range u.TeamIDs {
			teams = append(teams, n.team(t))
		}
		manager, state := "", "active"
		if u.ManagerID != 0 {
			manager = n.user(u.ManagerID)
		}
		if u.DisabledAt != nil {
			state = "disabled"
		}
		rows[i] = []string{strconv.FormatInt(u.ID, 10), u.Email, u.Name, string(u.Role), strings.Join(teams, ", "), manager, state}
	}
	table(w, []string{"ID", "EMAIL", "NAME", "ROLE", "TEAMS", "MANAGER", "STATE"}, rows)
}

type userListCmd struct{}

func (c *userListCmd) Run(ctx context.Context, a *app) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	users, err := a.svc.Users.List(ctx, p)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"items": nonNil(users), "next_cursor": ""}, func(w io.Writer) {
		if len(users) == 0 {
			a.note("no users yet; add one with 'tili user add --email E --name N --role admin'")
			return
		}
		printUsers(w, n, users)
	})
}

type teamCmd struct {
	Add  teamAddCmd  `cmd:"" help:"Add a team."`
	List teamListCmd `cmd:"" help:"List teams."`
}

type teamAddCmd struct {
	Name string `arg:"" help:"Team name."`
}

func (c *teamAddCmd) Run(ctx context.Context, a *app) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	t := crm.Team{Name: c.Name}
	if err := a.svc.Users.CreateTeam(ctx, p, &t); err != nil {
		return err
	}
	return a.emit(t, func(w io.Writer) { fmt.Fprintf(w, "team %s (#%d) added\n", t.Name, t.ID) })
}

type teamListCmd struct{}

func (c *teamListCmd) Run(ctx context.Context, a *app) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	teams, err := a.svc.Users.Teams(ctx, p)
	if err != nil {
		return err
	}
	users, err := a.svc.Users.List(ctx, p)
	if err != nil {
		return err
	}
	members := map[int64]int{}
	for _, u := range users {
		for _, t := range u.TeamIDs {
			members[t]++
		}
	}
	return a.emit(map[string]any{"items": nonNil(teams), "next_cursor": ""}, func(w io.Writer) {
		if len(teams) == 0 {
			a.note("no teams yet; add one with 'tili team add NAME'")
			return
		}
		rows := make([][]string, len(teams))
		for i, t := range teams {
			rows[i] = []string{strconv.FormatInt(t.ID, 10), t.Name, strconv.Itoa(members[t.ID])}
		}
		table(w, []string{"ID", "NAME", "MEMBERS"}, rows)
	})
}

// nonNil returns an empty slice for nil, so JSON shows [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
