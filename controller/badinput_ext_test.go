package controller_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
)

// TestBadInput sends what a new user's client gets wrong; each is a clear
// error, and the server keeps serving the next good request.
func TestBadInput(t *testing.T) {
	t.Parallel()
	type in struct {
		UID  string  `query:"uid" validate:"required"`
		Body article `body:""`
	}
	r, logs := newRouter(&controller.Options{MaxBodyBytes: 64})
	controller.Post(r, "/articles", func(_ context.Context, in *in) (string, error) { return in.Body.Title, nil })
	controller.Post(r, "/small", func(_ context.Context, in *in) (string, error) { return in.Body.Title, nil },
		controller.BodyLimit(16))
	controller.Post(r, "/large", func(_ context.Context, in *in) (string, error) { return in.Body.Title, nil },
		controller.BodyLimit(-1))
	srv := serve(t, r)

	const good = `{"title":"t","author":{"name":"a"}}`
	bad := func(msg string) string {
		return `{"message":"` + msg + `","error":"Bad Request","statusCode":400}`
	}
	cases := []struct {
		name, path, body string
		header           []string
		status           int
		want             string
	}{
		{"missing query parameter", "/articles", good, nil, 400,
			`{"message":["uid should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"empty body", "/articles?uid=u", "", nil, 400, bad("request body should not be empty")},
		{"blank body", "/articles?uid=u", " \n\t", nil, 400, bad("request body should not be empty")},
		{"truncated JSON", "/articles?uid=u", `{"title":`, nil, 400, bad("request body is not valid JSON: unexpected end of input")},
		{"malformed JSON", "/articles?uid=u", `{"title" "t"}`, nil, 400,
			bad(`request body is not valid JSON: invalid character '\"' after object key (at offset 9)`)},
		{"two JSON values", "/articles?uid=u", `{"title":"t"} {}`, nil, 400,
			bad("request body is not valid JSON: invalid character '{' after top-level value (at offset 14)")},
		{"invalid UTF-8", "/articles?uid=u", "{\"title\":\"a\xffb\"}", nil, 400, bad("request body is not valid UTF-8 (at offset 11)")},
		{"wrong content type", "/articles?uid=u", good, []string{"Content-Type", "text/plain"}, 415,
			`{"message":"Content-Type must be application/json","error":"Unsupported Media Type","statusCode":415}`},
		{"form content type", "/articles?uid=u", "title=t", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415,
			`{"message":"Content-Type must be application/json","error":"Unsupported Media Type","statusCode":415}`},
		{"malformed content type", "/articles?uid=u", good, []string{"Content-Type", "application/json; ="}, 415,
			`{"message":"Content-Type must be application/json","error":"Unsupported Media Type","statusCode":415}`},
		{"other charset", "/articles?uid=u", good, []string{"Content-Type", "application/json; charset=latin1"}, 415,
			`{"message":"Content-Type charset must be utf-8","error":"Unsupported Media Type","statusCode":415}`},
		{"body over the limit", "/articles?uid=u", `{"title":"` + strings.Repeat("x", 100) + `"}`, nil, 413,
			`{"message":"request body is larger than 64 bytes","error":"Payload Too Large","statusCode":413}`},
		{"body over the route's limit", "/small?uid=u", good, nil, 413,
			`{"message":"request body is larger than 16 bytes","error":"Payload Too Large","statusCode":413}`},
		{"no limit on the route", "/large?uid=u", `{"title":"` + strings.Repeat("x", 10000) + `","author":{"name":"a"}}`, nil, 201,
			strings.Repeat("x", 10000)},
		{"type mismatch", "/articles?uid=u", `{"title":true,"author":{"name":"a"}}`, nil, 400,
			`{"message":["title must be a string"],"error":"Bad Request","statusCode":400}`},
		{"body is a string", "/articles?uid=u", `"x"`, nil, 400,
			`{"message":["body must be an object"],"error":"Bad Request","statusCode":400}`},
		{"bad time in the body", "/articles?uid=u", `{"title":"t","author":{"name":"a"},"at":"yesterday"}`, nil, 400,
			bad(`request body is not valid: parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.do(t, "POST", tc.path, tc.body, tc.header...).check(t, tc.status, tc.want)
			srv.do(t, "POST", "/articles?uid=u", good).check(t, 201, "t")
		})
	}

	t.Run("body over the limit, length unknown", func(t *testing.T) {
		// A reader of unknown length makes the client send the body chunked,
		// so the limit is found while reading.
		body := io.MultiReader(strings.NewReader(`{"title":"`), strings.NewReader(strings.Repeat("x", 1000)+`"}`))
		req, err := http.NewRequest("POST", srv.URL+"/articles?uid=u", body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := srv.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 413 || string(b) != `{"message":"request body is larger than 64 bytes","error":"Payload Too Large","statusCode":413}` {
			t.Errorf("got %d %s", res.StatusCode, b)
		}
		srv.do(t, "POST", "/articles?uid=u", good).check(t, 201, "t")
	})
	t.Run("huge body", func(t *testing.T) {
		// With "Expect: 100-continue" the client waits for the server's
		// go-ahead before sending the body; a server that answers 413 from
		// Content-Length alone never gives it, so the 4 MiB stay home and
		// the client reads the answer instead of a broken pipe.
		tr := &http.Transport{DisableKeepAlives: true, ExpectContinueTimeout: time.Minute}
		defer tr.CloseIdleConnections()
		req, err := http.NewRequest("POST", srv.URL+"/articles?uid=u", strings.NewReader(`{"title":"`+strings.Repeat("x", 4<<20)+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Expect", "100-continue")
		res, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 413 || string(b) != `{"message":"request body is larger than 64 bytes","error":"Payload Too Large","statusCode":413}` {
			t.Errorf("got %d %s", res.StatusCode, b)
		}
		srv.do(t, "POST", "/articles?uid=u", good).check(t, 201, "t")
	})
	if l := logs.String(); l != "" {
		t.Errorf("client mistakes were logged: %s", l)
	}
}
