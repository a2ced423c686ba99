package openapi

import (
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/sse"
)

var (
	messageEventType  = reflect.TypeFor[sse.MessageEvent]()
	encodedType       = reflect.TypeFor[sse.Encoded]()
	eventerType       = reflect.TypeFor[sse.Eventer]()
	sharedEventerType = reflect.TypeFor[sse.SharedEventer]()
)

// eventSchema is the itemSchema of an SSE route's text/event-stream: each
// item is one event as a client parses it, {event, data, id, retry}, and
// the items are a union keyed by the event's type, as in the SSE example
// of the OpenAPI 3.2 specification. Data that the server writes as JSON is
// a string whose contentSchema is the JSON's. The "error" event is the one
// the server sends when the stream fails after its headers.
func (b *builder) eventSchema(rt controller.RouteInfo) (*openapi3.SchemaRef, error) {
	var branches openapi3.SchemaRefs
	if len(rt.Doc.Events) == 0 {
		data, err := b.dataSchema(rt.Output)
		if err != nil {
			return nil, err
		}
		typ := "message"
		if makesEvents(rt.Output) {
			typ = "" // each value says its own type: *bus.Message, sse.MessageEvent
		}
		branches = append(branches, eventBranch(typ, data, ""))
	}
	// Events of one type with different data share a branch (data is one
	// of theirs): the branches of a oneOf must not overlap.
	var order []string
	byType := map[string][]controller.EventDoc{}
	for _, ev := range rt.Doc.Events {
		typ := ev.Type
		if typ == "" {
			typ = "message"
		}
		if byType[typ] == nil {
			order = append(order, typ)
		}
		byType[typ] = append(byType[typ], ev)
	}
	for _, typ := range order {
		var (
			datas openapi3.SchemaRefs
			descs []string
		)
		for _, ev := range byType[typ] {
			var t reflect.Type
			if ev.Data != nil {
				t = reflect.TypeOf(ev.Data)
			}
			data, err := b.dataSchema(t)
			if err != nil {
				return nil, err
			}
			if ev.Description != "" {
				data.Value.Description = ev.Description
				descs = append(descs, ev.Description)
			}
			datas = append(datas, data)
		}
		data := datas[0]
		if len(datas) > 1 {
			data = schemaRef(&openapi3.Schema{AnyOf: datas})
		}
		desc := ""
		if len(descs) == 1 {
			desc = descs[0]
		}
		branches = append(branches, eventBranch(typ, data, desc))
	}
	branches = append(branches, eventBranch("error", schemaRef(&openapi3.Schema{
		Type:        types("string"),
		Description: `The message of the error (an HTTP error's), or "Internal server error".`,
	}), "The stream failed; it ends after this event."))

	return schemaRef(&openapi3.Schema{
		Type: types("object"),
		Properties: openapi3.Schemas{
			"event": schemaRef(&openapi3.Schema{Type: types("string"), Description: `The event type; "message" when absent.`}),
			"data":  schemaRef(&openapi3.Schema{Type: types("string")}),
			"id":    schemaRef(&openapi3.Schema{Type: types("string"), Description: "The event id: the client's Last-Event-ID when it reconnects."}),
			"retry": schemaRef(&openapi3.Schema{Type: types("integer"), Min: ptr(0.0), Description: "The reconnection delay, in milliseconds."}),
		},
		Required: []string{"data"},
		OneOf:    branches,
	}), nil
}

// eventBranch is the part of the union for one event type. The default type
// is written without an "event" field, so its branch only excludes others;
// typ "" stands for any type but "error".
func eventBranch(typ string, data *openapi3.SchemaRef, desc string) *openapi3.SchemaRef {
	event := schemaRef(&openapi3.Schema{Const: typ})
	if typ == "" {
		event = schemaRef(&openapi3.Schema{Not: schemaRef(&openapi3.Schema{Const: "error"})})
	}
	s := &openapi3.Schema{
		Description: desc,
		Properties: openapi3.Schemas{
			"event": event,
			"data":  data,
		},
	}
	if typ != "message" && typ != "" {
		s.Required = []string{"event"}
	}
	return schemaRef(s)
}

// makesEvents reports whether values of t are whole events rather than
// data: package sse writes them as the events they say.
func makesEvents(t reflect.Type) bool {
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	return base == messageEventType || base == encodedType ||
		implements(t, eventerType) || implements(t, sharedEventerType)
}

// dataSchema is the schema of the data field of events whose value has type
// t, as package sse writes it: a string as it is, anything else as JSON. A
// MessageEvent's data, or a nil t, can be anything.
func (b *builder) dataSchema(t reflect.Type) (*openapi3.SchemaRef, error) {
	str := schemaRef(&openapi3.Schema{Type: types("string")})
	if t == nil {
		return str, nil
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	switch {
	case makesEvents(t), base.Kind() == reflect.Interface:
		return str, nil
	case t.Kind() == reflect.String:
		return str, nil
	}
	content, err := b.schemas.of(t, "")
	if err != nil {
		return nil, err
	}
	return schemaRef(&openapi3.Schema{
		Type:             types("string"),
		ContentMediaType: "application/json",
		ContentSchema:    content,
	}), nil
}
