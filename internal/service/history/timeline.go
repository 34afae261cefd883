package history

import (
	"context"
	"time"

	"tili/internal/crm"
)

// Timeline is the one chronological story of a company or a person: every kind of event, newest first.
// Each kind comes from a source; changes to the record (its field history) are the first source, and
// conversations, deals, orders and cases join as sources of their own.
type Timeline struct{ history *Service }

// NewTimeline builds the timeline on the field history's use cases.
func NewTimeline(history *Service) *Timeline { return &Timeline{history: history} }

// TimelineItem is one event on a timeline. Kind tells which of the other fields are set.
type TimelineItem struct {
	Kind   string      `json:"kind"` // "change"
	At     time.Time   `json:"at"`
	Actor  string      `json:"actor"` // e-mail of who did it, or "system"
	Change *crm.Change `json:"change,omitempty"`
}

// TimelinePage is a page of a timeline and the cursor of the next, older one.
type TimelinePage struct {
	Items []TimelineItem `json:"items"`
	Next  string         `json:"next_cursor"`
}

// Of returns the newest limit events of the company (entity "account") or person ("contact") id that p
// may see, after the cursor of an earlier page.
func (s *Timeline) Of(ctx context.Context, p crm.Principal, entity string, id int64, limit int, after string) (TimelinePage, error) {
	page, err := s.history.Of(ctx, p, entity, id, limit, after)
	if err != nil {
		return TimelinePage{}, err
	}
	out := TimelinePage{Next: page.Next, Items: make([]TimelineItem, 0, len(page.Items))}
	for _, e := range page.Items {
		ch := e.Change
		out.Items = append(out.Items, TimelineItem{Kind: "change", At: ch.At, Actor: e.Actor, Change: &ch})
	}
	return out, nil
}
