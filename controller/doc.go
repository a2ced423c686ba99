// Package controller brings NestJS controllers to Go on plain net/http:
// typed routes whose input is bound from the request and validated, SSE
// routes whose handler returns an rx.Observable, guards, interceptors, and
// errors answered in Nest's shapes.
//
// # Controllers and routers
//
// A controller is a struct with a Routes method; Router.Mount registers its
// routes under a prefix, as @Controller('notify') does:
//
//	type Notify struct{ hub bus.Hub }
//
//	func (c *Notify) Routes(r *controller.Router) {
//		controller.SSE(r, "/stream", c.Stream) // GET /notify/stream
//		controller.Post(r, "/", c.Send)        // POST /notify
//	}
//
//	r := controller.NewRouter(nil)
//	r.Use(controller.CORS(nil))
//	r.Mount("/notify", &Notify{hub})
//	http.ListenAndServe(":3000", r)
//
// A Router is an http.Handler built on http.ServeMux patterns: paths may hold
// wildcards ("/items/{id}", "/files/{path...}"), in the prefix too, and
// handlers read them with r.PathValue. Middleware is
// func(http.Handler) http.Handler, and Use means one thing on any router:
// it wraps the router's routes (after routing, so r.PathValue works) and
// the requests under its prefix that no route matches (CORS preflights and
// 404s). A Router mounts under any other router (http.StripPrefix("/api",
// r)).
//
// Routes match their path exactly, with or without a trailing slash, as in
// Nest; "/" is the prefix itself. An unmatched request is answered 404
// {"message":"Cannot GET /path","error":"Not Found","statusCode":404}, a
// known path with another method too, as Express does.
//
// # Typed routes
//
// Get, Post, Put, Patch and Delete register JSON routes, SSE an SSE route:
//
//	func(ctx context.Context, in *In) (Out, error)                    // JSON
//	func(ctx context.Context, in *In) (rx.Observable[T], error)       // SSE
//
// In is a struct whose tags say where each field comes from:
//
//	type StreamQuery struct {
//		Topic string        `path:"topic"`                    // r.PathValue("topic")
//		UID   string        `query:"uid" validate:"required"` // ?uid=u1
//		Tags  []string      `query:"tag"`                     // ?tag=a&tag=b
//		Every time.Duration `query:"every" default:"1s"`      // the default when absent
//		Limit *int          `query:"limit"`                   // nil when absent
//		Token string        `header:"X-Token"`
//		Theme string        `cookie:"theme"`
//		Body  Message       `body:""` // the JSON body
//	}
//
// Parameters may be strings, integers, floats, bools, time.Duration
// (300ms), time.Time (RFC 3339), any encoding.TextUnmarshaler, a pointer to
// one (nil when absent) or a slice of one (every value of a repeated query
// parameter, header or cookie). An empty value of a non-text type counts as
// absent. A single-value query parameter or header sent more than once is a
// 400 ("uid must be a string"), never a silent pick. Fields of embedded
// structs are bound as the input's own.
//
// The body is the one field tagged `body:""`, decoded from JSON (Content-Type
// application/json or application/*+json, UTF-8), limited to
// Options.MaxBodyBytes (1 MiB by default; BodyLimit per route). A
// non-pointer body must be present; a pointer body is nil when the body is
// empty. Unknown properties are ignored unless Options.RejectUnknownFields.
// On POST, PUT and PATCH routes an input without any tagged field is the
// body itself, as Nest's @Body() dto:
//
//	type CreateMessage struct {
//		Content string `json:"content" validate:"required"`
//	}
//	controller.Post(r, "/", func(ctx context.Context, in *CreateMessage) (*Message, error) { … })
//
// # Pipes
//
// Nest's built-in pipes are a pipe tag on a parameter; they answer Nest's
// exact 400s, such as {"message":"Validation failed (numeric string is
// expected)","error":"Bad Request","statusCode":400}:
//
//	ID    int       `path:"id" pipe:"int"`                     // ParseIntPipe
//	Price float64   `query:"price" pipe:"float"`               // ParseFloatPipe
//	Live  bool      `query:"live" pipe:"bool"`                 // ParseBoolPipe
//	Ref   string    `query:"ref" pipe:"uuid=4"`                // ParseUUIDPipe({version: '4'})
//	Sort  string    `query:"sort" pipe:"enum=asc|desc"`        // ParseEnumPipe
//	Syms  []string  `query:"symbols" pipe:"array"`             // ParseArrayPipe: ?symbols=A,B
//	IDs   []int     `query:"ids" pipe:"array=;"`               // {items: Number, separator: ';'}
//	Page  int       `query:"page" default:"1" pipe:"int"`      // DefaultValuePipe, then ParseIntPipe
//	Limit *int      `query:"limit" pipe:"int"`                 // {optional: true}: nil when absent
//	At    time.Time `query:"at" pipe:"date"`                   // ParseDatePipe (ISO 8601)
//
// ",optional" after the pipe's name is {optional: true} for a non-pointer
// field. A value refused by a pipe is answered before the body is read and
// before validation, as Nest's pipes throw.
//
// The struct is reflected once, when the route is registered: a tag that
// cannot work (an unsupported type, a path parameter the pattern lacks, two
// bodies, a bad default) panics there, with a "controller: " message.
//
// # Validation
//
// After binding, In is validated with go-playground/validator/v10 (its
// `validate` tags). Any problem is answered 400 before the handler runs (and
// before anything is streamed) in the shape of Nest's ValidationPipe, the
// fields named as the client wrote them:
//
//	{"message":["uid should not be empty","age must not be less than 18"],"error":"Bad Request","statusCode":400}
//
// A malformed JSON body, invalid UTF-8 or an empty required body is a 400 with
// one message, a wrong Content-Type a 415, a body over the limit a 413.
// Options.Validator takes a validator with rules of your own, and
// Options.ValidationMessage words messages your way.
//
// # Results and errors
//
// A JSON route answers its result with status 200 (201 for POST, as Nest),
// or the route's Status (@HttpCode), or what the handler set with SetStatus;
// ResponseHeader sets a header on the route (@Header), Header from the
// handler. Like Nest (Express's res.send), a string, number or bool
// is sent as text/html, nil as an empty body, anything else as JSON.
//
// An error is answered as Nest's exception filter does: an *httperr.Error
// (BadRequest, Unauthorized, Forbidden, NotFound, Conflict, … or NewError)
// with its status, {"message":"no such stream","error":"Not
// Found","statusCode":404}; anything else is logged with Options.Logger and answered 500
// {"statusCode":500,"message":"Internal server error"}, its text never shown.
// A panic in a guard, handler or interceptor is answered 500 too. On an SSE
// route, an error once the stream has started becomes an "event: error"
// frame (see package sse).
//
// # Guards and interceptors
//
// A Guard runs before binding and may reject the request (401, 403) or
// record the user with SetUser; User reads it back. CanActivate adapts a
// check returning a bool, as Nest's canActivate: false answers Nest's 403
// {"message":"Forbidden resource","error":"Forbidden","statusCode":403}. BearerGuard reads a
// bearer token from the Authorization header, and, because a browser's
// EventSource cannot send headers, from a query parameter or a cookie. A
// guard that rejects an SSE request gets a JSON answer, without SSE headers.
// Guards apply to a router's routes (UseGuards) or to one route (Guards).
//
// An Interceptor wraps a route's output as a stream: every event of an SSE
// route, the one result of a JSON route. MapEach maps each value; any rx
// operator works (rx.Map, rx.Tap, rx.CatchError, rx.Timeout).
//
// # Differences from Nest
//
//   - Validation messages follow class-validator's wording but come from
//     validator/v10 rules; rules of its own get a generic message unless
//     Options.ValidationMessage words them.
//   - Interceptor functions run after the handler has returned; what Nest
//     does before calling next.handle() belongs in a guard or middleware.
//   - A handler cannot write the response itself; Request gives read access
//     to the request (Nest's @Req()).
package controller
