package controller

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// RouteOption changes one route: Status, ResponseHeader, Guards, BodyLimit,
// SSEOptions, Intercept.
type RouteOption interface {
	applyRoute(c *routeConfig)
}

type routeConfig struct {
	status       int
	guards       []Guard
	maxBody      int64
	sse          *sse.Options
	interceptors []any
	header       http.Header
	doc          *RouteDoc
}

type routeOptionFunc func(c *routeConfig)

func (f routeOptionFunc) applyRoute(c *routeConfig) { f(c) }

// Status sets the route's status: Nest's @HttpCode. By default a route
// answers 200, or 201 for POST, as in Nest; SetStatus changes it for one
// request. On an SSE route the status is sent with the stream's headers.
func Status(code int) RouteOption {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("controller: Status(%d): not an HTTP status", code))
	}
	return routeOptionFunc(func(c *routeConfig) { c.status = code })
}

// ResponseHeader sets a header of the route's responses: Nest's
// @Header(name, value). It is set once the guards have let the request in
// and its input is valid, before the handler runs, which may change it with
// Header; on an SSE route the SSE headers win over same-named ones.
func ResponseHeader(name, value string) RouteOption {
	if name == "" || strings.ContainsAny(name, " \t\r\n:") || strings.ContainsAny(value, "\r\n") {
		panic(fmt.Sprintf("controller: ResponseHeader(%q, %q): not a valid header", name, value))
	}
	return routeOptionFunc(func(c *routeConfig) {
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(name, value)
	})
}

// Guards adds guards to the route, after those of its routers: Nest's
// @UseGuards on a method.
func Guards(g ...Guard) RouteOption {
	for _, gd := range g {
		if gd == nil {
			panic("controller: Guards: nil guard")
		}
	}
	return routeOptionFunc(func(c *routeConfig) { c.guards = append(c.guards, g...) })
}

// BodyLimit sets the route's request body limit in bytes, replacing
// Options.MaxBodyBytes; a larger body is answered 413. Negative means no
// limit.
func BodyLimit(n int64) RouteOption {
	return routeOptionFunc(func(c *routeConfig) {
		if n < 0 {
			n = 1 << 62
		}
		c.maxBody = n
	})
}

// SSEOptions sets the SSE options of an SSE route, replacing
// Options.SSE: for instance its own MaxStreams.
func SSEOptions(o *sse.Options) RouteOption {
	return routeOptionFunc(func(c *routeConfig) { c.sse = o })
}

// route is the untyped part of a registered route.
type route struct {
	app     *app
	pattern string
	method  string
	binder  *binder
	guards  []Guard
	status  int
	bind    bindConfig
	sse     *sse.Options
	path    string
	router  *Router
	ics     []any
	header  http.Header
	// nilable is set when the result type can hold nil (pointer,
	// interface), which Nest answers with an empty body.
	nilable bool
	doc     *RouteDoc
}

// newRoute checks a pattern and an input type and plans the route. method
// is the route's method when the pattern has none; a JSON route must not
// name another.
func newRoute(r *Router, method, pattern string, in reflect.Type, opts []RouteOption, anyMethod bool) *route {
	m, path := splitPattern(pattern)
	switch {
	case m == "":
		m = method
	case m != method && !anyMethod:
		panic(fmt.Sprintf("controller: route %q: registered as %s", pattern, method))
	}
	var c routeConfig
	for _, o := range opts {
		if o == nil {
			panic(fmt.Sprintf("controller: route %q: nil option", pattern))
		}
		o.applyRoute(&c)
	}
	full := routePath(r.prefix, path, pattern)
	rt := &route{
		app:     r.app,
		pattern: m + " " + full,
		method:  m,
		guards:  append(append([]Guard(nil), r.guards...), c.guards...),
		status:  c.status,
		bind:    bindConfig{maxBody: r.app.maxBody, rejectUnknown: r.app.rejectUnknown, validation: r.app.validation},
		sse:     r.app.sse,
		path:    full,
		router:  r,
		ics:     c.interceptors,
		header:  c.header,
		doc:     c.doc,
	}
	if c.maxBody != 0 {
		rt.bind.maxBody = c.maxBody
	}
	if c.sse != nil {
		rt.sse = c.sse
	}
	if rt.sse.Streams == nil {
		// The router's account: http.Server.Shutdown ends the streams of
		// every route, and Router.Streams waits for them.
		o := *rt.sse
		o.Streams = r.app.streams
		rt.sse = &o
	}
	func() {
		defer func() {
			if v := recover(); v != nil {
				panic(fmt.Sprintf("%v (route %q)", v, rt.pattern))
			}
		}()
		rt.binder = newBinder(in, wildcards(full), m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch)
	}()
	return rt
}

// handle registers h as the route's handler.
func (rt *route) handle(h http.HandlerFunc) {
	rt.router.register(rt.pattern, h)
}

// prepare runs the guards and binds the input; on failure it has answered
// and returns false.
func prepare[In any](rt *route, w http.ResponseWriter, req *http.Request) (*http.Request, *In, bool) {
	req = begin(w, req)
	in := new(In)
	err := rt.admit(req, in)
	if err != nil {
		sse.WriteError(w, req, err, rt.app.logger)
		return nil, nil, false
	}
	if rt.header != nil {
		h := w.Header()
		for k, v := range rt.header {
			h[k] = append([]string(nil), v...)
		}
	}
	return req, in, true
}

// admit runs the guards, then binds and validates into in.
func (rt *route) admit(req *http.Request, in any) (err error) {
	defer recoverTo(&err)
	for _, g := range rt.guards {
		if err := g(req); err != nil {
			return err
		}
	}
	if rerr := rt.binder.bind(req, reflect.ValueOf(in).Elem(), &rt.bind); rerr != nil {
		return rerr.httpError()
	}
	return nil
}

// call runs a handler, turning a panic into an error.
func call[In, Out any](ctx context.Context, h func(context.Context, *In) (Out, error), in *In) (out Out, err error) {
	defer recoverTo(&err)
	return h(ctx, in)
}

// Get registers a JSON route for GET (and HEAD) requests: Nest's @Get.
// pattern is a path, relative to the controller's prefix, in ServeMux syntax
// ("/items/{id}"); "GET /items/{id}" is accepted too. The route matches the
// path exactly, with or without a trailing slash, as Nest does; end it with
// {name...} to match a subtree.
//
// For each request the guards run, In is filled from the request (see the
// package documentation for the tags) and validated, then h runs with the
// request's context; a problem at any step is answered as a Nest error and h
// is not called. The result is answered with the route's status:
//   - a string, number or bool as text, "Content-Type: text/html;
//     charset=utf-8", as Nest (Express's res.send) does, unless the handler
//     set another Content-Type with Header;
//   - nil (a nil pointer or interface) as an empty body;
//   - anything else as JSON, "application/json; charset=utf-8", without
//     HTML escaping.
//
// An error from h is answered with its status when it is an *httperr.Error
// (see BadRequest, NotFound, …), or logged and answered 500 with a generic
// message otherwise. A panic in h is answered 500 too.
func Get[In, Out any](r *Router, pattern string, h func(ctx context.Context, in *In) (Out, error), opts ...RouteOption) {
	handleJSON(r, http.MethodGet, pattern, h, opts)
}

// Post registers a JSON route for POST requests: Nest's @Post. Its default
// status is 201, as in Nest. See Get.
func Post[In, Out any](r *Router, pattern string, h func(ctx context.Context, in *In) (Out, error), opts ...RouteOption) {
	handleJSON(r, http.MethodPost, pattern, h, opts)
}

// Put registers a JSON route for PUT requests: Nest's @Put. See Get.
func Put[In, Out any](r *Router, pattern string, h func(ctx context.Context, in *In) (Out, error), opts ...RouteOption) {
	handleJSON(r, http.MethodPut, pattern, h, opts)
}

// Patch registers a JSON route for PATCH requests: Nest's @Patch. See Get.
func Patch[In, Out any](r *Router, pattern string, h func(ctx context.Context, in *In) (Out, error), opts ...RouteOption) {
	handleJSON(r, http.MethodPatch, pattern, h, opts)
}

// Delete registers a JSON route for DELETE requests: Nest's @Delete. See Get.
func Delete[In, Out any](r *Router, pattern string, h func(ctx context.Context, in *In) (Out, error), opts ...RouteOption) {
	handleJSON(r, http.MethodDelete, pattern, h, opts)
}

func handleJSON[In, Out any](r *Router, method, pattern string, h func(context.Context, *In) (Out, error), opts []RouteOption) {
	if h == nil {
		panic(fmt.Sprintf("controller: route %q: nil handler", pattern))
	}
	rt := newRoute(r, method, pattern, reflect.TypeFor[In](), opts, false)
	ics := interceptorsFor[Out](rt.pattern, rt.ics)
	status := rt.status
	if status == 0 {
		status = http.StatusOK
		if rt.method == http.MethodPost {
			status = http.StatusCreated
		}
	}
	rt.describe(reflect.TypeFor[Out](), false, status, h)
	k := reflect.TypeFor[Out]().Kind()
	rt.nilable = k == reflect.Pointer || k == reflect.Interface
	rt.handle(func(w http.ResponseWriter, req *http.Request) {
		req, in, ok := prepare[In](rt, w, req)
		if !ok {
			return
		}
		ctx := req.Context()
		out, err := call(ctx, h, in)
		if len(ics) > 0 {
			out, err = interceptResult(ctx, out, err, ics)
		}
		if err != nil {
			sse.WriteError(w, req, err, rt.app.logger)
			return
		}
		code := status
		if s := stateOf(ctx).status; s != 0 {
			code = s
		}
		rt.writeResult(w, req, code, out)
	})
}

// SSE registers an SSE route: Nest's @Sse. pattern is a path as for Get,
// with an optional method ("POST /stream"; GET by default, HEAD included).
// The guards run and In is bound and validated as for Get, then h returns
// the stream; the framework subscribes to it with the request's context,
// writes each value as an event (an sse.MessageEvent as it is, anything
// else as its data), and unsubscribes when the client goes away.
//
// Until the stream starts, problems are answered as for Get: a failing
// guard, bad input or an error from h is a JSON error, with no SSE header.
// After that, an error on the stream becomes an "event: error" (see package
// sse). The status is 200, or 201 for POST, unless Status or SetStatus says
// otherwise; headers set with Header before h returns are kept.
//
// On HTTP/1.1 the stream leaves net/http's handler goroutine once its
// headers are out (see sse.Serve): middleware sees the request end then,
// while ctx (the stream's context) lives until the stream ends.
// http.Server.Shutdown ends the streams, Router.Streams().Shutdown waits for
// their last bytes too; the route option SSEOptions(&sse.Options{Attached:
// true}) keeps a route's streams inside their handler.
func SSE[In, T any](r *Router, pattern string, h func(ctx context.Context, in *In) (rx.Observable[T], error), opts ...RouteOption) {
	if h == nil {
		panic(fmt.Sprintf("controller: route %q: nil handler", pattern))
	}
	rt := newRoute(r, http.MethodGet, pattern, reflect.TypeFor[In](), opts, true)
	ics := interceptorsFor[T](rt.pattern, rt.ics)
	rt.describe(reflect.TypeFor[T](), true, rt.status, h)
	rt.handle(func(w http.ResponseWriter, req *http.Request) {
		// A context that lives as long as the stream, not the request: it
		// lets sse.Serve take the connection over from net/http once the
		// headers are out (an idle stream then costs a quarter of the memory).
		req = sse.WithStreamContext(req)
		req, in, ok := prepare[In](rt, w, req)
		if !ok {
			return
		}
		ctx := req.Context()
		obs, err := call(ctx, h, in)
		if err != nil {
			if len(ics) == 0 {
				sse.WriteError(w, req, err, rt.app.logger)
				return
			}
			// Interceptors may replace the error (CatchError), as in Nest.
			obs = rx.Throw[T](err)
		}
		if len(ics) > 0 {
			obs = intercept(ctx, obs, ics)
		}
		status := rt.status
		if s := stateOf(ctx).status; s != 0 {
			status = s
		}
		sse.Serve(w, req, obs, status, rt.sse)
		stateOf(ctx).release()
	})
}
