package httperr_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/sse"
)

var _ sse.HTTPError = (*httperr.Error)(nil)

func TestBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  *httperr.Error
		want string
	}{
		{"message", httperr.New(404, "no such stream"), `{"message":"no such stream","error":"Not Found","statusCode":404}`},
		{"no message", httperr.New(404, ""), `{"message":"Not Found","statusCode":404}`},
		{"nil message", &httperr.Error{Status: 403}, `{"message":"Forbidden","statusCode":403}`},
		{"list", &httperr.Error{Status: 400, Message: []string{"a is bad", "b < c"}}, `{"message":["a is bad","b < c"],"error":"Bad Request","statusCode":400}`},
		{"Nest's name for 413", httperr.New(413, "too big"), `{"message":"too big","error":"Payload Too Large","statusCode":413}`},
		{"no HTML escaping", httperr.New(400, "<a&b>"), `{"message":"<a&b>","error":"Bad Request","statusCode":400}`},
		{"line separators kept", httperr.New(400, "a\u2028b"), "{\"message\":\"a\u2028b\",\"error\":\"Bad Request\",\"statusCode\":400}"},
		{"another message type", &httperr.Error{Status: 409, Message: map[string]int{"id": 7}}, `{"message":{"id":7},"error":"Conflict","statusCode":409}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := tc.err.MarshalJSON() // json.Marshal would HTML-escape it again
			if err != nil || string(b) != tc.want {
				t.Errorf("got %s, %v\nwant %s", b, err, tc.want)
			}
			rec := httptest.NewRecorder()
			sse.WriteError(rec, httptest.NewRequest("GET", "/", nil), fmt.Errorf("wrapped: %w", tc.err), nil)
			if rec.Code != tc.err.Status || rec.Body.String() != tc.want {
				t.Errorf("WriteError: %d %s", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	cause := errors.New("row locked")
	e := httperr.Wrap(http.StatusConflict, "taken", cause)
	if got := e.Error(); got != "409 Conflict: taken: row locked" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(e, cause) {
		t.Error("Unwrap does not reach the cause")
	}
	if e.ClientMessage() != "taken" || httperr.New(404, "").ClientMessage() != "Not Found" || e.HTTPStatus() != 409 {
		t.Error("ClientMessage or HTTPStatus")
	}
}

func Example() {
	err := httperr.New(http.StatusNotFound, "no such stream")
	rec := httptest.NewRecorder()
	sse.WriteError(rec, httptest.NewRequest("GET", "/", nil), err, nil)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 404 {"message":"no such stream","error":"Not Found","statusCode":404}
}
