package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"tili/internal/crm"
	"tili/internal/httpx"
)

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
