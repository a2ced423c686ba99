package controller

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

type color int

func (c *color) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red":
		*c = 1
	case "blue":
		*c = 2
	default:
		return &paramError{reason: "unknown color " + string(b)}
	}
	return nil
}

type paging struct {
	Limit int `query:"limit" default:"10" validate:"max=100"`
}

type smokeBody struct {
	Title  string   `json:"title" validate:"required"`
	Tags   []string `json:"tags" validate:"dive,min=2"`
	Author struct {
		Name string `json:"name" validate:"required"`
	} `json:"author"`
}

type smokeIn struct {
	paging
	ID     int64         `path:"id"`
	UID    string        `query:"uid" validate:"required"`
	Opt    *int          `query:"opt"`
	Tags   []uint8       `query:"tag"`
	Wait   time.Duration `query:"wait"`
	At     time.Time     `query:"at"`
	Flag   bool          `query:"flag"`
	F      float32       `query:"f"`
	Color  color         `query:"color"`
	Token  string        `header:"X-Token"`
	Multi  []string      `header:"X-Multi"`
	SID    string        `cookie:"sid"`
	Body   smokeBody     `body:""`
	ignore int
}

func TestBinderSmoke(t *testing.T) {
	b := newBinder(reflect.TypeFor[smokeIn](), map[string]bool{"id": true})
	cfg := &bindConfig{maxBody: DefaultMaxBodyBytes, validation: newValidation(nil, nil)}
	mux := http.NewServeMux()
	var got smokeIn
	var rerr *requestError
	mux.HandleFunc("/x/{id}", func(w http.ResponseWriter, r *http.Request) {
		got = smokeIn{}
		rerr = b.bind(r, reflect.ValueOf(&got).Elem(), cfg)
	})
	req := httptest.NewRequest("POST", "/x/42?uid=u1&opt=3&tag=1&tag=2&wait=1.5s&at=2024-01-02T03:04:05Z&flag=true&f=1.5&color=blue", strings.NewReader(`{"title":"t","tags":["ab","cd"],"author":{"name":"n"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-token", "tok")
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	req.AddCookie(&http.Cookie{Name: "sid", Value: "s1"})
	mux.ServeHTTP(httptest.NewRecorder(), req)
	if rerr != nil {
		t.Fatalf("bind: %+v", rerr)
	}
	t.Logf("%+v", got)

	req = httptest.NewRequest("POST", "/x/42?opt=x&tag=1&tag=300&limit=1000&color=teal", strings.NewReader(`{"title":"","tags":["a"],"author":{"name":5}}`))
	req.Header.Set("Content-Type", "application/json")
	mux.ServeHTTP(httptest.NewRecorder(), req)
	t.Logf("%+v", rerr)
}
