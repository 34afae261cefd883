package crm

import "time"

// Change is one line of a record's field history: what changed, from what to what, who changed it
// and through which door. A record's creation, deletion, restoration and merge are changes too,
// with Field "created", "deleted", "restored", "merged" or "merged_into".
type Change struct {
	ID       int64     `json:"id"`
	Entity   string    `json:"entity"` // account, contact, user, team
	EntityID int64     `json:"entity_id"`
	Field    string    `json:"field"`
	Old      string    `json:"old,omitempty"`
	New      string    `json:"new,omitempty"`
	ActorID  int64     `json:"actor_id,omitempty"` // 0: the system (the command-line tool)
	Source   string    `json:"source"`             // ui, api, cli, import
	At       time.Time `json:"at"`
}

// Sources through which changes reach tili.
const (
	SourceUI     = "ui"
	SourceAPI    = "api"
	SourceCLI    = "cli"
	SourceImport = "import"
)
