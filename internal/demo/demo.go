// Package demo fills an empty database with a fictional sample customer base: the users of a small
// Finnish sales organisation, about three hundred companies (Finnish and international, some in groups)
// and their people. It is deterministic: the same seed always gives the same data.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"tili/internal/crm"
	"tili/internal/services"
)

// Options tunes the sample.
type Options struct {
	Seed     uint64 // 0: the default seed
	Accounts int    // companies outside the groups; 0: 280
	Contacts int    // people; 0: 1200
}

// Summary tells what was added.
type Summary struct {
	Users    int `json:"users"`
	Teams    int `json:"teams"`
	Accounts int `json:"accounts"`
	Contacts int `json:"contacts"`
	// AdminEmail is the administrator to sign in as.
	AdminEmail string `json:"admin_email"`
}

// AdminEmail is the demo administrator's address.
const AdminEmail = "admin@demo.tili"

type gen struct {
	r        *rand.Rand
	svc      *services.Services
	sys      crm.Principal
	users    map[string]*crm.User // by key: admin, head, am1…am4, assistant, reader
	ams      []*crm.User
	names    map[string]bool // company names used
	ids      map[string]bool // business IDs used
	emails   map[string]bool // people's e-mail addresses used
	domains  map[string]bool // company web domains used
	accounts []*crm.Account
}

// Fill adds the sample to the database behind svc, which must be empty.
func Fill(ctx context.Context, svc *services.Services, o Options) (Summary, error) {
	if o.Seed == 0 {
		o.Seed = 20261129
	}
	if o.Accounts == 0 {
		o.Accounts = 280
	}
	if o.Contacts == 0 {
		o.Contacts = 1200
	}
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), svc: svc, sys: crm.System(crm.SourceImport),
		users: map[string]*crm.User{}, names: map[string]bool{}, ids: map[string]bool{}, emails: map[string]bool{}, domains: map[string]bool{}}
	var sum Summary
	if err := g.addUsers(ctx, &sum); err != nil {
		return sum, err
	}
	// records are created by the administrator, as an import would be
	g.sys = crm.Principal{UserID: g.users["admin"].ID, Role: crm.Admin, Source: crm.SourceImport}
	if err := g.addGroups(ctx); err != nil {
		return sum, err
	}
	for i := 0; i < o.Accounts; i++ {
		if err := g.addAccount(ctx); err != nil {
			return sum, err
		}
	}
	n, err := g.addContacts(ctx, o.Contacts)
	if err != nil {
		return sum, err
	}
	if err := g.addChanges(ctx); err != nil {
		return sum, err
	}
	sum.Accounts, sum.Contacts, sum.AdminEmail = len(g.accounts), n, AdminEmail
	return sum, nil
}

func pick[T any](g *gen, list []T) T { return list[g.r.IntN(len(list))] }

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) addUsers(ctx context.Context, sum *Summary) error {
	south, north := &crm.Team{Name: "Etelä"}, &crm.Team{Name: "Pohjoinen"}
	for _, t := range []*crm.Team{south, north} {
		if err := g.svc.Users.CreateTeam(ctx, g.sys, t); err != nil {
			return fmt.Errorf("demo: team %s: %w", t.Name, err)
		}
		sum.Teams++
	}
	both := []int64{south.ID, north.ID}
	for _, u := range []struct {
		key, email, name string
		role             crm.Role
		teams            []int64
		manager          string
		lang             string
	}{
		{"admin", AdminEmail, "Helena Ylönen", crm.Admin, nil, "", "fi"},
		{"head", "markku.salo@demo.tili", "Markku Salo", crm.SalesHead, both, "", "fi"},
		{"am1", "sanna.makinen@demo.tili", "Sanna Mäkinen", crm.AccountManager, []int64{south.ID}, "head", "fi"},
		{"am2", "jari.nieminen@demo.tili", "Jari Nieminen", crm.AccountManager, []int64{south.ID}, "head", "fi"},
		{"am3", "paivi.korhonen@demo.tili", "Päivi Korhonen", crm.AccountManager, []int64{north.ID}, "head", "fi"},
		{"am4", "asa.lindholm@demo.tili", "Åsa Lindholm", crm.AccountManager, []int64{north.ID}, "head", "en"},
		{"assistant", "tiina.laine@demo.tili", "Tiina Laine", crm.Assistant, both, "head", "fi"},
		{"reader", "olli.koskinen@demo.tili", "Olli Koskinen", crm.ReadOnly, both, "", "fi"},
	} {
		user := &crm.User{Email: u.email, Name: u.name, Role: u.role, TeamIDs: u.teams, Language: u.lang}
		if u.manager != "" {
			user.ManagerID = g.users[u.manager].ID
		}
		if err := g.svc.Users.Create(ctx, g.sys, user); err != nil {
			return fmt.Errorf("demo: user %s: %w", u.email, err)
		}
		g.users[u.key] = user
		sum.Users++
	}
	g.ams = []*crm.User{g.users["am1"], g.users["am2"], g.users["am3"], g.users["am4"]}
	return nil
}

// addGroups adds groups of companies: a parent and two to four subsidiaries, all owned by one manager.
func (g *gen) addGroups(ctx context.Context) error {
	for i := 0; i < 8; i++ {
		family := pick(g, familyNames)
		for g.names[family+"-konserni Oyj"] {
			family = pick(g, familyNames)
		}
		parentName := family + "-konserni Oyj"
		owner := g.ams[g.r.IntN(len(g.ams))]
		if err := g.addAccountNamed(ctx, parentName, 0, owner, crm.KeyAccount); err != nil {
			return err
		}
		parent := g.accounts[len(g.accounts)-1]
		for j, n := 0, 2+g.r.IntN(3); j < n; j++ {
			name := family + " " + pick(g, industryWords) + " " + pick(g, []string{"Oy", "Oy", "Oy", "Ab", "Oy", "AB", "OÜ"})
			if g.names[name] {
				continue
			}
			stage := crm.Customer
			if g.chance(0.3) {
				stage = crm.KeyAccount
			}
			if err := g.addAccountNamed(ctx, name, parent.ID, owner, stage); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) addAccount(ctx context.Context) error {
	var name string
	for name == "" || g.names[name] {
		if g.chance(0.82) {
			name = g.finnishName()
		} else {
			name = g.foreignName()
		}
	}
	r := g.r.Float64()
	stage := crm.Customer
	switch {
	case r < 0.12:
		stage = crm.Suspect
	case r < 0.42:
		stage = crm.Prospect
	case r < 0.80:
		stage = crm.Customer
	case r < 0.90:
		stage = crm.KeyAccount
	default:
		stage = crm.Former
	}
	var owner *crm.User
	switch {
	case stage == crm.Suspect && g.chance(0.5):
		owner = nil // not yet assigned
	case stage == crm.KeyAccount && g.chance(0.25):
		owner = g.users["head"]
	default:
		owner = g.ams[g.r.IntN(len(g.ams))]
	}
	return g.addAccountNamed(ctx, name, 0, owner, stage)
}

func (g *gen) finnishName() string {
	switch g.r.IntN(4) {
	case 0:
		return pick(g, familyNames) + " " + pick(g, industryWords) + " " + pick(g, []string{"Oy", "Oy", "Oy", "Ky", "Oyj"})
	case 1:
		return pick(g, placeNames) + "n " + pick(g, industryWords) + " Oy"
	case 2:
		return "Oy " + pick(g, familyNames) + " Ab"
	default:
		return pick(g, brandWords) + " " + pick(g, industryWords) + " Oy"
	}
}

func (g *gen) foreignName() string {
	c := pick(g, []string{"SE", "SE", "DE", "EE", "NO", "DK", "GB"})
	word := pick(g, foreignWords)
	switch c {
	case "SE":
		return word + " " + pick(g, []string{"Industri", "Logistik", "Teknik", "Handel"}) + " AB"
	case "DE":
		return word + " " + pick(g, []string{"Maschinenbau", "Logistik", "Technik", "Handel"}) + " GmbH"
	case "EE":
		return word + " " + pick(g, []string{"Metall", "Logistika", "Ehitus"}) + " OÜ"
	case "NO":
		return word + " " + pick(g, []string{"Industri", "Shipping", "Teknikk"}) + " AS"
	case "DK":
		return word + " " + pick(g, []string{"Industri", "Logistik"}) + " ApS"
	}
	return word + " " + pick(g, []string{"Engineering", "Supplies", "Systems"}) + " Ltd"
}

func countryOf(name string) string {
	switch {
	case strings.HasSuffix(name, " AB") && !strings.HasPrefix(name, "Oy "):
		return "SE"
	case strings.HasSuffix(name, " GmbH"):
		return "DE"
	case strings.HasSuffix(name, " OÜ"):
		return "EE"
	case strings.HasSuffix(name, " AS"):
		return "NO"
	case strings.HasSuffix(name, " ApS"):
		return "DK"
	case strings.HasSuffix(name, " Ltd"):
		return "GB"
	}
	return "FI"
}

func (g *gen) businessID() string {
	for {
		digits := fmt.Sprintf("%07d", 1000000+g.r.IntN(2999999))
		if id, ok := crm.BusinessIDFromDigits(digits); ok && !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

func (g *gen) digits(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

func slug(name string) string {
	words := crm.Words(name)
	var kept []string
	for _, w := range words {
		switch w {
		case "oy", "oyj", "ab", "ky", "gmbh", "ou", "as", "aps", "ltd", "konserni":
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		kept = words
	}
	return strings.Join(kept, "-")
}

func (g *gen) addAccountNamed(ctx context.Context, name string, parent int64, owner *crm.User, stage crm.Stage) error {
	g.names[name] = true
	country := countryOf(name)
	tld := map[string]string{"FI": "fi", "SE": "se", "DE": "de", "EE": "ee", "NO": "no", "DK": "dk", "GB": "co.uk"}[country]
	domain := slug(name) + "." + tld
	for i := 2; g.domains[domain]; i++ {
		domain = fmt.Sprintf("%s%d.%s", slug(name), i, tld)
	}
	g.domains[domain] = true
	a := &crm.Account{Name: name, Stage: stage, ParentID: parent, Website: "www." + domain}
	if owner != nil {
		a.OwnerID = owner.ID
	}
	city := pick(g, cities)
	switch country {
	case "FI":
		a.BusinessID = g.businessID()
		if g.chance(0.7) {
			a.VATID = crm.VATIDFromBusinessID(a.BusinessID)
		}
		a.VisitingAddress = crm.Address{Street: pick(g, streets) + " " + fmt.Sprint(1+g.r.IntN(80)), PostalCode: city.postal, City: city.name, Country: "FI"}
		if g.chance(0.4) {
			a.PostalAddress = crm.Address{Street: "PL " + fmt.Sprint(10+g.r.IntN(900)), PostalCode: city.postal[:3] + "01", City: city.name, Country: "FI"}
		}
		if stage == crm.Customer || stage == crm.KeyAccount {
			if g.chance(0.75) {
				a.EInvoiceAddress = "0037" + strings.ReplaceAll(a.BusinessID, "-", "")
				a.EInvoiceOperator = pick(g, []string{"003723327487", "003721291126", "003710948874", "OKOYFIHH", "NDEAFIHH", "HELSFIHH"})
			}
		}
		a.Phones = []string{g.landline(city.area)}
	default:
		foreign := foreignCities[country]
		a.VisitingAddress = crm.Address{Street: foreign.street + " " + fmt.Sprint(1+g.r.IntN(60)), PostalCode: foreign.postal, City: foreign.city, Country: country}
		switch country {
		case "SE":
			a.VATID = "SE" + g.digits(10) + "01"
		case "DE":
			a.VATID = "DE" + g.digits(9)
		case "EE":
			a.VATID = "EE10" + g.digits(7)
		case "DK":
			a.VATID = "DK" + g.digits(8)
		}
		for len(a.Phones) == 0 {
			if n := foreign.phone + g.digits(foreign.phoneDigits); validPhone(n) {
				a.Phones = []string{n}
			}
		}
	}
	if g.chance(0.8) {
		a.Emails = []string{pick(g, []string{"info", "myynti", "asiakaspalvelu", "hankinnat"}) + "@" + domain}
		if country != "FI" {
			a.Emails = []string{"info@" + domain}
		}
	}
	code := pick(g, []string{"C", "C", "C", "F", "G", "G", "H", "J", "M", "N", "Q", "D", "E", "L", "I", "P", "A", "K"})
	a.IndustryCode = code
	a.Segment = segmentOf[code]
	emp := int64(5 + g.r.IntN(40))
	switch {
	case stage == crm.KeyAccount || strings.HasSuffix(name, "Oyj"):
		emp = int64(200 + g.r.IntN(3000))
	case g.chance(0.4):
		emp = int64(40 + g.r.IntN(300))
	}
	a.Employees = &emp
	switch {
	case emp < 10:
		a.RevenueBand = "0-1M"
	case emp < 50:
		a.RevenueBand = "1-10M"
	case emp < 250:
		a.RevenueBand = "10-50M"
	case emp < 1000:
		a.RevenueBand = "50-250M"
	default:
		a.RevenueBand = "250M+"
	}
	switch stage {
	case crm.KeyAccount:
		a.Tier = "A"
	case crm.Customer:
		a.Tier = crm.Tier(pick(g, []string{"A", "B", "B", "C", "C"}))
	case crm.Prospect:
		a.Tier = crm.Tier(pick(g, []string{"B", "C", ""}))
	}
	for _, t := range tagWords {
		if g.chance(0.12) {
			a.Tags = append(a.Tags, t)
		}
	}
	if city.region != "" && country == "FI" && g.chance(0.5) {
		a.Tags = append(a.Tags, city.region)
	}
	if g.chance(0.5) {
		a.Description = pick(g, descriptions)
	}
	saved, err := g.svc.Accounts.Create(ctx, g.sys, a)
	if err != nil {
		return fmt.Errorf("demo: company %s: %w", name, err)
	}
	g.accounts = append(g.accounts, saved.Record)
	return nil
}

// landline returns a valid fixed-line number in the area code area.
func (g *gen) landline(area string) string {
	for {
		n := "0" + area + " " + g.digits(7-len(area)+1)
		if validPhone(n) {
			return n
		}
	}
}

// addContacts adds people: three or four per company on average, more at key accounts, and a few
// consumers without a company.
func (g *gen) addContacts(ctx context.Context, total int) (int, error) {
	weights := make([]int, len(g.accounts))
	sum := 0
	for i, a := range g.accounts {
		w := 3
		switch a.Stage {
		case crm.KeyAccount:
			w = 8
		case crm.Customer:
			w = 4
		case crm.Suspect:
			w = 1
		}
		weights[i] = w
		sum += w
	}
	var people []*crm.Contact
	// every company gets at least one person, the rest go by weight
	for i := range g.accounts {
		people = append(people, g.person(g.accounts[i], len(people)))
	}
	for len(people) < total-total/25 {
		x := g.r.IntN(sum)
		i := 0
		for x >= weights[i] {
			x -= weights[i]
			i++
		}
		people = append(people, g.person(g.accounts[i], len(people)))
	}
	for len(people) < total {
		people = append(people, g.person(nil, len(people)))
	}
	return g.svc.Contacts.CreateMany(ctx, g.sys, people)
}

func (g *gen) person(a *crm.Account, n int) *crm.Contact {
	c := &crm.Contact{Consent: crm.Consent{Email: "unknown", Phone: "unknown", Post: "unknown", SMS: "unknown"}}
	country := "FI"
	if a != nil {
		country = a.VisitingAddress.Country
	}
	switch country {
	case "FI":
		if g.chance(0.06) {
			c.FirstName, c.LastName, c.Language = pick(g, swedishFirst), pick(g, finlandSwedishLast), "sv"
		} else {
			c.FirstName, c.LastName, c.Language = pick(g, finnishFirst), pick(g, finnishLast), "fi"
		}
	case "SE":
		c.FirstName, c.LastName, c.Language = pick(g, swedishFirst), pick(g, swedishLast), "sv"
	case "DE":
		c.FirstName, c.LastName, c.Language = pick(g, germanFirst), pick(g, germanLast), "de"
	case "EE":
		c.FirstName, c.LastName, c.Language = pick(g, estonianFirst), pick(g, estonianLast), "et"
	default:
		c.FirstName, c.LastName, c.Language = pick(g, englishFirst), pick(g, englishLast), "en"
	}
	if a == nil {
		c.Kind = "b2c"
		c.Title = ""
		c.Phones = []string{g.mobile()}
		local := slug(c.FirstName) + "." + slug(c.LastName)
		c.Emails = []string{g.uniqueEmail(local, pick(g, []string{"gmail.com", "outlook.com", "luukku.com", "icloud.com"}))}
		c.OwnerID = g.ams[n%len(g.ams)].ID
		c.Consent.Email = crm.ConsentState(pick(g, []string{"opt_in", "opt_in", "unknown", "opt_out"}))
		c.Channel = crm.Channel(pick(g, []string{"email", "phone", "sms"}))
		return c
	}
	c.AccountID = a.ID
	c.OwnerID = a.OwnerID
	role := g.r.IntN(len(titles))
	t := titles[role]
	if country == "FI" && c.Language != "sv" {
		c.Title = t.fi
	} else {
		c.Title = t.en
	}
	c.Department = t.dept
	c.Role = crm.BuyingRole(t.role)
	c.Influence = crm.Influence(t.influence)
	c.Attitude = crm.Attitude(pick(g, []string{"supporter", "neutral", "neutral", "neutral", "critic"}))
	if domain := crm.WebsiteDomain(a.Website); domain != "" && g.chance(0.9) {
		c.Emails = []string{g.uniqueEmail(slug(c.FirstName)+"."+slug(c.LastName), domain)}
	}
	if country == "FI" && g.chance(0.85) {
		c.Phones = []string{g.mobile()}
	}
	c.Channel = crm.Channel(pick(g, []string{"email", "email", "phone", "meeting", "phone", "chat"}))
	r := g.r.Float64()
	switch {
	case r < 0.35:
		c.Consent.Email = "opt_in"
	case r < 0.40:
		c.Consent.Email = "opt_out"
	case r < 0.41:
		c.Consent.Email = "objection"
	}
	if g.chance(0.2) {
		c.Consent.Phone = "opt_in"
	}
	if g.chance(0.15) {
		c.Description = pick(g, personNotes)
	}
	return c
}

func (g *gen) mobile() string {
	for {
		n := pick(g, []string{"040", "041", "044", "045", "046", "050"}) + " " + g.digits(3) + " " + g.digits(4)
		if validPhone(n) {
			return n
		}
	}
}

func validPhone(n string) bool {
	_, err := crm.ParsePhone(n, "FI")
	return err == nil
}

func (g *gen) uniqueEmail(local, domain string) string {
	e := local + "@" + domain
	for i := 2; g.emails[e]; i++ {
		e = fmt.Sprintf("%s%d@%s", local, i, domain)
	}
	g.emails[e] = true
	return e
}

// addChanges makes the sample look lived in: some prospects became customers, and some people moved to
// another company, changed by their managers in the web UI.
func (g *gen) addChanges(ctx context.Context) error {
	for _, a := range g.accounts {
		if a.Stage != crm.Customer || a.OwnerID == 0 || !g.chance(0.2) {
			continue
		}
		owner := crm.Principal{UserID: a.OwnerID, Role: crm.AccountManager, Source: crm.SourceUI}
		if a.OwnerID == g.users["head"].ID {
			owner.Role = crm.SalesHead
		}
		current, err := g.svc.Accounts.Get(ctx, owner, a.ID)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", a.Name, err)
		}
		// history reads prospect → customer: put it back a step first, as the owner saw it then
		current.Stage = crm.Prospect
		saved, err := g.svc.Accounts.Update(ctx, owner, current)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", a.Name, err)
		}
		saved.Record.Stage = crm.Customer
		if _, err := g.svc.Accounts.Update(ctx, owner, saved.Record); err != nil {
			return fmt.Errorf("demo: %s: %w", a.Name, err)
		}
	}
	page, err := g.svc.Contacts.List(ctx, g.sys, services.ContactFilter{Limit: 60})
	if err != nil {
		return err
	}
	for i, c := range page.Items {
		if i%3 != 0 || c.AccountID == 0 {
			continue
		}
		to := g.accounts[g.r.IntN(len(g.accounts))]
		if to.ID == c.AccountID || to.VisitingAddress.Country != "FI" {
			continue
		}
		c.AccountID = to.ID
		c.Emails = nil
		if _, err := g.svc.Contacts.Update(ctx, g.sys, c); err != nil {
			return fmt.Errorf("demo: move %s: %w", c.Name(), err)
		}
	}
	return nil
}
