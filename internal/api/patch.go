package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"tili/internal/crm"
	"tili/internal/httpx"
)

// Updates are JSON merge patches (RFC 7396) of the record as the API shows it, written by hand rather than
// with huma's autopatch, which fills in the ETag itself and sends protected fields.

// mergePatch applies a JSON merge patch (RFC 7396) to target: members of the patch replace those of the
// target, null removes one, objects merge member by member.
func mergePatch(target map[string]any, patch map[string]any) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, v := range patch {
		if v == nil {
			delete(target, k)
			continue
		}
		if obj, ok := v.(map[string]any); ok {
			inner, _ := target[k].(map[string]any)
			target[k] = mergePatch(inner, obj)
			continue
		}
		target[k] = v
	}
	return target
}

// jsonFields returns the JSON member names of a struct type.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// applyPatch applies the merge patch body to the record current and decodes the result into out. Only
// the members of the input type may appear in the patch; the record's own bookkeeping (id, version,
// times) and the members listed in elsewhere (with where to change them instead) are refused by name.
func applyPatch(body []byte, current any, input reflect.Type, elsewhere map[string]string, out any) error {
	var patch map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&patch); err != nil || patch == nil {
		return httpx.NewProblem(http.StatusBadRequest, string(crm.Invalid), "the body must be a JSON object: a merge patch of the record")
	}
	writable := jsonFields(input)
	var problems []httpx.FieldProblem
	for k := range patch {
		switch {
		case elsewhere[k] != "":
			problems = append(problems, httpx.FieldProblem{Field: k, Message: elsewhere[k]})
		case slices.Contains([]string{"id", "version", "created_at", "updated_at", "created_by", "updated_by", "deleted_at", "merged_into", "past_accounts"}, k):
			problems = append(problems, httpx.FieldProblem{Field: k, Message: "is kept by tili and cannot be set"})
		case !slices.Contains(writable, k):
			problems = append(problems, httpx.FieldProblem{Field: k, Message: "is not a field of this record"})
		}
	}
	if len(problems) > 0 {
		slices.SortFunc(problems, func(a, b httpx.FieldProblem) int { return strings.Compare(a.Field, b.Field) })
		p := httpx.NewProblem(http.StatusUnprocessableEntity, string(crm.Invalid), fmt.Sprintf("%s: %s", problems[0].Field, problems[0].Message))
		p.Errors = problems
		return p
	}
	raw, err := json.Marshal(current)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return err
	}
	strict := json.NewDecoder(bytes.NewReader(merged))
	if err := strict.Decode(out); err != nil {
		return httpx.NewProblem(http.StatusUnprocessableEntity, string(crm.Invalid), "the patch gives a member a value of the wrong type: "+err.Error())
	}
	return nil
}

// documentPatch documents a merge-patch body: it is the input schema with nothing required, named name,
// and the PATCH operation at path takes it as its application/merge-patch+json body. The handler reads
// that body raw (to apply the patch to the stored record), so huma knows it only as bytes; the schema
// here is for the document alone and validates nothing.
func documentPatch(a huma.API, input reflect.Type, name, path string) {
	oapi := a.OpenAPI()
	reg := oapi.Components.Schemas
	base := reg.Schema(input, true, "")
	src := reg.SchemaFromRef(base.Ref)
	cp := *src
	cp.Required = nil
	cp.Title = name
	// null clears a field; the owner changes through reassign, not here
	cp.Properties = map[string]*huma.Schema{}
	for field, prop := range src.Properties {
		if field == "owner_id" {
			continue
		}
		np := *prop
		if np.Ref == "" && np.Type != "" {
			np.Nullable = true
		} else if np.Ref != "" {
			np = huma.Schema{AnyOf: []*huma.Schema{{Ref: prop.Ref}, {Type: "null"}}, Description: prop.Description}
		}
		cp.Properties[field] = &np
	}
	cp.Description = "A JSON merge patch (RFC 7396) of the record: the fields given change, null clears one, the others stay."
	reg.Map()[name] = &cp
	item := oapi.Paths[path]
	if item == nil || item.Patch == nil || item.Patch.RequestBody == nil {
		panic("api: no PATCH " + path + " to document " + name + " for")
	}
	mt := item.Patch.RequestBody.Content["application/merge-patch+json"]
	if mt == nil {
		panic("api: PATCH " + path + " takes no application/merge-patch+json body")
	}
	mt.Schema = &huma.Schema{Ref: "#/components/schemas/" + name}
}
