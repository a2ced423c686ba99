// Package openapi documents a controller.Router as an OpenAPI 3.2 document,
// built from what the routes' types say (controller.Router.Routes), with
// kin-openapi's document model, and checked by its validator:
//
//   - every route's path, query, header and cookie parameters, and its JSON
//     body, with their validator rules as JSON Schema constraints (required,
//     min and max as lengths, bounds or item counts, oneof as enum, email,
//     url and uuid as formats, alpha and friends as patterns, dive for the
//     items), Nest's pipes (int, float, bool, uuid, enum, array) and
//     defaults;
//   - named struct types as components, by their JSON field names;
//   - the answers: the route's status with its result (text for strings,
//     numbers and bools, as Nest answers them; JSON otherwise), and Nest's
//     error bodies (400 when there is input to refuse, 401 and 403 behind
//     guards, 500 always, 503 with Retry-After for SSE routes over their
//     stream limit);
//   - for an SSE route, a text/event-stream answer whose itemSchema (new in
//     OpenAPI 3.2) describes each event: {event, data, id, retry}, one
//     branch per event type, the data of JSON events as a string whose
//     contentSchema is the JSON's, and the "error" event a stream ends with
//     when it fails. The event types come from controller.Describe; without
//     them, the events are the stream's values. The Last-Event-ID header a
//     reconnecting client sends is a parameter of every SSE route.
//
// A field's `doc` tag describes it; controller.Describe adds a route's
// summary, description, tags and operation id (by default the handler's
// package is its tag and its method its id).
//
//	r := controller.NewRouter(nil)
//	r.Mount("/notify", &notify.Controller{})
//	r.Handle("GET /openapi.json", openapi.Handler(r, &openapi.Options{Title: "Notify"}))
//	r.Handle("GET /docs", openapi.Page("/openapi.json"))
package openapi
