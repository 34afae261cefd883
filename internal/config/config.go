// Package config holds tili's one typed configuration: every setting, its flag, its TILI_* environment
// variable and its default, and a dump of the effective values with secrets hidden.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Config is what every tili command is configured by. The struct tags give each setting its command-line
// flag, environment variable and default; the command line wins over the environment.
type Config struct {
	Data              string `name:"data" env:"TILI_DATA" default:"tili-data" placeholder:"DIR" help:"Directory of the embedded SQLite database (created on first use)."`
	DatabaseURL       string `name:"database-url" env:"TILI_DATABASE_URL" placeholder:"URL" help:"PostgreSQL URL (postgres://user:password@host/db); empty: SQLite in the data directory. TILI_DATABASE_URL_FILE names a file holding it."`
	Migrate           bool   `name:"migrate" env:"TILI_MIGRATE" default:"true" negatable:"" help:"Bring the database schema up to date before running (--migrate=false to leave it to 'tili migrate up')."`
	As                string `name:"as" env:"TILI_AS" placeholder:"EMAIL" help:"Act as this user instead of the built-in system administrator."`
	JSON              bool   `name:"json" help:"Print JSON on standard output; messages and warnings go to standard error."`
	PhoneRegion       string `name:"phone-region" env:"TILI_PHONE_REGION" default:"FI" placeholder:"CC" help:"Country a phone number without a country code is read in (ISO 3166, e.g. FI, SE)."`
	SQLiteSynchronous string `name:"sqlite-synchronous" env:"TILI_SQLITE_SYNCHRONOUS" default:"FULL" enum:"FULL,NORMAL" help:"SQLite durability: FULL (every commit on disk) or NORMAL (faster; the last commits may be lost on power failure)."`
	LogLevel          string `name:"log-level" env:"TILI_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Least severe log level written: debug, info, warn or error."`
	LogFormat         string `name:"log-format" env:"TILI_LOG_FORMAT" default:"text" enum:"text,json" help:"Log as text or as JSON lines."`
	BaseURL           string `name:"base-url" env:"TILI_BASE_URL" placeholder:"URL" help:"The address people reach tili at, for links (one-time sign-in links, the API's servers); empty: http:// and the listening address. https:// makes cookies Secure."`
}

// Resolve reads secrets given as files (TILI_DATABASE_URL_FILE) and checks what flags cannot.
func (c *Config) Resolve() error {
	if c.DatabaseURL == "" {
		if path := os.Getenv("TILI_DATABASE_URL_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("TILI_DATABASE_URL_FILE: %w", err)
			}
			c.DatabaseURL = strings.TrimSpace(string(b))
		}
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("the database URL must start with postgres:// or postgresql://; leave it empty to use SQLite in %s", c.Data)
	}
	c.PhoneRegion = strings.ToUpper(c.PhoneRegion)
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.BaseURL == "" {
		return nil // the server's own address
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base-url %q: give the address people open tili at, like https://crm.example.fi", c.BaseURL)
	}
	return nil
}

// Setting is one effective setting as shown to people.
type Setting struct {
	Name  string `json:"name"`
	Env   string `json:"env"`
	Value string `json:"value"`
}

// Redacted lists the effective settings with passwords hidden.
func (c *Config) Redacted() []Setting {
	return []Setting{
		{"data", "TILI_DATA", c.Data},
		{"database-url", "TILI_DATABASE_URL", redactURL(c.DatabaseURL)},
		{"migrate", "TILI_MIGRATE", fmt.Sprint(c.Migrate)},
		{"as", "TILI_AS", c.As},
		{"phone-region", "TILI_PHONE_REGION", c.PhoneRegion},
		{"sqlite-synchronous", "TILI_SQLITE_SYNCHRONOUS", c.SQLiteSynchronous},
		{"log-level", "TILI_LOG_LEVEL", c.LogLevel},
		{"log-format", "TILI_LOG_FORMAT", c.LogFormat},
		{"base-url", "TILI_BASE_URL", c.BaseURL},
	}
}

// redactURL hides the password of a URL, and any password=… parameter.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(not a valid URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
