// Package oascheck checks generated OpenAPI documents in tests: every Schema
// Object must be a valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1 and
// 3.2), with its references resolved, which kin-openapi's own validation does
// not fully check.
package oascheck

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schemas compiles every Schema Object of the JSON document doc (the
// components' schemas, and every "schema" and "itemSchema" of parameters and
// media types) against the JSON Schema 2020-12 meta-schema. It returns the
// number checked.
func Schemas(doc []byte) (int, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return 0, err
	}
	const base = "urn:rxsse:openapi"
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(base, v); err != nil {
		return 0, err
	}
	var ptrs []string
	collect(v, "", false, &ptrs)
	sort.Strings(ptrs)
	for _, p := range ptrs {
		if _, err := c.Compile(base + "#" + p); err != nil {
			return 0, fmt.Errorf("schema at %s: %w", p, err)
		}
	}
	return len(ptrs), nil
}

// collect finds the Schema Objects of an OpenAPI document, without looking
// inside them (their subschemas are compiled with them).
func collect(v any, ptr string, inSchemas bool, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			p := ptr + "/" + escape(k)
			switch {
			case inSchemas:
				*out = append(*out, p)
			case k == "schema" || k == "itemSchema":
				*out = append(*out, p)
			case k == "schemas" && ptr == "/components":
				collect(child, p, true, out)
			case k == "example" || k == "examples":
			default:
				collect(child, p, false, out)
			}
		}
	case []any:
		for i, child := range v {
			collect(child, fmt.Sprintf("%s/%d", ptr, i), false, out)
		}
	}
}

func escape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }
