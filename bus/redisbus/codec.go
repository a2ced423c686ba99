package redisbus

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/fanout"
	"github.com/rxsse/rxsse/bus/internal/streamid"
)

// publishScript appends a message to the bus's stream and to the history
// of each recipient, and sends it, with its entry id, on the channel of each
// recipient, in one step on the node that holds them all: so the live
// copies leave in the stream's order, and a copy is never sent for an entry
// that was not added. A recipient's history (a user's, a topic's, the
// broadcasts') is a stream of the same name as its channel, holding the
// entry under the same id.
//
// KEYS[1] the bus's stream; KEYS[2..] the recipients' histories (and
// channels). ARGV[1] MAXLEN of the stream; ARGV[2] MINID or ""; ARGV[3] live
// payload (without the id); ARGV[4] number n of field/value arguments;
// ARGV[5] MAXLEN of a history; ARGV[6] its time to live in ms; ARGV[7..6+n]
// the entry's fields and values.
var publishScript = redis.NewScript(`
local n = tonumber(ARGV[4])
local fields = {unpack(ARGV, 7, 6 + n)}
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
if ARGV[2] ~= '' then
	redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[2])
end
local payload = id .. ' ' .. ARGV[3]
for i = 2, #KEYS do
	redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[5], id, unpack(fields))
	if ARGV[2] ~= '' then
		redis.call('XTRIM', KEYS[i], 'MINID', '~', ARGV[2])
	end
	redis.call('PEXPIRE', KEYS[i], ARGV[6])
	redis.call('SPUBLISH', KEYS[i], payload)
end
return id
`)

// encodeLive encodes what a live copy carries besides its id: type, topic,
// users, then the data, each but the last prefixed by its length.
func encodeLive(typ, topic string, users []string, data []byte) []byte {
	n := len(typ) + len(topic) + len(data) + 3*binary.MaxVarintLen64
	for _, u := range users {
		n += len(u) + binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	b = appendString(b, typ)
	b = appendString(b, topic)
	b = binary.AppendUvarint(b, uint64(len(users)))
	for _, u := range users {
		b = appendString(b, u)
	}
	return append(b, data...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errLive = errors.New("malformed live message")

// decodeLive turns the payload of a live copy ("<id> <encodeLive>") into a
// message.
func decodeLive(payload string) (*bus.Message, error) {
	id, rest, ok := strings.Cut(payload, " ")
	if !ok {
		return nil, errLive
	}
	if _, err := streamid.Parse(id); err != nil {
		return nil, err
	}
	m := &bus.Message{ID: id}
	var err error
	if m.Type, rest, err = readString(rest); err != nil {
		return nil, err
	}
	if m.Topic, rest, err = readString(rest); err != nil {
		return nil, err
	}
	n, k := binary.Uvarint([]byte(rest[:min(len(rest), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(rest)) {
		return nil, errLive
	}
	rest = rest[k:]
	if n > 0 {
		m.Users = make([]string, n)
		for i := range m.Users {
			if m.Users[i], rest, err = readString(rest); err != nil {
				return nil, err
			}
		}
	}
	m.Data = []byte(rest)
	if m.Type == bus.MarkType {
		return nil, bus.ErrReservedType
	}
	m.Seal()
	return m, nil
}

func readString(s string) (string, string, error) {
	n, k := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(s)-k) {
		return "", "", errLive
	}
	return s[k : k+int(n)], s[k+int(n):], nil
}

// decode turns a stream entry into a message.
func decode(e redis.XMessage) (*bus.Message, error) {
	if _, err := streamid.Parse(e.ID); err != nil {
		return nil, err
	}
	m := &bus.Message{ID: e.ID}
	d, ok := e.Values["d"].(string)
	if !ok {
		return nil, errors.New(`no "d" field`)
	}
	m.Data = []byte(d)
	m.Type, _ = e.Values["y"].(string)
	if m.Type == bus.MarkType {
		return nil, bus.ErrReservedType // added by another client: not a mark
	}
	m.Topic, _ = e.Values["t"].(string)
	if u, ok := e.Values["u"].(string); ok {
		if err := json.Unmarshal([]byte(u), &m.Users); err != nil {
			return nil, fmt.Errorf(`"u" field: %w`, err)
		}
		m.Users = fanout.Dedupe(m.Users)
		if len(m.Users) == 0 {
			return nil, errors.New(`"u" field: no user`)
		}
	}
	m.Seal()
	return m, nil
}

// markMessage returns the start mark at id (see bus.MarkType).
func markMessage(id streamid.ID) *bus.Message {
	m := &bus.Message{ID: id.String(), Type: bus.MarkType}
	m.Seal()
	return m
}
