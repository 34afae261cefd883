package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// A Room is the pages of one module, as the composition root hands them to New.
type Room struct {
	// Name names the room: its page PAGE is rendered as "NAME/PAGE", and its messages are named after it
	// in errors.
	Name string
	// Files holds the room's templates and messages: templates/PAGE.html for each page (it defines
	// "content"), templates/_*.html for partials its pages and fragments share, and messages.fi.json
	// and messages.en.json for the texts only the room uses (the core keeps those rooms share).
	Files fs.FS
	// Frame is what surrounds the room's pages; empty means AppFrame.
	Frame Frame
	// Open is called once at start-up, when every room's templates and messages are loaded. The room
	// keeps s to serve with, offers on reg what it shows on pages it does not own, and returns its
	// routes, which the server registers after every room is open (so a room may read what the others
	// offered).
	Open func(s *Server, reg *Registry) Routes
}

// Routes registers a room's handlers on a mux (Go 1.22 method and wildcard patterns).
type Routes func(mux Mux)

// Mux is what routes are registered on: an *http.ServeMux, or whatever lists them (the test that every
// form refuses a cross-origin post finds the routes so).
type Mux interface {
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// A Frame is what surrounds a page: the name of a template of the core's _layout.html.
type Frame string

// The frames.
const (
	// AppFrame is a signed-in user's page: the navigation, the search box, the account menu.
	AppFrame Frame = "frame-app"
	// SignInFrame is the plain box of the pages before sign-in.
	SignInFrame Frame = "frame-signin"
)

// page is a parsed page and the frame it is shown in.
type page struct {
	t     *template.Template
	frame Frame
}

// parseRoom parses a room's partials over the core's, and each of its pages over those; the core's own
// pages come as the room without a name.
func (s *Server) parseRoom(base *template.Template, room Room) error {
	where := "web"
	if room.Name != "" {
		where += "/" + room.Name
	}
	shared, err := fs.Glob(room.Files, "templates/_*.html")
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	pages, err := fs.Glob(room.Files, "templates/[a-z]*.html")
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if len(pages) == 0 && len(shared) == 0 && room.Name == "" {
		return fmt.Errorf("%s: the embedded templates are missing", where)
	}
	partials := base
	if room.Name != "" {
		// the core's own partials are parsed already; a room's go over a copy of them
		if partials, err = base.Clone(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if len(shared) > 0 {
			if _, err := partials.ParseFS(room.Files, shared...); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		s.partials[room.Name] = partials
	}
	frame := room.Frame
	if frame == "" {
		frame = AppFrame
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if room.Name != "" {
			name = room.Name + "/" + name
		}
		t, err := partials.Clone()
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if _, err := t.ParseFS(room.Files, p); err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = page{t: t, frame: frame}
	}
	return nil
}

// Fragment renders template name of room's partials: a piece of a page another room owns (a home
// section, a panel on a record page), offered through the Registry.
func (s *Server) Fragment(room, name string, data any) (template.HTML, error) {
	t := s.partials[room]
	if t == nil {
		return "", fmt.Errorf("web: fragment %s of a room without partials: %s", name, room)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: fragment %s/%s: %w", room, name, err)
	}
	return template.HTML(buf.String()), nil
}
