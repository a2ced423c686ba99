package controller

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type fuzzColor int

func (c *fuzzColor) UnmarshalText(b []byte) error {
	if string(b) != "red" && string(b) != "blue" {
		return &paramError{reason: "unknown color"}
	}
	*c = fuzzColor(len(b))
	return nil
}

type fuzzPaging struct {
	Limit int `query:"limit" default:"10" validate:"max=100"`
}

type fuzzBody struct {
	Title  string   `json:"title" validate:"required"`
	Tags   []string `json:"tags" validate:"dive,min=2"`
	Author struct {
		Name string `json:"name" validate:"required"`
	} `json:"author"`
	N *float64 `json:"n" validate:"omitempty,gte=0"`
}

type fuzzIn struct {
	fuzzPaging
	ID    int64         `path:"id"`
	UID   string        `query:"uid" validate:"required"`
	Opt   *int          `query:"opt"`
	Tags  []uint8       `query:"tag"`
	Wait  time.Duration `query:"wait"`
	At    time.Time     `query:"at"`
	Flag  bool          `query:"flag"`
	F     float32       `query:"f"`
	Color fuzzColor     `query:"color"`
	Token string        `header:"X-Token" validate:"omitempty,alphanum"`
	Multi []string      `header:"X-Multi"`
	SID   string        `cookie:"sid"`
	Page  *int          `query:"page" pipe:"int"`
	IDs   []int16       `query:"ids" pipe:"array,optional"`
	Ratio float64       `query:"ratio" pipe:"float,optional"`
	Sort  string        `query:"sort" pipe:"enum=asc|desc,optional"`
	Since *time.Time    `query:"since" pipe:"date"`
	Body  *fuzzBody     `body:""`
}

// FuzzBind feeds the binder arbitrary requests: it must never panic, must
// answer only 400, 413 or 415 with at least one message, and what it accepts
// must pass validation and hold valid UTF-8 text.
func FuzzBind(f *testing.F) {
	f.Add("uid=u&opt=3&tag=1&tag=2&wait=1s&at=2024-01-02T03:04:05Z&flag=1&f=1.5&color=red", "42", "tok", "a", "sid=x", "application/json", `{"title":"t","tags":["ab"],"author":{"name":"n"},"n":1}`)
	f.Add("uid=%FF&limit=1000&tag=300", "x", "t-k", "", "sid", "text/plain", `{"title":`)
	f.Add("", "", "", "", "", "", "")
	f.Add("uid=u&page=2&ids=1,%222%22,1e2&ratio=0x10&sort=asc&since=2024-05-01T10:00%2B02:00", "1", "", "", "", "", "")
	f.Add("uid=u", "1", "", "", "", "application/json; charset=latin1", "{\"title\":\"\xff\"}")
	f.Add("uid=u;x", "-9223372036854775809", "", "", "", "application/json", `{"title":1,"tags":{},"author":[],"n":"x","extra":true} {}`)

	b := newBinder(reflect.TypeFor[fuzzIn](), map[string]bool{"id": true}, false)
	cfg := &bindConfig{maxBody: 256, validation: newValidation(nil, nil)}
	f.Fuzz(func(t *testing.T, query, id, token, multi, cookie, contentType, body string) {
		req := &http.Request{
			Method:        "POST",
			URL:           &url.URL{Path: "/x/" + id, RawQuery: query},
			Header:        http.Header{},
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)),
		}
		req.SetPathValue("id", id)
		req.Header.Set("Content-Type", contentType)
		req.Header["X-Token"] = []string{token}
		req.Header["X-Multi"] = []string{multi, token}
		req.Header["Cookie"] = []string{cookie}

		var in fuzzIn
		rerr := b.bind(req, reflect.ValueOf(&in).Elem(), cfg)
		if rerr != nil {
			switch rerr.status {
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			default:
				t.Fatalf("status %d", rerr.status)
			}
			if rerr.message == "" && len(rerr.messages) == 0 {
				t.Fatal("an error without a message")
			}
			for _, m := range append(rerr.messages, rerr.message) {
				if strings.Contains(m, "controller_test") || strings.Contains(m, "fuzzIn") {
					t.Fatalf("message names Go types: %q", m)
				}
			}
			return
		}
		if err := cfg.validation.v.Struct(&in); err != nil {
			t.Fatalf("accepted input fails validation: %v", err)
		}
		for _, s := range append([]string{in.UID, in.SID, in.Token}, in.Multi...) {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
		}
		if in.Body != nil && !utf8.ValidString(in.Body.Title) {
			t.Fatalf("accepted invalid UTF-8 title %q", in.Body.Title)
		}
		if len(body) > 256 {
			t.Fatal("accepted a body over the limit")
		}
		if len(bytes.TrimSpace([]byte(body))) != 0 && in.Body == nil && strings.TrimSpace(body) != "null" {
			t.Fatalf("body %q accepted but not decoded", body)
		}
	})
}
