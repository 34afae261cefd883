// Command tili is a CRM for account managers: one binary, an embedded SQLite database by default,
// PostgreSQL when a company outgrows one machine. Run "tili --help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"tili/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
