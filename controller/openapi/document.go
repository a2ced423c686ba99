package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rxsse/rxsse/controller"
)

// Version is the OpenAPI version of the documents this package writes.
const Version = "3.2.0"

// Options describes the API as a whole. A nil *Options, and every zero
// field, means the default.
type Options struct {
	// Title is the API's title; "API" by default.
	Title string
	// Version is the API's version (not OpenAPI's); "0.0.0" by default.
	Version     string
	Description string
	// Servers are the API's base URLs ("https://api.example.com").
	Servers []string
}

// Document returns the OpenAPI 3.2 document of the typed routes of r (see
// controller.Router.Routes), validated by kin-openapi. Call it once every
// route is registered.
func Document(r *controller.Router, opts *Options) (*openapi3.T, error) {
	if opts == nil {
		opts = &Options{}
	}
	b := newBuilder()
	doc := &openapi3.T{
		OpenAPI: Version,
		Info: &openapi3.Info{
			Title:       cmp(opts.Title, "API"),
			Version:     cmp(opts.Version, "0.0.0"),
			Description: opts.Description,
		},
		Paths:      openapi3.NewPaths(),
		Components: &openapi3.Components{Schemas: b.schemas.components, Responses: openapi3.ResponseBodies{}},
	}
	for _, s := range opts.Servers {
		doc.Servers = append(doc.Servers, &openapi3.Server{URL: s})
	}
	for _, rt := range r.Routes() {
		path, wild := docPath(rt.Path)
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		op, err := b.operation(rt, wild)
		if err != nil {
			return nil, fmt.Errorf("openapi: route %s %s: %w", rt.Method, rt.Path, err)
		}
		if item.GetOperation(rt.Method) != nil {
			return nil, fmt.Errorf("openapi: route %s %s registered twice", rt.Method, rt.Path)
		}
		item.SetOperation(rt.Method, op)
	}
	for name, resp := range b.errorResponses() {
		doc.Components.Responses[name] = resp
	}
	// Validate wants every reference resolved.
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: the document is not valid: %w", err)
	}
	return doc, nil
}

// Handler serves the document of r's routes as JSON. The document is built
// at the first request, when every route is registered; a route it cannot
// describe is answered 500 with the reason (a programming error, like a
// route registered twice).
func Handler(r *controller.Router, opts *Options) http.Handler {
	var (
		once sync.Once
		body []byte
		err  error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		once.Do(func() {
			var doc *openapi3.T
			if doc, err = Document(r, opts); err == nil {
				body, err = json.MarshalIndent(doc, "", "  ")
			}
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// builder holds what the operations of one document share.
type builder struct {
	schemas *schemaGen
	ids     map[string]int
	errors  map[string]bool // the error responses used
}

func newBuilder() *builder {
	return &builder{schemas: newSchemaGen(), ids: map[string]int{}, errors: map[string]bool{}}
}

func (b *builder) operation(rt controller.RouteInfo, wild []string) (*openapi3.Operation, error) {
	d := rt.Doc
	pkg, name := handlerName(rt.Handler)
	op := &openapi3.Operation{
		Summary:     d.Summary,
		Description: d.Description,
		Tags:        slices.Clone(d.Tags),
		Deprecated:  d.Deprecated,
		OperationID: d.OperationID,
		Responses:   openapi3.NewResponses(),
	}
	if len(op.Tags) == 0 && pkg != "" {
		op.Tags = []string{pkg}
	}
	if op.OperationID == "" {
		op.OperationID = name
		if name == "" {
			op.OperationID = strings.ToLower(rt.Method) + strings.Map(func(r rune) rune {
				if r == '{' || r == '}' || r == '$' || r == '.' {
					return -1
				}
				return r
			}, strings.ReplaceAll(rt.Path, "/", "_"))
		}
	}
	if n := b.ids[op.OperationID]; n > 0 {
		b.ids[op.OperationID]++
		op.OperationID += "_" + strconv.Itoa(n+1)
	} else {
		b.ids[op.OperationID] = 1
	}

	bound := map[string]bool{}
	for _, p := range rt.Params {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: b.parameter(p)})
		if p.In == "path" {
			bound[p.Name] = true
		}
	}
	for _, w := range wild {
		if !bound[w] { // read by the handler with r.PathValue
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
				Name: w, In: "path", Required: true, Schema: schemaRef(&openapi3.Schema{Type: types("string")}),
			}})
		}
	}
	if rt.Stream && !hasHeader(rt.Params, "Last-Event-ID") {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: "Last-Event-ID", In: "header",
			Description: "The id of the last event the client received, sent by a reconnecting EventSource (controller.LastEventID; a lastEventId query parameter is read too).",
			Schema:      schemaRef(&openapi3.Schema{Type: types("string")}),
		}})
	}
	if rt.Body != nil {
		s, err := b.schemas.of(rt.Body.Type, "")
		if err != nil {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{
			Required: rt.Body.Required,
			Content:  openapi3.Content{"application/json": &openapi3.MediaType{Schema: s}},
		}}
	}

	ok, err := b.success(rt)
	if err != nil {
		return nil, err
	}
	op.Responses.Set(strconv.Itoa(rt.Status), &openapi3.ResponseRef{Value: ok})
	if len(rt.Params) > 0 || rt.Body != nil {
		b.errorRef(op, "400", "BadRequest")
	}
	if rt.Guarded {
		b.errorRef(op, "401", "Unauthorized")
		b.errorRef(op, "403", "Forbidden")
	}
	b.errorRef(op, "500", "InternalServerError")
	if rt.Stream {
		b.errorRef(op, "503", "TooManyStreams")
	}
	return op, nil
}

func hasHeader(params []controller.ParamInfo, name string) bool {
	for _, p := range params {
		if p.In == "header" && strings.EqualFold(p.Name, name) {
			return true
		}
	}
	return false
}

// success is the route's answer when all goes well.
func (b *builder) success(rt controller.RouteInfo) (*openapi3.Response, error) {
	if rt.Stream {
		item, err := b.eventSchema(rt)
		if err != nil {
			return nil, err
		}
		return &openapi3.Response{
			Description: ptr("A stream of server-sent events."),
			Content:     openapi3.Content{"text/event-stream": &openapi3.MediaType{ItemSchema: item}},
		}, nil
	}
	out := rt.Output
	for out.Kind() == reflect.Pointer {
		out = out.Elem()
	}
	resp := &openapi3.Response{Description: ptr(http.StatusText(rt.Status))}
	if resp.Description == nil || *resp.Description == "" {
		resp.Description = ptr("Success.")
	}
	switch out.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		// Answered as text, as Express's res.send does.
		resp.Content = openapi3.Content{"text/html": &openapi3.MediaType{Schema: schemaRef(&openapi3.Schema{Type: types("string")})}}
	default:
		s, err := b.schemas.of(out, "")
		if err != nil {
			return nil, err
		}
		resp.Content = openapi3.Content{"application/json": &openapi3.MediaType{Schema: s}}
	}
	return resp, nil
}

// parameter describes one parameter.
func (b *builder) parameter(p controller.ParamInfo) *openapi3.Parameter {
	s := b.schemas.scalar(p.Type)
	if len(p.Enum) > 0 {
		for _, v := range p.Enum {
			s.Enum = append(s.Enum, v)
		}
	}
	if p.Format != "" {
		s.Format = p.Format
	}
	if p.Default != nil {
		s.Default = typedValue(p.Type, *p.Default)
	}
	par := &openapi3.Parameter{
		Name:        p.Name,
		In:          p.In,
		Required:    p.Required,
		Description: p.Field.Tag.Get("doc"),
		Deprecated:  p.Field.Tag.Get("deprecated") == "true",
	}
	if p.Multi || p.List != "" {
		s = &openapi3.Schema{Type: types("array"), Items: schemaRef(s)}
		if p.Default != nil {
			s.Default = []any{typedValue(p.Type, *p.Default)}
			s.Items.Value.Default = nil
		}
	}
	applyRules(s, p.Field.Tag.Get("validate"))
	if p.List != "" {
		switch p.List {
		case ",":
			par.Style, par.Explode = "form", ptr(false)
		case " ":
			par.Style = "spaceDelimited"
		case "|":
			par.Style = "pipeDelimited"
		default:
			par.Description = strings.TrimSpace(par.Description + " Values are separated by " + strconv.Quote(p.List) + ".")
		}
		if p.In != "query" {
			par.Style, par.Explode = "", nil // only simple style elsewhere, which is comma-separated
		}
	}
	par.Schema = schemaRef(s)
	return par
}

// errorRef adds a reference to a shared error response.
func (b *builder) errorRef(op *openapi3.Operation, code, name string) {
	b.errors[name] = true
	op.Responses.Set(code, &openapi3.ResponseRef{Ref: "#/components/responses/" + name})
}

// errorResponses are the shared error responses used, in Nest's shape.
func (b *builder) errorResponses() map[string]*openapi3.ResponseRef {
	if len(b.errors) == 0 {
		return nil
	}
	b.schemas.components["HttpException"] = schemaRef(httpException())
	all := map[string]struct {
		desc    string
		example any
	}{
		"BadRequest": {"The parameters or the body are not valid (Nest's ValidationPipe).",
			map[string]any{"message": []any{"uid should not be empty"}, "error": "Bad Request", "statusCode": 400}},
		"Unauthorized": {"A guard found no valid credentials.",
			map[string]any{"message": "Unauthorized", "statusCode": 401}},
		"Forbidden": {"A guard refused the request.",
			map[string]any{"message": "Forbidden resource", "error": "Forbidden", "statusCode": 403}},
		"InternalServerError": {"An unexpected error; its details are only logged.",
			map[string]any{"statusCode": 500, "message": "Internal server error"}},
		"TooManyStreams": {"Too many streams are open (sse.Options.MaxStreams); Retry-After says when to try again.",
			map[string]any{"message": "too many open streams", "error": "Service Unavailable", "statusCode": 503}},
	}
	out := map[string]*openapi3.ResponseRef{}
	for name := range b.errors {
		e := all[name]
		resp := &openapi3.Response{
			Description: ptr(e.desc),
			Content: openapi3.Content{"application/json": &openapi3.MediaType{
				Schema:  &openapi3.SchemaRef{Ref: "#/components/schemas/HttpException"},
				Example: e.example,
			}},
		}
		if name == "TooManyStreams" {
			resp.Headers = openapi3.Headers{"Retry-After": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
				Description: "Seconds to wait before trying again.",
				Schema:      schemaRef(&openapi3.Schema{Type: types("integer"), Min: ptr(0.0)}),
			}}}}
		}
		out[name] = &openapi3.ResponseRef{Value: resp}
	}
	return out
}

// httpException is the body of Nest's error answers.
func httpException() *openapi3.Schema {
	return &openapi3.Schema{
		Type:        types("object"),
		Description: "An error in Nest's shape (HttpException).",
		Properties: openapi3.Schemas{
			"message": schemaRef(&openapi3.Schema{OneOf: openapi3.SchemaRefs{
				schemaRef(&openapi3.Schema{Type: types("string")}),
				schemaRef(&openapi3.Schema{Type: types("array"), Items: schemaRef(&openapi3.Schema{Type: types("string")})}),
			}}),
			"error":      schemaRef(&openapi3.Schema{Type: types("string")}),
			"statusCode": schemaRef(&openapi3.Schema{Type: types("integer")}),
		},
		Required: []string{"message", "statusCode"},
	}
}

// docPath turns a ServeMux path into an OpenAPI path, and returns its
// wildcards.
func docPath(p string) (string, []string) {
	p = strings.TrimSuffix(p, "{$}")
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	var wild []string
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := strings.TrimSuffix(seg[1:len(seg)-1], "...")
			segs[i] = "{" + name + "}"
			wild = append(wild, name)
		}
	}
	return strings.Join(segs, "/"), wild
}

// handlerName splits a runtime function name into the handler's package
// name and an operation id: "example.com/app/inbox.(*Controller).Push-fm"
// gives "inbox" and "inbox.Controller.Push". Closures give no id.
func handlerName(fn string) (pkg, id string) {
	fn = strings.TrimSuffix(fn, "-fm")
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	parts := strings.Split(fn, ".")
	if len(parts) < 2 {
		return "", ""
	}
	pkg = parts[0]
	for _, p := range parts[1:] {
		if strings.HasPrefix(p, "func") || p == "" {
			return pkg, ""
		}
	}
	id = strings.NewReplacer("(", "", ")", "", "*", "").Replace(fn)
	return pkg, id
}

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func ptr[T any](v T) *T { return &v }
