package controller

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"reflect"
	"strings"
)

// source is where a parameter of an input struct comes from.
type source uint8

const (
	fromPath source = iota
	fromQuery
	fromHeader
	fromCookie
)

// sourceTags are the struct tags naming a parameter's source, in source order.
var sourceTags = [...]string{fromPath: "path", fromQuery: "query", fromHeader: "header", fromCookie: "cookie"}

// binder fills one input struct type from a request. It is built once, when
// a route is registered, from the struct's tags; binding a request then only
// follows this plan.
type binder struct {
	typ    reflect.Type
	params []param
	body   *bodyField
	// needQuery is set when some parameter comes from the query string, so
	// requests to other routes do not pay for parsing it.
	needQuery bool
	// validate is set when the struct, its body or anything they contain has
	// a validate tag, so structs without rules skip the validator.
	validate bool
	// labels maps a field's Go path below the struct ("Paging.Limit") to the
	// name the client used ("limit"), for validation messages.
	labels map[string]string
	// root is the number of leading namespace segments the validator puts
	// before the fields (the struct's type name, when it has one).
	root int
}

// param is one field filled from the path, query, headers or cookies.
type param struct {
	src    source
	name   string // as the client writes it; used in messages
	key    string // lookup key: canonical header key for headers, name otherwise
	goPath string
	index  []int
	ptr    bool // *T: left nil when absent
	slice  bool // []T: every value, in order
	decode scalarDecoder
	elem   reflect.Type
	def    *string // the default tag's value, used when the parameter is absent
	pipe   *pipe   // a Nest pipe (pipe tag), which replaces decode
}

// bodyField is the field that receives the JSON body.
type bodyField struct {
	index  []int
	goPath string
	typ    reflect.Type
	ptr    bool // *T: an empty body leaves it nil; otherwise an empty body is refused
	// whole is set when the input struct itself is the body (Nest's
	// @Body() dto): a POST, PUT or PATCH input without any tagged field.
	whole bool
}

// newBinder reflects the input struct type t. wildcards, when not nil, are
// the path wildcards of the route's pattern; a path parameter must name one.
// withBody says the route's method carries a body: then a struct without any
// tagged field is the body itself. Misuse panics with a message naming the
// type and the field.
func newBinder(t reflect.Type, wildcards map[string]bool, withBody bool) *binder {
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("controller: input type %v must be a struct", t))
	}
	b := &binder{typ: t, labels: map[string]string{}}
	if t.Name() != "" {
		b.root = 1
	}
	b.walk(t, nil, "", wildcards, map[reflect.Type]bool{})
	if withBody && b.body == nil && len(b.params) == 0 && hasExportedField(t) {
		b.body = &bodyField{typ: t, whole: true}
	}
	b.validate = hasValidateTag(t, map[reflect.Type]bool{})
	return b
}

// walk collects the parameters of struct type t, whose fields sit at index
// prefix and Go path goPrefix in the input struct. Embedded structs are
// walked as if their fields were the input's own, as encoding/json does.
func (b *binder) walk(t reflect.Type, prefix []int, goPrefix string, wildcards map[string]bool, seen map[reflect.Type]bool) {
	if seen[t] {
		panic(fmt.Sprintf("controller: input type %v embeds %v recursively", b.typ, t))
	}
	seen[t] = true
	defer delete(seen, t)
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		goPath := goPrefix + f.Name
		where := fmt.Sprintf("controller: input type %v, field %s", b.typ, goPath)

		src, name, tagged := sourceOf(f, where)
		_, isBody := f.Tag.Lookup("body")
		switch {
		case tagged && isBody:
			panic(where + ": a field cannot be both a parameter and the body")
		case isBody:
			if !f.IsExported() {
				panic(where + ": the body field must be exported")
			}
			if b.body != nil {
				panic(fmt.Sprintf("%s: the body is already field %s", where, b.body.goPath))
			}
			b.body = &bodyField{index: index, goPath: goPath, typ: f.Type, ptr: f.Type.Kind() == reflect.Pointer}
		case tagged:
			if !f.IsExported() {
				panic(where + ": a parameter field must be exported")
			}
			b.params = append(b.params, newParam(f, src, name, index, goPath, where, wildcards))
			b.labels[goPath] = name
			if src == fromQuery {
				b.needQuery = true
			}
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			b.walk(f.Type, index, goPath+".", wildcards, seen)
		}
	}
}

// hasExportedField reports whether struct type t has a field JSON can fill.
func hasExportedField(t reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
			return true
		}
	}
	return false
}

// sourceOf reads the source tag of a field; a field has at most one.
func sourceOf(f reflect.StructField, where string) (source, string, bool) {
	var (
		src   source
		name  string
		found bool
	)
	for s, tag := range sourceTags {
		v, ok := f.Tag.Lookup(tag)
		if !ok {
			continue
		}
		if found {
			panic(fmt.Sprintf("%s: tagged both %s and %s", where, sourceTags[src], tag))
		}
		if v == "" || strings.TrimSpace(v) != v {
			panic(fmt.Sprintf("%s: %s tag %q must be a name", where, tag, v))
		}
		src, name, found = source(s), v, true
	}
	return src, name, found
}

func newParam(f reflect.StructField, src source, name string, index []int, goPath, where string, wildcards map[string]bool) param {
	p := param{src: src, name: name, key: name, goPath: goPath, index: index, elem: f.Type}
	if src == fromHeader {
		p.key = textproto.CanonicalMIMEHeaderKey(name)
	}
	if src == fromPath && wildcards != nil && !wildcards[name] {
		panic(fmt.Sprintf("%s: the pattern has no wildcard {%s}", where, name))
	}
	if tag, ok := f.Tag.Lookup("pipe"); ok {
		return newPipedParam(p, f, tag, where)
	}
	switch {
	case p.elem.Kind() == reflect.Pointer && decodable(p.elem) == nil:
		p.ptr, p.elem = true, p.elem.Elem()
	case p.elem.Kind() == reflect.Slice && decodable(p.elem) == nil:
		if src == fromPath {
			panic(where + ": a path parameter cannot be a slice")
		}
		p.slice, p.elem = true, p.elem.Elem()
	}
	p.decode = decodable(p.elem)
	if p.decode == nil {
		panic(fmt.Sprintf("%s: unsupported parameter type %v (use a string, number, bool, time.Duration, time.Time, an encoding.TextUnmarshaler, or a pointer or slice of one)", where, f.Type))
	}
	if def, ok := f.Tag.Lookup("default"); ok {
		// Decode it now so a bad default fails at registration, not per request.
		if err := p.decode(reflect.New(p.elem).Elem(), def); err != nil {
			panic(fmt.Sprintf("%s: default %q %v", where, def, err))
		}
		p.def = &def
	}
	return p
}

// newPipedParam completes a parameter whose pipe tag names a Nest pipe.
func newPipedParam(p param, f reflect.StructField, tag, where string) param {
	if p.elem.Kind() == reflect.Pointer {
		p.ptr, p.elem = true, p.elem.Elem()
	}
	p.pipe = newPipe(tag, p.elem, where)
	if def, ok := f.Tag.Lookup("default"); ok {
		if msg := p.pipe.apply(reflect.New(p.elem).Elem(), []string{def}, true); msg != "" {
			panic(fmt.Sprintf("%s: default %q: %s", where, def, msg))
		}
		p.def = &def
	}
	return p
}

// decodable returns the decoder for t, or nil.
func decodable(t reflect.Type) scalarDecoder {
	d, _ := decoderFor(t)
	return d
}

// hasValidateTag reports whether a value of type t can hold a field with a
// validate tag, looking through pointers, slices, arrays, maps and structs.
func hasValidateTag(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return false
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, ok := f.Tag.Lookup("validate"); ok && tag != "-" && tag != "" {
			return true
		}
		if hasValidateTag(f.Type, seen) {
			return true
		}
	}
	return false
}

// bind fills in, an addressable value of the binder's struct type, from r.
func (b *binder) bind(r *http.Request, in reflect.Value, cfg *bindConfig) *requestError {
	var query url.Values
	if b.needQuery {
		var err error
		if query, err = url.ParseQuery(r.URL.RawQuery); err != nil {
			return badRequest("query string is malformed: " + err.Error())
		}
	}
	// Nest's pipes throw at the first refusal, before the rest is looked at.
	for i := range b.params {
		if p := &b.params[i]; p.pipe != nil {
			if msg := p.bindPipe(r, query, in.FieldByIndex(p.index)); msg != "" {
				return badRequest(msg)
			}
		}
	}
	var bodyMsg *fieldProblem
	if b.body != nil {
		var rerr *requestError
		if bodyMsg, rerr = readBody(r, in.FieldByIndex(b.body.index), b.body.ptr, cfg); rerr != nil {
			return rerr
		}
	}

	var problems []fieldProblem
	for i := range b.params {
		p := &b.params[i]
		if p.pipe != nil {
			continue
		}
		if reason := p.set(r, query, in.FieldByIndex(p.index)); reason != "" {
			problems = append(problems, fieldProblem{label: p.name, message: reason})
		}
	}
	if bodyMsg != nil {
		problems = append(problems, *bodyMsg)
	}
	if b.validate {
		problems = b.check(in, cfg.validation, problems)
	}
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.message
	}
	return &requestError{status: http.StatusBadRequest, messages: msgs}
}

// fieldProblem is one message about one field; label lets validation skip
// fields that already failed to bind.
type fieldProblem struct {
	label   string
	message string
	// wholeBody is set when the body as a whole had the wrong JSON type.
	wholeBody bool
}

// set fills field from the request and returns the client's message when the
// value cannot be used, or "".
func (p *param) set(r *http.Request, query url.Values, field reflect.Value) string {
	if p.slice {
		return p.setSlice(p.values(r, query), field)
	}
	v, ok, repeated := p.first(r, query)
	if repeated {
		return p.name + " " + singleReason(p.elem)
	}
	if !ok {
		if p.def == nil {
			return ""
		}
		v = *p.def
	}
	if p.ptr {
		pv := reflect.New(p.elem)
		if err := p.decode(pv.Elem(), v); err != nil {
			return p.name + " " + err.Error()
		}
		field.Set(pv)
		return ""
	}
	if err := p.decode(field, v); err != nil {
		return p.name + " " + err.Error()
	}
	return ""
}

func (p *param) setSlice(vals []string, field reflect.Value) string {
	if p.elem.Kind() != reflect.String {
		vals = dropEmpty(vals)
	}
	if len(vals) == 0 {
		if p.def == nil {
			return ""
		}
		vals = []string{*p.def}
	}
	s := reflect.MakeSlice(field.Type(), len(vals), len(vals))
	for i, v := range vals {
		if err := p.decode(s.Index(i), v); err != nil {
			return "each value in " + p.name + " " + err.Error()
		}
	}
	field.Set(s)
	return ""
}

// first returns the parameter's value. An empty value of a non-text type
// (?age=) counts as absent, so "required" reports it rather than a parse
// error. A query parameter or header given more than once is repeated: a
// single-value field cannot choose among them (use a slice, or
// pipe:"array").
func (p *param) first(r *http.Request, query url.Values) (v string, ok, repeated bool) {
	text := p.elem.Kind() == reflect.String
	switch p.src {
	case fromPath:
		v := r.PathValue(p.key)
		// The pattern has the wildcard (checked at registration); only a
		// {name...} wildcard can match an empty string.
		return v, v != "" || text, false
	case fromQuery:
		return onlyOf(query[p.key], text)
	case fromHeader:
		return onlyOf(r.Header[p.key], text)
	case fromCookie:
		c, err := r.Cookie(p.key)
		if err != nil || (c.Value == "" && !text) {
			return "", false, false
		}
		return c.Value, true, false
	}
	return "", false, false
}

func onlyOf(vals []string, text bool) (v string, ok, repeated bool) {
	switch {
	case len(vals) > 1:
		return "", false, true
	case len(vals) == 0 || (vals[0] == "" && !text):
		return "", false, false
	}
	return vals[0], true, false
}

// singleReason is the message for a repeated value of a single-value field
// of type t, worded as class-validator words a value of the wrong type.
func singleReason(t reflect.Type) string {
	switch {
	case t == durationType || t == timeType || reflect.PointerTo(t).Implements(textUnmarshalerType):
		return "must be a single value"
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be a boolean value"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "must be an integer number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be a non-negative integer number"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	}
	return "must be a single value"
}

// values returns every raw value of a slice parameter.
func (p *param) values(r *http.Request, query url.Values) []string {
	switch p.src {
	case fromQuery:
		return query[p.key]
	case fromHeader:
		return r.Header[p.key]
	case fromCookie:
		var vals []string
		for _, c := range r.CookiesNamed(p.key) {
			vals = append(vals, c.Value)
		}
		return vals
	}
	return nil
}

func dropEmpty(vals []string) []string {
	for _, v := range vals {
		if v == "" {
			out := make([]string, 0, len(vals)-1)
			for _, v := range vals {
				if v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return vals
}
