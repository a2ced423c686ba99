package controller

import (
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"strings"
)

// RouteInfo describes a typed route as it was registered: what API
// documentation needs (package controller/openapi builds an OpenAPI document
// from it). Plain handlers registered with Handle are not described.
type RouteInfo struct {
	// Method is the route's method ("GET", "POST", …).
	Method string
	// Path is the route's ServeMux path, prefixes included: "/notify/{id}",
	// "/{$}", "/files/{path...}".
	Path string
	// Stream is set for an SSE route.
	Stream bool
	// Status is the route's status when it succeeds: Status's, or 200 (201
	// for POST).
	Status int
	// Input is the handler's input struct type.
	Input reflect.Type
	// Params are the input's path, query, header and cookie parameters, in
	// field order.
	Params []ParamInfo
	// Body is the input's JSON body, or nil.
	Body *BodyInfo
	// Output is the result type of a JSON route, or the element type T of
	// an SSE route's rx.Observable[T].
	Output reflect.Type
	// Guarded is set when guards run before the route (its own or its
	// routers').
	Guarded bool
	// Handler is the handler's function name, as the runtime reports it
	// ("example.com/app/inbox.(*Controller).Push-fm").
	Handler string
	// Doc is what Describe added.
	Doc RouteDoc
}

// ParamInfo describes one parameter of a route's input.
type ParamInfo struct {
	// In is where it comes from: "path", "query", "header" or "cookie".
	In string
	// Name is its name in the request.
	Name string
	// Field is the input struct's field, with its tags (validate, default,
	// pipe, doc, …).
	Field reflect.StructField
	// Type is the type of one value: the field's type, behind its pointer,
	// or its slice's element type when Multi or List is set.
	Type reflect.Type
	// Multi is set when the field takes every value of a repeated
	// parameter (?tag=a&tag=b).
	Multi bool
	// List, when not empty, is the separator of a value split into a list
	// (pipe:"array").
	List string
	// Required is set when a request without the parameter is refused: a
	// path parameter, a "required" validation rule, or a pipe that is not
	// optional and has no default.
	Required bool
	// Default is the value used when the parameter is absent (the default
	// tag), or nil.
	Default *string
	// Enum are the values a pipe:"enum=…" accepts.
	Enum []string
	// Format is "uuid" for a pipe:"uuid" parameter, "date-time" for a
	// pipe:"date" one, "" otherwise.
	Format string
}

// BodyInfo describes the JSON body of a route's input.
type BodyInfo struct {
	// Type is the body's type (behind the field's pointer).
	Type reflect.Type
	// Required is set unless the body field is a pointer (an empty body
	// leaves it nil).
	Required bool
}

// RouteDoc documents a route beyond what its types say: Nest's
// @ApiOperation and @ApiTags, and for an SSE route the types of events it
// sends.
type RouteDoc struct {
	Summary     string
	Description string
	Tags        []string
	// OperationID names the operation; by default it is made from the
	// handler's name.
	OperationID string
	Deprecated  bool
	// Events are the events of an SSE route, by type. Without them every
	// event is described as a "message" event whose data is the stream's
	// element type.
	Events []EventDoc
}

// EventDoc documents one type of event of an SSE route.
type EventDoc struct {
	// Type is the event's "event:" field; "" is the default, "message".
	Type string
	// Data is a value of the type of the event's data, for its schema: a
	// string for text, anything else for JSON (Payload{}). Nil means any
	// data.
	Data        any
	Description string
}

// Describe documents a route for generated API documentation.
func Describe(d RouteDoc) RouteOption {
	d.Tags = slices.Clone(d.Tags)
	d.Events = slices.Clone(d.Events)
	return routeOptionFunc(func(c *routeConfig) { c.doc = &d })
}

// Routes describes the typed routes registered so far on the router's root
// and every router mounted from it, in registration order.
func (r *Router) Routes() []RouteInfo {
	out := slices.Clone(r.app.routes)
	for i := range out {
		out[i].Params = slices.Clone(out[i].Params)
	}
	return out
}

// describe records the route for Routes.
func (rt *route) describe(out reflect.Type, stream bool, status int, h any) {
	if status == 0 {
		status = http.StatusOK
		if rt.method == http.MethodPost {
			status = http.StatusCreated
		}
	}
	info := RouteInfo{
		Method:  rt.method,
		Path:    rt.path,
		Stream:  stream,
		Status:  status,
		Input:   rt.binder.typ,
		Output:  out,
		Guarded: len(rt.guards) > 0,
	}
	if f := runtime.FuncForPC(reflect.ValueOf(h).Pointer()); f != nil {
		info.Handler = f.Name()
	}
	if rt.doc != nil {
		info.Doc = *rt.doc
	}
	for i := range rt.binder.params {
		info.Params = append(info.Params, rt.binder.params[i].info(rt.binder.typ))
	}
	if b := rt.binder.body; b != nil {
		t := b.typ
		if b.ptr {
			t = t.Elem()
		}
		info.Body = &BodyInfo{Type: t, Required: !b.ptr}
	}
	rt.app.routes = append(rt.app.routes, info)
}

func (p *param) info(in reflect.Type) ParamInfo {
	f := in.FieldByIndex(p.index)
	pi := ParamInfo{
		In:      sourceTags[p.src],
		Name:    p.name,
		Field:   f,
		Type:    p.elem,
		Multi:   p.slice,
		Default: p.def,
	}
	pi.Required = p.src == fromPath || hasRequiredRule(f.Tag.Get("validate"))
	if pp := p.pipe; pp != nil {
		pi.Required = pi.Required || (!pp.optional && !p.ptr && p.def == nil)
		switch pp.kind {
		case pipeArray:
			pi.Type, pi.List = p.elem.Elem(), pp.sep
		case pipeEnum:
			pi.Enum = slices.Clone(pp.values)
		case pipeUUID:
			pi.Format = "uuid"
		case pipeDate:
			pi.Format = "date-time"
		}
	}
	if p.def != nil && p.src != fromPath {
		pi.Required = false
	}
	return pi
}

// hasRequiredRule reports whether a validate tag requires the field itself
// (rules after "dive" are its elements').
func hasRequiredRule(tag string) bool {
	for rule := range strings.SplitSeq(tag, ",") {
		switch rule {
		case "required":
			return true
		case "dive", "keys":
			return false
		}
	}
	return false
}
