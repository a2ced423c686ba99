package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// Topic is a topic of a hub whose messages carry values of type T, as
// JSON: it publishes them and receives them decoded. A topic is a name
// everywhere in this package: Message.Topic, Recipient.Topics, ToTopic.
type Topic[T any] struct {
	hub  Hub
	name string
}

// Typed is a message of a Topic, decoded.
type Typed[T any] struct {
	ID    string // the message id (use it as the SSE id)
	Type  string // the event type it was published with ("" from Publish)
	Value T

	msg *Message // the message it was decoded from
}

// Event returns the message t was decoded from as an SSE event (see
// Message.Event): its id, its type, and its data as published, the JSON of
// Value, encoded once for every stream it goes to. Map a topic's stream with
// it to send its values as they were published:
//
//	rx.Map(topic.Subscribe(ctx, r), bus.Typed[Price].Event)
func (t Typed[T]) Event() sse.MessageEvent {
	if t.msg != nil {
		return t.msg.Event()
	}
	return sse.MessageEvent{ID: &t.ID, Type: t.Type, Data: t.Value}
}

// NewTopic returns the topic name of hub, carrying values of type T. It
// panics if hub is nil or name is empty.
func NewTopic[T any](hub Hub, name string) *Topic[T] {
	if hub == nil {
		panic("bus: NewTopic: nil hub")
	}
	if name == "" {
		panic("bus: NewTopic: empty topic name")
	}
	return &Topic[T]{hub: hub, name: name}
}

// Name returns the topic's name.
func (t *Topic[T]) Name() string { return t.name }

// Publish sends v, encoded as JSON (without HTML escaping), to the topic's
// subscribers and returns its id.
func (t *Topic[T]) Publish(ctx context.Context, v T) (string, error) {
	return t.PublishType(ctx, "", v)
}

// PublishType is Publish with an event type.
func (t *Topic[T]) PublishType(ctx context.Context, typ string, v T) (string, error) {
	data, err := marshalJSON(v)
	if err != nil {
		return "", fmt.Errorf("bus: topic %q: encode: %w", t.name, err)
	}
	return t.hub.Publish(ctx, ToTopic(t.name), typ, data)
}

// PublishJSON sends v, encoded as JSON as JavaScript's JSON.stringify does
// (compact, without HTML escaping), as a message of type typ to the
// subscribers named by to, and returns its id.
func PublishJSON(ctx context.Context, hub Hub, to Address, typ string, v any) (string, error) {
	data, err := marshalJSON(v)
	if err != nil {
		return "", fmt.Errorf("bus: encode: %w", err)
	}
	return hub.Publish(ctx, to, typ, data)
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// Subscribe returns the topic's messages, decoded. sub says who subscribes
// and where to resume (its Topics are replaced by this topic; messages
// addressed to its user are not part of the topic and are left out). A
// message that does not decode as T ends the stream with an error. With
// sub.Mark, the start mark comes as a Typed of Type MarkType and zero Value.
func (t *Topic[T]) Subscribe(ctx context.Context, sub Recipient) rx.Observable[Typed[T]] {
	sub.Topics = []string{t.name}
	src := t.hub.Subscribe(ctx, sub)
	return rx.Create(func(s rx.Subscriber[Typed[T]]) func() {
		in := src.Subscribe(s.Context(), rx.ObserverFuncs[*Message]{
			OnNext: func(m *Message) {
				if m.IsMark() {
					s.Next(Typed[T]{ID: m.ID, Type: m.Type, msg: m})
					return
				}
				if m.Topic != t.name {
					return
				}
				var v T
				if err := json.Unmarshal(m.Data, &v); err != nil {
					s.Error(fmt.Errorf("bus: topic %q: message %s: decode: %w", t.name, m.ID, err))
					return
				}
				s.Next(Typed[T]{ID: m.ID, Type: m.Type, Value: v, msg: m})
			},
			OnError:    s.Error,
			OnComplete: s.Complete,
		})
		return in.Unsubscribe
	})
}
