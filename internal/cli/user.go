package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tili/internal/crm"
)

type userCmd struct {
	Add     userAddCmd     `cmd:"" help:"Add a user; prints a one-time link to set the password (valid 24 hours), or reads it with --password-stdin."`
	List    userListCmd    `cmd:"" help:"List users."`
	Edit    userEditCmd    `cmd:"" help:"Change a user's name, role, teams, manager, language or time zone."`
	Disable userDisableCmd `cmd:"" help:"Stop a user from signing in; ends all their sessions and API tokens."`
	Enable  userEnableCmd  `cmd:"" help:"Let a disabled user sign in again (with a new password)."`
	Reset   userResetCmd   `cmd:"" help:"Print a new one-time link (valid 24 hours) for the user to choose a password."`
	Passwd  userPasswdCmd  `cmd:"" help:"Set a user's password, read as one line from standard input."`
}

type userAddCmd struct {
	Email    string   `required:"" help:"E-mail address; the user signs in with it."`
	Name     string   `required:"" help:"Full name."`
	Role     string   `default:"account_manager" help:"admin, sales_head, account_manager, assistant or read_only."`
	Team     []string `help:"Team name; repeat for several. The first is the team the user's new records get."`
	Manager  string   `placeholder:"EMAIL" help:"The user's manager, for the sales head's view of their team."`
	Language string   `default:"fi" help:"Language of the user interface: fi or en."`
	TimeZone string   `name:"time-zone" default:"Europe/Helsinki" help:"Time zone, e.g. Europe/Helsinki."`
	Stdin    bool     `name:"password-stdin" help:"Read the password as one line from standard input instead of printing a link."`
}

func (c *userAddCmd) Run(ctx context.Context, a *env) error {
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
	password := ""
	if c.Stdin {
		// the password is checked before the user exists, so a refused one leaves nothing behind
		if password, err = readPassword(a.stdin); err != nil {
			return err
		}
		if err := a.svc.Auth.CheckPassword(password, c.Email, c.Name); err != nil {
			return err
		}
	}
	if err := a.svc.Users.Create(ctx, p, &u); err != nil {
		return err
	}
	n.users[u.ID] = &u
	out := struct {
		crm.User
		Link string `json:"set_password_link,omitempty"`
	}{User: u}
	if c.Stdin {
		if err := a.svc.Auth.SetPassword(ctx, p, u.ID, password); err != nil {
			return err
		}
	} else if out.Link, err = a.passwordLink(ctx, p, u.ID); err != nil {
		return err
	}
	return a.emit(out, func(w io.Writer) {
		printUsers(w, n, []*crm.User{&u})
		if out.Link != "" {
			fmt.Fprintf(w, "\n%s chooses a password at (valid 24 hours, once):\n  %s\n", u.Email, out.Link)
		}
	})
}

// readPassword reads one line of standard input, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", errors.New("--password-stdin: give the password as one line on standard input, e.g. printf '%s\\n' \"$PASSWORD\" | tili …")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (a *env) passwordLink(ctx context.Context, p crm.Principal, userID int64) (string, error) {
	token, err := a.svc.Auth.PasswordLink(ctx, p, userID)
	if err != nil {
		return "", err
	}
	base := a.cfg.BaseURL
	if base == "" {
		base = defaultBaseURL
	}
	return base + "/set-password?token=" + token, nil
}

// userByEmail finds a user for the commands that take an e-mail address.
func (a *env) userByEmail(ctx context.Context, p crm.Principal, email string) (*crm.User, error) {
	u, err := a.svc.Users.ByEmail(ctx, p, email)
	if crm.CodeOf(err) == crm.NotFound {
		return nil, fmt.Errorf("there is no user %s; see 'tili user list'", email)
	}
	return u, err
}

type userEditCmd struct {
	Email    string   `arg:"" help:"The user's e-mail address."`
	Name     *string  `help:"Full name."`
	Role     *string  `help:"admin, sales_head, account_manager, assistant or read_only."`
	Team     []string `help:"Team name; repeat for several (replaces the teams; 'none' for no team)."`
	Manager  *string  `placeholder:"EMAIL" help:"The user's manager ('none' for nobody)."`
	Language *string  `help:"fi or en."`
	TimeZone *string  `name:"time-zone" help:"Time zone, e.g. Europe/Helsinki."`
}

func (c *userEditCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	n, err := a.names(ctx, p)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.Email)
	if err != nil {
		return err
	}
	if c.Name != nil {
		u.Name = *c.Name
	}
	if c.Role != nil {
		u.Role = crm.Role(*c.Role)
	}
	if c.Team != nil {
		u.TeamIDs = nil
		for _, t := range c.Team {
			id, err := n.teamID(t)
			if err != nil {
				return err
			}
			if id != 0 {
				u.TeamIDs = append(u.TeamIDs, id)
			}
		}
	}
	if c.Manager != nil {
		if u.ManagerID, err = n.userID("manager", *c.Manager); err != nil {
			return err
		}
	}
	if c.Language != nil {
		u.Language = *c.Language
	}
	if c.TimeZone != nil {
		u.TimeZone = *c.TimeZone
	}
	if err := a.svc.Users.Update(ctx, p, u); err != nil {
		return err
	}
	n.users[u.ID] = u
	return a.emit(u, func(w io.Writer) { printUsers(w, n, []*crm.User{u}) })
}

type userDisableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c *userDisableCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.Email)
	if err != nil {
		return err
	}
	if err := a.svc.Users.Disable(ctx, p, u.ID); err != nil {
		return err
	}
	return a.emit(map[string]any{"id": u.ID, "email": u.Email, "disabled": true}, func(w io.Writer) {
		fmt.Fprintf(w, "%s is disabled; their sessions and API tokens have ended\n", u.Email)
	})
}

type userEnableCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c *userEnableCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.Email)
	if err != nil {
		return err
	}
	if err := a.svc.Users.Enable(ctx, p, u.ID); err != nil {
		return err
	}
	link, err := a.passwordLink(ctx, p, u.ID)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"id": u.ID, "email": u.Email, "disabled": false, "set_password_link": link}, func(w io.Writer) {
		fmt.Fprintf(w, "%s may sign in again once they choose a new password at (valid 24 hours, once):\n  %s\n", u.Email, link)
	})
}

type userResetCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c *userResetCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.Email)
	if err != nil {
		return err
	}
	link, err := a.passwordLink(ctx, p, u.ID)
	if err != nil {
		return err
	}
	return a.emit(map[string]any{"email": u.Email, "set_password_link": link}, func(w io.Writer) {
		fmt.Fprintf(w, "%s chooses a new password at (valid 24 hours, once; earlier links stop working):\n  %s\n", u.Email, link)
	})
}

type userPasswdCmd struct {
	Email string `arg:"" help:"The user's e-mail address."`
}

func (c *userPasswdCmd) Run(ctx context.Context, a *env) error {
	p, err := a.openAs(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, p, c.Email)
	if err != nil {
		return err
	}
	password, err := readPassword(a.stdin)
	if err != nil {
		return errors.New("tili user passwd reads the new password as one line from standard input, e.g. printf '%s\\n' \"$PASSWORD\" | tili user passwd " + c.Email)
	}
	if err := a.svc.Auth.SetPassword(ctx, p, u.ID, password); err != nil {
		return err
	}
	return a.emit(map[string]any{"email": u.Email, "password_set": true}, func(w io.Writer) {
		fmt.Fprintf(w, "the password of %s is set; their other sessions have ended\n", u.Email)
	})
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

func (c *userListCmd) Run(ctx context.Context, a *env) error {
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

func (c *teamAddCmd) Run(ctx context.Context, a *env) error {
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

func (c *teamListCmd) Run(ctx context.Context, a *env) error {
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
