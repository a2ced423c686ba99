package openapi

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaGen turns Go types into JSON Schemas as encoding/json sees them.
// Named struct types become components, referenced by name.
type schemaGen struct {
	components openapi3.Schemas
	names      map[reflect.Type]string
	taken      map[string]reflect.Type
}

func newSchemaGen() *schemaGen {
	return &schemaGen{components: openapi3.Schemas{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	durationType      = reflect.TypeFor[time.Duration]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler   = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// of returns the schema of values of t in JSON, constrained by the validate
// tag rules.
func (g *schemaGen) of(t reflect.Type, rules string) (*openapi3.SchemaRef, error) {
	ref, err := g.ref(t)
	if err != nil || rules == "" {
		return ref, err
	}
	if ref.Ref != "" {
		// Constraints beside a reference: 2020-12 allows it, in allOf to
		// keep the referenced schema untouched.
		s := &openapi3.Schema{AllOf: openapi3.SchemaRefs{ref}}
		if !applyRules(s, rules) {
			return ref, nil
		}
		return schemaRef(s), nil
	}
	applyRules(ref.Value, rules)
	return ref, nil
}

func (g *schemaGen) ref(t reflect.Type) (*openapi3.SchemaRef, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return schemaRef(&openapi3.Schema{Type: types("string"), Format: "date-time"}), nil
	case t == rawMessageType:
		return schemaRef(&openapi3.Schema{}), nil
	case implements(t, jsonMarshalerType):
		return schemaRef(&openapi3.Schema{}), nil // its own encoding: anything
	case implements(t, textMarshalerType):
		return schemaRef(&openapi3.Schema{Type: types("string")}), nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name, ok := g.names[t]
		if !ok {
			name = g.name(t)
			g.names[t] = name
			g.components[name] = nil // taken, for recursive types
			s, err := g.object(t)
			if err != nil {
				return nil, err
			}
			g.components[name] = s
		}
		return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}, nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return schemaRef(&openapi3.Schema{Type: types("string"), ContentEncoding: "base64"}), nil
		}
		items, err := g.ref(t.Elem())
		if err != nil {
			return nil, err
		}
		s := &openapi3.Schema{Type: types("array"), Items: items}
		if t.Kind() == reflect.Array {
			n := uint64(t.Len())
			s.MinItems, s.MaxItems = n, &n
		}
		return schemaRef(s), nil
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			if !implements(t.Key(), textMarshalerType) {
				return nil, fmt.Errorf("type %v cannot be encoded as JSON", t)
			}
		}
		v, err := g.ref(t.Elem())
		if err != nil {
			return nil, err
		}
		return schemaRef(&openapi3.Schema{Type: types("object"), AdditionalProperties: openapi3.AdditionalProperties{Schema: v}}), nil
	case reflect.Interface:
		return schemaRef(&openapi3.Schema{}), nil
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return nil, fmt.Errorf("type %v cannot be encoded as JSON", t)
	}
	return schemaRef(g.scalar(t)), nil
}

// object is the schema of a struct's JSON object: its exported fields, by
// their json names, embedded structs' fields included; "required" from
// validate tags.
func (g *schemaGen) object(t reflect.Type) (*openapi3.SchemaRef, error) {
	s := &openapi3.Schema{Type: types("object"), Properties: openapi3.Schemas{}}
	if err := g.fields(s, t, map[reflect.Type]bool{}); err != nil {
		return nil, err
	}
	return schemaRef(s), nil
}

func (g *schemaGen) fields(s *openapi3.Schema, t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := g.fields(s, ft, seen); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		rules := f.Tag.Get("validate")
		var (
			p   *openapi3.SchemaRef
			err error
		)
		if strings.Contains(","+opts+",", ",string,") && isScalar(ft) {
			p = schemaRef(&openapi3.Schema{Type: types("string")})
		} else if p, err = g.of(ft, rules); err != nil {
			return fmt.Errorf("field %s of %v: %w", f.Name, t, err)
		}
		if d := f.Tag.Get("doc"); d != "" && p.Ref == "" {
			p.Value.Description = d
		}
		s.Properties[name] = p
		if hasRule(rules, "required") {
			s.Required = append(s.Required, name)
		}
	}
	return nil
}

// scalar is the schema of a parameter's value, or of a JSON scalar.
func (g *schemaGen) scalar(t reflect.Type) *openapi3.Schema {
	switch {
	case t == timeType:
		return &openapi3.Schema{Type: types("string"), Format: "date-time"}
	case t == durationType:
		// As a parameter (time.ParseDuration); JSON would be nanoseconds,
		// but a parameter is the only place a Duration is decoded from text.
		return &openapi3.Schema{Type: types("string"), Description: `A duration such as "300ms" or "1m30s".`}
	}
	switch t.Kind() {
	case reflect.String:
		return &openapi3.Schema{Type: types("string")}
	case reflect.Bool:
		return &openapi3.Schema{Type: types("boolean")}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &openapi3.Schema{Type: types("integer"), Format: "int32"}
	case reflect.Int, reflect.Int64:
		return &openapi3.Schema{Type: types("integer"), Format: "int64"}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &openapi3.Schema{Type: types("integer"), Min: ptr(0.0)}
	case reflect.Float32:
		return &openapi3.Schema{Type: types("number"), Format: "float"}
	case reflect.Float64:
		return &openapi3.Schema{Type: types("number"), Format: "double"}
	}
	if implements(t, textUnmarshaler) {
		return &openapi3.Schema{Type: types("string")}
	}
	return &openapi3.Schema{}
}

// name picks a component name for a named type: its name, or its package's
// and its name when another type took it.
func (g *schemaGen) name(t reflect.Type) string {
	clean := regexp.MustCompile(`[^a-zA-Z0-9._-]+`)
	base := clean.ReplaceAllString(t.Name(), "_")
	if prev, ok := g.taken[base]; !ok || prev == t {
		g.taken[base] = t
		return base
	}
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	name := clean.ReplaceAllString(pkg, "_") + "." + base
	for i := 2; g.taken[name] != nil && g.taken[name] != t; i++ {
		name = fmt.Sprintf("%s.%s%d", pkg, base, i)
	}
	g.taken[name] = t
	return name
}

// applyRules adds the constraints of validator rules to s, and reports
// whether any was added. Rules after "dive" apply to the items of an array
// or the values of a map. Rules that JSON Schema cannot say are left out;
// "required" is said by the enclosing object or parameter.
func applyRules(s *openapi3.Schema, tag string) bool {
	if tag == "" || tag == "-" {
		return false
	}
	added := false
	rules := splitRules(tag)
	for i, rule := range rules {
		if rule == "dive" {
			var elem *openapi3.Schema
			switch {
			case s.Items != nil && s.Items.Value != nil && s.Items.Ref == "":
				elem = s.Items.Value
			case s.AdditionalProperties.Schema != nil && s.AdditionalProperties.Schema.Ref == "":
				elem = s.AdditionalProperties.Schema.Value
			}
			if elem != nil && applyRules(elem, strings.Join(rules[i+1:], ",")) {
				added = true
			}
			return added
		}
		if strings.Contains(rule, "|") {
			continue // alternatives
		}
		name, arg, _ := strings.Cut(rule, "=")
		if applyRule(s, name, arg) {
			added = true
		}
	}
	return added
}

// splitRules splits a validate tag on its commas (a comma in an argument is
// written 0x2C).
func splitRules(tag string) []string { return strings.Split(tag, ",") }

func hasRule(tag, rule string) bool {
	for _, r := range splitRules(tag) {
		if r == "dive" || r == "keys" {
			return false
		}
		if r == rule {
			return true
		}
	}
	return false
}

var rulePatterns = map[string]string{
	"alpha":        `^[a-zA-Z]+$`,
	"alphanum":     `^[a-zA-Z0-9]+$`,
	"alphaunicode": `^[\p{L}]+$`,
	"numeric":      `^[-+]?[0-9]+(?:\.[0-9]+)?$`,
	"number":       `^[0-9]+$`,
	"hexadecimal":  `^(0[xX])?[0-9a-fA-F]+$`,
	"lowercase":    `^[^A-Z]*$`,
	"uppercase":    `^[^a-z]*$`,
	"e164":         `^\+[1-9]?[0-9]{7,14}$`,
	"jwt":          `^[A-Za-z0-9-_]+\.[A-Za-z0-9-_]+\.[A-Za-z0-9-_]*$`,
}

var ruleFormats = map[string]string{
	"email": "email", "url": "uri", "http_url": "uri", "uri": "uri", "hostname": "hostname",
	"hostname_rfc1123": "hostname", "fqdn": "hostname", "ipv4": "ipv4", "ipv6": "ipv6",
	"uuid": "uuid", "uuid3": "uuid", "uuid4": "uuid", "uuid5": "uuid", "uuid_rfc4122": "uuid",
	"uuid4_rfc4122": "uuid", "datetime": "", "base64": "", "json": "",
}

func applyRule(s *openapi3.Schema, name, arg string) bool {
	str, arr, num := s.Type.Is("string"), s.Type.Is("array") || s.Type.Is("object"), s.Type.Is("integer") || s.Type.Is("number")
	n, nerr := strconv.ParseFloat(arg, 64)
	u, uerr := strconv.ParseUint(arg, 10, 64)
	switch name {
	case "min", "gte", "max", "lte", "len", "gt", "lt":
		switch {
		case num && nerr == nil:
			switch name {
			case "min", "gte":
				s.Min = &n
			case "max", "lte":
				s.Max = &n
			case "len":
				s.Min, s.Max = &n, ptr(n)
			case "gt":
				s.ExclusiveMin = openapi3.ExclusiveBound{Value: &n}
			case "lt":
				s.ExclusiveMax = openapi3.ExclusiveBound{Value: &n}
			}
		case (str || arr) && uerr == nil:
			lo, hi := u, u
			switch name {
			case "gt":
				lo++
			case "lt":
				if u == 0 {
					return false
				}
				hi--
			}
			isMin := name == "min" || name == "gte" || name == "gt" || name == "len"
			isMax := name == "max" || name == "lte" || name == "lt" || name == "len"
			switch {
			case str && isMin:
				s.MinLength = lo
			case arr && isMin && s.Type.Is("object"):
				s.MinProps = lo
			case arr && isMin:
				s.MinItems = lo
			}
			switch {
			case str && isMax:
				s.MaxLength = ptr(hi)
			case arr && isMax && s.Type.Is("object"):
				s.MaxProps = ptr(hi)
			case arr && isMax:
				s.MaxItems = ptr(hi)
			}
		default:
			return false
		}
		return true
	case "oneof":
		s.Enum = nil
		for _, v := range strings.Fields(arg) {
			s.Enum = append(s.Enum, typedSchemaValue(s, v))
		}
		return len(s.Enum) > 0
	case "eq":
		if s.Type.Is("string") || num {
			s.Const = typedSchemaValue(s, arg)
			return s.Const != nil && s.Const != ""
		}
	case "startswith", "endswith", "contains":
		if !str || s.Pattern != "" || arg == "" {
			return false
		}
		q := regexp.QuoteMeta(arg)
		s.Pattern = map[string]string{"startswith": "^" + q, "endswith": q + "$", "contains": q}[name]
		return true
	}
	if p, ok := rulePatterns[name]; ok && str && s.Pattern == "" {
		s.Pattern = p
		return true
	}
	if f, ok := ruleFormats[name]; ok && str && f != "" {
		s.Format = f
		return true
	}
	return false
}

// typedValue parses a parameter's text as a value of its type, for
// defaults; text that does not parse stays text.
func typedValue(t reflect.Type, v string) any {
	switch t.Kind() {
	case reflect.Bool:
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if t != durationType {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return n
			}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			return n
		}
	case reflect.Float32, reflect.Float64:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	}
	return v
}

func typedSchemaValue(s *openapi3.Schema, v string) any {
	switch {
	case s.Type.Is("integer"):
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case s.Type.Is("number"):
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	case s.Type.Is("boolean"):
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return strings.Trim(v, "'")
}

func isScalar(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

func types(t ...string) *openapi3.Types {
	ts := openapi3.Types(t)
	return &ts
}

func schemaRef(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }
