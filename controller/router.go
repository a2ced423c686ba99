package controller

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-playground/validator/v10"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/sse"
)

// Options configures a Router and every controller mounted on it. A nil
// *Options, and every zero field, means the default.
type Options struct {
	// Validator checks input structs. Nil means
	// validator.New(validator.WithRequiredStructEnabled()). The router
	// registers a tag name function on it (RegisterTagNameFunc) so that
	// messages name fields as the client wrote them; pass a validator to add
	// your own rules with RegisterValidation.
	Validator *validator.Validate
	// ValidationMessage, when set, words a broken rule; field is the name the
	// client used ("uid", "author.name"). Returning "" keeps the default
	// message.
	ValidationMessage func(fe validator.FieldError, field string) string
	// MaxBodyBytes limits request bodies; a larger one is answered 413. Zero
	// means DefaultMaxBodyBytes (1 MiB); negative means no limit. A route
	// can change it with BodyLimit.
	MaxBodyBytes int64
	// RejectUnknownFields makes a JSON body with a property the body type
	// does not have a 400 ("property x should not exist", as Nest's
	// forbidNonWhitelisted). By default unknown properties are ignored.
	RejectUnknownFields bool
	// SSE configures the streams of SSE routes (heartbeat, queue, limits).
	// Nil means sse's defaults with Logger below. When set, it is used as it
	// is (its own Logger included) and shared by the routes, so its
	// MaxStreams counts all their streams. A route can change it with
	// SSEOptions.
	SSE *sse.Options
	// Logger receives the errors clients only see as "Internal server
	// error". Nil means slog.Default().
	Logger *slog.Logger
	// NotFound answers requests no route matches. Nil means Nest's answer:
	// 404 {"message":"Cannot GET /path","error":"Not Found","statusCode":404}.
	// As in Nest, a known path with another method is also a 404.
	NotFound http.Handler
}

// Router routes requests to the routes of its controllers. It is an
// http.Handler, built on http.ServeMux patterns, so path values are read with
// r.PathValue and a Router can be mounted under any other router.
//
// Register middleware, guards, controllers and routes before serving; after
// that a Router is safe for concurrent use. Mistakes at registration panic
// with a "controller: " message; nothing panics while serving.
type Router struct {
	app    *app
	prefix string
	// mws wrap each route of the router (they run after routing, so
	// r.PathValue works in them) and the answer to the unmatched requests
	// under its prefix.
	mws    []func(http.Handler) http.Handler
	guards []Guard
	// hasRoutes is set by the first route; Use and UseGuards must come before.
	hasRoutes bool
}

// app is what every Router mounted from one root shares.
type app struct {
	mux           *http.ServeMux
	validation    *validation
	logger        *slog.Logger
	maxBody       int64
	rejectUnknown bool
	sse           *sse.Options
	streams       *sse.Streams // the account of the SSE routes' streams
	notFound      http.Handler
	routes        []RouteInfo // for Router.Routes

	// routers are the root and every mounted router, for the middleware of
	// unmatched requests.
	routers []*Router
	// unmatchedMux finds the router under whose prefix an unmatched
	// request falls; it is built when serving starts.
	unmatchedMux *http.ServeMux
	once         sync.Once
	serving      atomic.Bool
}

// NewRouter returns an empty router configured by opts (nil for defaults).
func NewRouter(opts *Options) *Router {
	if opts == nil {
		opts = &Options{}
	}
	a := &app{
		mux:           http.NewServeMux(),
		validation:    newValidation(opts.Validator, opts.ValidationMessage),
		logger:        opts.Logger,
		maxBody:       opts.MaxBodyBytes,
		rejectUnknown: opts.RejectUnknownFields,
		sse:           opts.SSE,
		notFound:      opts.NotFound,
	}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	if a.sse == nil {
		a.sse = &sse.Options{Logger: a.logger}
	}
	a.streams = a.sse.Streams
	if a.streams == nil {
		a.streams = new(sse.Streams)
	}
	switch {
	case a.maxBody == 0:
		a.maxBody = DefaultMaxBodyBytes
	case a.maxBody < 0:
		a.maxBody = 1 << 62 // no limit, still safe to add one to
	}
	root := &Router{app: a}
	a.routers = append(a.routers, root)
	return root
}

// Controller is a set of routes mounted under a prefix: Nest's
// @Controller('prefix'). Routes registers them on r, whose paths are
// relative to the prefix.
type Controller interface {
	Routes(r *Router)
}

// RoutesFunc adapts a function to a Controller, for routes grouped inline:
// r.Mount("/admin", controller.RoutesFunc(func(r *controller.Router) { … })).
type RoutesFunc func(r *Router)

// Routes calls f(r).
func (f RoutesFunc) Routes(r *Router) { f(r) }

// Streams returns the account of the streams the router's SSE routes serve
// (Options.SSE.Streams, or the router's own): http.Server.Shutdown ends
// them; call its Shutdown after the server's to wait for their last bytes.
func (r *Router) Streams() *sse.Streams { return r.app.streams }

// Use adds middleware for the requests r answers, on the root router and on
// a controller's alike: each of its routes and those of the controllers
// mounted on it (after routing, so r.PathValue works in the middleware),
// and the answer to requests under its prefix that no route matches (404s,
// CORS preflights). The first middleware is the outermost; a mounted
// router's own come inside those of the routers above it. It must be called
// before the router's routes.
func (r *Router) Use(mw ...func(http.Handler) http.Handler) {
	r.checkBeforeRoutes("Use")
	for _, m := range mw {
		if m == nil {
			panic("controller: Use: nil middleware")
		}
	}
	r.mws = append(r.mws, mw...)
}

// UseGuards adds guards to every route of r and of the controllers mounted
// on it: Nest's @UseGuards on a controller. Guards run in order, outer
// routers first, then those of the route (Guards), before the input is
// bound. It must be called before the router's routes.
func (r *Router) UseGuards(g ...Guard) {
	r.checkBeforeRoutes("UseGuards")
	for _, gd := range g {
		if gd == nil {
			panic("controller: UseGuards: nil guard")
		}
	}
	r.guards = append(r.guards, g...)
}

func (r *Router) checkBeforeRoutes(what string) {
	if r.hasRoutes {
		panic("controller: " + what + " must be called before the router's routes")
	}
	if r.app.serving.Load() {
		panic("controller: " + what + " called after the router started serving")
	}
}

// Mount registers c's routes under prefix, which may hold wildcards
// ("/users/{uid}", read with r.PathValue in the routes). Middleware and
// guards of r apply to c's routes, and c may add its own with Use and
// UseGuards on the router it is given. A prefix of "" groups routes under
// r's own prefix.
func (r *Router) Mount(prefix string, c Controller) {
	if c == nil {
		panic("controller: Mount: nil controller")
	}
	sub := &Router{
		app:    r.app,
		prefix: r.prefix + cleanPrefix(prefix),
		mws:    append([]func(http.Handler) http.Handler(nil), r.mws...),
		guards: append([]Guard(nil), r.guards...),
	}
	r.hasRoutes = true
	r.app.routers = append(r.app.routers, sub)
	c.Routes(sub)
}

// Handle registers a plain http.Handler for a ServeMux pattern ("GET
// /files/", "/health") under r's prefix, behind r's middleware and guards.
// Unlike the typed routes the pattern keeps ServeMux's meaning: a trailing
// slash matches the whole subtree.
func (r *Router) Handle(pattern string, h http.Handler) {
	if h == nil {
		panic("controller: Handle " + pattern + ": nil handler")
	}
	method, path := splitPattern(pattern)
	full := r.prefix + path
	if path == "" {
		full = r.prefix + "/"
	}
	if !strings.HasPrefix(path, "/") && path != "" {
		panic(fmt.Sprintf("controller: Handle %q: the path must start with /", pattern))
	}
	gh := h
	if len(r.guards) > 0 {
		guards := r.guards
		gh = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			req = begin(w, req)
			if err := runGuards(guards, req); err != nil {
				sse.WriteError(w, req, err, r.app.logger)
				return
			}
			h.ServeHTTP(w, req)
		})
	}
	r.register(joinMethod(method, full), gh)
}

// ServeHTTP routes req. The first call freezes the router's configuration.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.app.once.Do(r.app.start)
	r.app.mux.ServeHTTP(w, req)
}

// start builds the handler chain, and registers the catch-all that answers
// unmatched requests unless a route already covers "/".
func (a *app) start() {
	a.serving.Store(true)
	if a.notFound == nil {
		a.notFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sse.WriteError(w, r, httperr.New(http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.RequestURI()), a.logger)
		})
	}
	func() {
		defer func() { _ = recover() }() // a user pattern already covers "/": it answers instead
		a.mux.Handle(catchAll, http.HandlerFunc(a.unmatched))
	}()
	a.unmatchedMux = http.NewServeMux()
	for _, r := range a.routers {
		if len(r.mws) == 0 {
			continue
		}
		h := chain(r.mws, a.notFound)
		patterns := []string{r.prefix, r.prefix + "/"}
		if r.prefix == "" {
			patterns = []string{"/"}
		}
		for _, p := range patterns {
			func() {
				defer func() { _ = recover() }() // two routers on one prefix: the first one's
				a.unmatchedMux.Handle(p, h)
			}()
		}
	}
}

// chain wraps h in mws, the first outermost.
func chain(mws []func(http.Handler) http.Handler, h http.Handler) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// catchAll is the pattern of the handler of unmatched requests.
const catchAll = "/"

// unmatched answers a request no route matched. A path with a trailing
// slash gets a second chance without it, as Nest (Express) matches routes
// with or without one; registering both forms instead would make routes
// like "/{id}" conflict with subtrees like "/files/".
func (a *app) unmatched(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		u := *r.URL
		u.Path = strings.TrimSuffix(p, "/")
		u.RawPath = strings.TrimSuffix(u.RawPath, "/")
		r2 := r.Clone(r.Context())
		r2.URL = &u
		if _, pattern := a.mux.Handler(r2); pattern != "" && pattern != catchAll {
			a.mux.ServeHTTP(w, r2)
			return
		}
	}
	if h, pattern := a.unmatchedMux.Handler(r); pattern != "" {
		h.ServeHTTP(w, r) // the not-found answer, in the middleware of the router of the path
		return
	}
	a.notFound.ServeHTTP(w, r)
}

// register adds h for pattern to the mux, wrapped in r's route middleware.
// The mux's own panics (a bad or conflicting pattern) are reworded.
func (r *Router) register(pattern string, h http.Handler) {
	if r.app.serving.Load() {
		panic(fmt.Sprintf("controller: route %q registered after the router started serving", pattern))
	}
	h = chain(r.mws, h)
	r.hasRoutes = true
	defer func() {
		if v := recover(); v != nil {
			panic(fmt.Sprintf("controller: route %q: %v", pattern, v))
		}
	}()
	r.app.mux.Handle(pattern, h)
}

// cleanPrefix checks a Mount prefix and returns it without a trailing slash.
func cleanPrefix(p string) string {
	if p == "" || p == "/" {
		return ""
	}
	if !strings.HasPrefix(p, "/") {
		panic(fmt.Sprintf("controller: Mount prefix %q must start with /", p))
	}
	if strings.ContainsAny(p, " \t") {
		panic(fmt.Sprintf("controller: Mount prefix %q must be a path, without method or spaces", p))
	}
	if strings.Contains(p, "...}") || strings.Contains(p, "{$}") {
		panic(fmt.Sprintf("controller: Mount prefix %q cannot end the path ({name...} or {$})", p))
	}
	return strings.TrimRight(p, "/")
}

// splitPattern splits "GET /path" into its method and path.
func splitPattern(pattern string) (method, path string) {
	pattern = strings.TrimSpace(pattern)
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		return pattern[:i], strings.TrimLeft(pattern[i:], " \t")
	}
	return "", pattern
}

func joinMethod(method, path string) string {
	if method == "" {
		return path
	}
	return method + " " + path
}

// routePath returns the mux path of a typed route: Nest matches a route
// exactly, so "/items" or "/items/" under "/shop" is "/shop/items" (the
// trailing slash of a request is dealt with by app.unmatched), and "/"
// alone is the prefix itself. Paths ending in {name...} or {$} are kept as
// they are.
func routePath(prefix, path, pattern string) string {
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("controller: route %q: the path must start with /", pattern))
	}
	if strings.HasSuffix(path, "...}") || strings.HasSuffix(path, "{$}") {
		return prefix + path
	}
	base := prefix + strings.TrimRight(path, "/")
	if base == "" {
		return "/{$}"
	}
	return base
}

// wildcards returns the names of the wildcards of a mux path.
func wildcards(path string) map[string]bool {
	names := map[string]bool{}
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := strings.TrimSuffix(seg[1:len(seg)-1], "...")
			if name != "$" {
				names[name] = true
			}
		}
	}
	return names
}
