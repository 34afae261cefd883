package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/crm"
	"tili/internal/httpx"
	"tili/internal/service"
	"tili/internal/services"
)

// The record kit: every kind of record is listed, created, read, changed with If-Match and a merge patch,
// binned, restored, merged, reassigned and asked for its history the same way, so a kind's room states
// what is its own (its types, its list filters, the words of its documentation) and the kit registers
// the operations. Their ids, summaries, parameters and errors follow from the kind, the same for every
// kind; their descriptions are the room's.

// Resource is how a kind of record appears in the API.
type Resource struct {
	Kind *crm.Kind // whose history the history operation reads
	// Path is the collection, such as /api/v1/accounts; each record is at Path/{id}.
	Path string
	// Tag groups the kind's operations in the document; Register lists the tags.
	Tag string
	// One is a record with its article and Many the records, as the summaries say them: "Create a
	// company", "List companies".
	One, Many string
	// Pronoun is how a record is referred to when it was changed meanwhile: "get it again".
	Pronoun string
}

// name is the kind's name in operation ids and schema names: "Account".
func (r *Resource) name() string { return capitalised(r.Kind.Name) }

func capitalised(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// operation is the documentation of one of the kind's operations, at Path+sub. Every one of them needs a
// signed-in caller and may answer the common errors besides errs.
func (r *Resource) operation(id, method, sub, summary, description string, errs ...int) huma.Operation {
	return huma.Operation{OperationID: id, Method: method, Path: r.Path + sub, Summary: summary, Description: description,
		Tags: []string{r.Tag}, Security: Secured(), Errors: ErrorsOf(errs...)}
}

// RegisterList registers the kind's list: its filters are the kind's own, so the room writes the handler;
// the kit documents it like every other list of records.
func RegisterList[In, Page any](s *Server, r *Resource, description string, list func(context.Context, *In) (*Page, error)) {
	huma.Register(s.API, r.operation("list"+capitalised(path.Base(r.Path)), http.MethodGet, "", "List "+r.Many, description,
		http.StatusUnprocessableEntity), list)
}

// RecordService is what the kit needs of a kind's use cases; T is the record's type (crm.Account), and
// the kind's service (*accountsvc.Service) has these methods.
type RecordService[T any] interface {
	Get(ctx context.Context, p crm.Principal, id int64) (*T, error)
	Create(ctx context.Context, p crm.Principal, rec *T) (service.Saved[*T], error)
	Patch(ctx context.Context, p crm.Principal, id int64, change func(current *T) (*T, error)) (service.Saved[*T], error)
	Delete(ctx context.Context, p crm.Principal, id, version int64) (*T, error)
	Restore(ctx context.Context, p crm.Principal, id int64) (*T, error)
	Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (*T, error)
	Reassign(ctx context.Context, p crm.Principal, id, ownerID, version int64) (*T, error)
}

// RecordHandlers is what the kit's handlers need of a kind: T is the record, In what a client writes of
// it (its schema is the create body, and what a merge patch may change), Out the record as the API shows
// it, Created the answer to a create.
type RecordHandlers[T, In, Out, Created any] struct {
	Service RecordService[T]
	// ID, Version and Name read a record, for its Location, its ETag and the refusal of a stale change.
	ID, Version func(*T) int64
	Name        func(*T) string
	// Show is the record as the API shows it, with the records it may duplicate after a write.
	Show func(rec *T, likely service.Lookalikes) *Out
	// Created is the answer to a create, with the record's ETag and where it is. The kind makes it, to
	// document those headers in its own words.
	Created func(etag, location string, body *Out) *Created
}

// One is an answer with one record: the record as the API shows it, and its ETag.
type One[Out any] struct {
	ETag string `header:"ETag" doc:"The version of the record, for If-Match."`
	Body *Out
}

// IDPath is the id of a record in the path.
type IDPath struct {
	ID int64 `path:"id" minimum:"1" doc:"The record's id."`
}

// The inputs and answers of the kit's operations. huma names the schema of an anonymous body after the
// type that holds it (mergeIn's is MergeInBody), so these names are part of the document.

type versionIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw; a record changed since then is not changed (412)."`
}

type patchIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw; required (428 without it, 412 when stale)."`
	RawBody []byte `contentType:"application/merge-patch+json"`
}

type mergeIn struct {
	IDPath
	Body struct {
		DuplicateID int64 `json:"duplicate_id" minimum:"1" doc:"The duplicate merged into this record and binned."`
	}
}

type reassignIn struct {
	IDPath
	IfMatch string `header:"If-Match" doc:"The ETag the caller saw (optional)."`
	Body    struct {
		OwnerID int64 `json:"owner_id" minimum:"0" doc:"The new owner; 0 for unassigned."`
	}
}

type historyIn struct {
	IDPath
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Changes per page, newest first."`
	After string `query:"after" doc:"The next_cursor of the previous page."`
}

type historyPage struct {
	Body struct {
		Items []services.Entry `json:"items" nullable:"false"`
		Next  string           `json:"next_cursor"`
	}
}

// RecordOperations registers a kind's operations, one method each, with the description given; a kind
// registers those it has.
type RecordOperations[T, In, Out, Created any] struct {
	s *Server
	r *Resource
	h RecordHandlers[T, In, Out, Created]
}

// Where a kind's operations on one record are, below its Path.
const (
	recordPath   = "/{id}"
	restorePath  = "/{id}/restore"
	mergePath    = "/{id}/merge"
	reassignPath = "/{id}/reassign"
	historyPath  = "/{id}/history"
)

// Records is the kit for a kind: r says where its operations are and h how they reach its use cases.
func Records[T, In, Out, Created any](s *Server, r *Resource, h RecordHandlers[T, In, Out, Created]) *RecordOperations[T, In, Out, Created] {
	return &RecordOperations[T, In, Out, Created]{s: s, r: r, h: h}
}

// one answers a record read or changed by a use case, or the use case's refusal.
func (o *RecordOperations[T, In, Out, Created]) one(ctx context.Context, rec *T, err error) (*One[Out], error) {
	if err != nil {
		return nil, o.s.Problem(ctx, err)
	}
	return o.shown(rec, service.Lookalikes{}), nil
}

func (o *RecordOperations[T, In, Out, Created]) shown(rec *T, likely service.Lookalikes) *One[Out] {
	return &One[Out]{ETag: ETag(o.h.Version(rec)), Body: o.h.Show(rec, likely)}
}

// Create registers POST Path: a record from In, answered with the records it may duplicate.
func (o *RecordOperations[T, In, Out, Created]) Create(description string) {
	op := o.r.operation("create"+o.r.name(), http.MethodPost, "", "Create "+o.r.One, description,
		http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity)
	op.DefaultStatus = http.StatusCreated
	huma.Register(o.s.API, op, func(ctx context.Context, in *struct{ Body In }) (*Created, error) {
		var rec T
		if err := convert(in.Body, &rec); err != nil {
			return nil, err
		}
		saved, err := o.h.Service.Create(ctx, Principal(ctx), &rec)
		if err != nil {
			return nil, o.s.Problem(ctx, err)
		}
		location := fmt.Sprintf("%s/%d", o.r.Path, o.h.ID(saved.Record))
		return o.h.Created(ETag(o.h.Version(saved.Record)), location, o.h.Show(saved.Record, saved.Lookalikes())), nil
	})
}

// Get registers GET Path/{id}.
func (o *RecordOperations[T, In, Out, Created]) Get(description string) {
	huma.Register(o.s.API, o.r.operation("get"+o.r.name(), http.MethodGet, recordPath, "Get "+o.r.One, description,
		http.StatusNotFound),
		func(ctx context.Context, in *IDPath) (*One[Out], error) {
			rec, err := o.h.Service.Get(ctx, Principal(ctx), in.ID)
			return o.one(ctx, rec, err)
		})
}

// Update registers PATCH Path/{id}: a JSON merge patch of the record as the API shows it, on the version
// If-Match names. Only the members of In may change, and the owner not at all (reassign does that).
func (o *RecordOperations[T, In, Out, Created]) Update(description string) {
	huma.Register(o.s.API, o.r.operation("update"+o.r.name(), http.MethodPatch, recordPath, "Change "+o.r.One, description,
		http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
		http.StatusPreconditionFailed, http.StatusUnprocessableEntity, http.StatusPreconditionRequired),
		func(ctx context.Context, in *patchIn) (*One[Out], error) {
			version, err := IfMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			// read once: the service hands over the record as the caller sees it, and saves the patched one
			saved, err := o.h.Service.Patch(ctx, Principal(ctx), in.ID, func(current *T) (*T, error) {
				if v := o.h.Version(current); v != version {
					return nil, crm.Errorf(crm.Stale, "%s was changed by someone else meanwhile (you have version %d, it is at version %d); get %s again and redo your change",
						o.h.Name(current), version, v, o.r.Pronoun)
				}
				// The patch may not name the id, the version or the owner (applyPatch refuses them), so
				// the patched record keeps the current one's: the version is the one If-Match named.
				var next T
				if err := applyPatch(in.RawBody, current, reflect.TypeFor[In](),
					map[string]string{"owner_id": "changes through POST " + o.r.Path + reassignPath}, &next); err != nil {
					return nil, err
				}
				return &next, nil
			})
			var problem *httpx.Problem
			if errors.As(err, &problem) { // the patch's own, already said for HTTP
				return nil, problem
			}
			if err != nil {
				return nil, o.s.Stale(ctx, err)
			}
			return o.shown(saved.Record, saved.Lookalikes()), nil
		})
	documentPatch(o.s.API, reflect.TypeFor[In](), o.r.name()+"Patch", o.r.Path+recordPath)
}

// Delete registers DELETE Path/{id}: to the bin, on the version If-Match names if it names one.
func (o *RecordOperations[T, In, Out, Created]) Delete(description string) {
	huma.Register(o.s.API, o.r.operation("delete"+o.r.name(), http.MethodDelete, recordPath, "Move "+o.r.One+" to the bin", description,
		http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed),
		func(ctx context.Context, in *versionIn) (*One[Out], error) {
			version, err := optionalIfMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			rec, err := o.h.Service.Delete(ctx, Principal(ctx), in.ID, version)
			if err != nil {
				return nil, o.s.Stale(ctx, err)
			}
			return o.shown(rec, service.Lookalikes{}), nil
		})
}

// Restore registers POST Path/{id}/restore: back from the bin.
func (o *RecordOperations[T, In, Out, Created]) Restore(description string) {
	huma.Register(o.s.API, o.r.operation("restore"+o.r.name(), http.MethodPost, restorePath, "Restore "+o.r.One+" from the bin", description,
		http.StatusForbidden, http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *IDPath) (*One[Out], error) {
			rec, err := o.h.Service.Restore(ctx, Principal(ctx), in.ID)
			return o.one(ctx, rec, err)
		})
}

// Merge registers POST Path/{id}/merge: a duplicate merged into the record.
func (o *RecordOperations[T, In, Out, Created]) Merge(description string) {
	huma.Register(o.s.API, o.r.operation("merge"+o.r.name(), http.MethodPost, mergePath, "Merge a duplicate into "+o.r.One, description,
		http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *mergeIn) (*One[Out], error) {
			rec, err := o.h.Service.Merge(ctx, Principal(ctx), in.ID, in.Body.DuplicateID)
			return o.one(ctx, rec, err)
		})
}

// Reassign registers POST Path/{id}/reassign: to another owner, on the version If-Match names if it
// names one.
func (o *RecordOperations[T, In, Out, Created]) Reassign(description string) {
	huma.Register(o.s.API, o.r.operation("reassign"+o.r.name(), http.MethodPost, reassignPath, "Give "+o.r.One+" to another owner", description,
		http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *reassignIn) (*One[Out], error) {
			version, err := optionalIfMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			rec, err := o.h.Service.Reassign(ctx, Principal(ctx), in.ID, in.Body.OwnerID, version)
			if err != nil {
				return nil, o.s.Stale(ctx, err)
			}
			return o.shown(rec, service.Lookalikes{}), nil
		})
}

// History registers GET Path/{id}/history: the record's field history, newest first.
func (o *RecordOperations[T, In, Out, Created]) History(description string) {
	huma.Register(o.s.API, o.r.operation(o.r.Kind.Name+"History", http.MethodGet, historyPath, "Every change to "+o.r.One, description,
		http.StatusNotFound, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *historyIn) (*historyPage, error) {
			page, err := o.s.Services.History.Of(ctx, Principal(ctx), o.r.Kind.Name, in.ID, in.Limit, in.After)
			if err != nil {
				return nil, o.s.Problem(ctx, err)
			}
			out := &historyPage{}
			out.Body.Items, out.Body.Next = NonNil(page.Items), page.Next
			return out, nil
		})
}

// convert copies an input into a domain record through their shared JSON names.
func convert(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
