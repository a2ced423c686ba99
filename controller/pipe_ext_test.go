package controller_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
)

// nestBad is the body Nest answers when a pipe refuses a value.
func nestBad(msg string) string {
	return `{"message":"` + msg + `","error":"Bad Request","statusCode":400}`
}

const (
	numeric  = "Validation failed (numeric string is expected)"
	boolean  = "Validation failed (boolean string is expected)"
	enum     = "Validation failed (enum string is expected)"
	parsable = "Validation failed (parsable array expected)"
	uuid     = "Validation failed (uuid is expected)"
	uuid4    = "Validation failed (uuid v 4 is expected)"
	notStr   = "The value passed as UUID is not a string"
)

type pipeIn struct {
	Int     int        `query:"int" pipe:"int"`
	Int8    *int8      `query:"int8" pipe:"int"`
	Uint    *uint      `query:"uint" pipe:"int"`
	Float   *float64   `query:"float" pipe:"float"`
	Bool    *bool      `query:"bool" pipe:"bool"`
	UUID    *string    `query:"uuid" pipe:"uuid"`
	UUID4   *string    `query:"uuid4" pipe:"uuid=4"`
	Enum    *string    `query:"enum" pipe:"enum=asc|desc"`
	Strs    *[]string  `query:"strs" pipe:"array"`
	Ints    *[]int     `query:"ints" pipe:"array"`
	Floats  *[]float64 `query:"floats" pipe:"array=;"`
	Bools   *[]bool    `query:"bools" pipe:"array"`
	Page    int        `query:"page" pipe:"int,optional"`
	Limit   int        `query:"limit" default:"10" pipe:"int"`
	ID      int        `path:"id" pipe:"int"`
	Version float32    `header:"X-Version" pipe:"float,optional"`
}

func TestPipes(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	controller.Get(r, "/p/{id}", func(_ context.Context, in *pipeIn) (string, error) {
		s := fmt.Sprintf("int=%d page=%d limit=%d id=%d v=%g", in.Int, in.Page, in.Limit, in.ID, in.Version)
		for name, p := range map[string]any{"int8": in.Int8, "uint": in.Uint, "float": in.Float, "bool": in.Bool,
			"uuid": in.UUID, "uuid4": in.UUID4, "enum": in.Enum, "strs": in.Strs, "ints": in.Ints, "floats": in.Floats, "bools": in.Bools} {
			switch v := p.(type) {
			case *int8:
				if v != nil {
					s += fmt.Sprintf(" %s=%d", name, *v)
				}
			case *uint:
				if v != nil {
					s += fmt.Sprintf(" %s=%d", name, *v)
				}
			case *float64:
				if v != nil {
					s += fmt.Sprintf(" %s=%g", name, *v)
				}
			case *bool:
				if v != nil {
					s += fmt.Sprintf(" %s=%t", name, *v)
				}
			case *string:
				if v != nil {
					s += fmt.Sprintf(" %s=%s", name, *v)
				}
			case *[]string:
				if v != nil {
					s += fmt.Sprintf(" %s=%q", name, *v)
				}
			case *[]int:
				if v != nil {
					s += fmt.Sprintf(" %s=%v", name, *v)
				}
			case *[]float64:
				if v != nil {
					s += fmt.Sprintf(" %s=%v", name, *v)
				}
			case *[]bool:
				if v != nil {
					s += fmt.Sprintf(" %s=%v", name, *v)
				}
			}
		}
		return s, nil
	})
	srv := serve(t, r)
	const base = "int=1 page=0 limit=10 id=7 v=0"
	cases := []struct {
		name, path string
		header     []string
		status     int
		body       string
	}{
		// ParseIntPipe
		{"int", "/p/7?int=1", nil, 200, base},
		{"int negative, leading zero", "/p/7?int=-05", nil, 200, "int=-5 page=0 limit=10 id=7 v=0"},
		{"int absent", "/p/7", nil, 400, nestBad(numeric)},
		{"int empty", "/p/7?int=", nil, 400, nestBad(numeric)},
		{"int with plus", "/p/7?int=%2B1", nil, 400, nestBad(numeric)},
		{"int with space", "/p/7?int=%201", nil, 400, nestBad(numeric)},
		{"int decimal", "/p/7?int=1.5", nil, 400, nestBad(numeric)},
		{"int exponent", "/p/7?int=1e3", nil, 400, nestBad(numeric)},
		{"int word", "/p/7?int=abc", nil, 400, nestBad(numeric)},
		{"int repeated", "/p/7?int=1&int=2", nil, 400, nestBad(numeric)},
		{"int path", "/p/x?int=1", nil, 400, nestBad(numeric)},
		{"int8 fits", "/p/7?int=1&int8=-128", nil, 200, base + " int8=-128"},
		{"int8 overflows", "/p/7?int=1&int8=128", nil, 400, nestBad(numeric)},
		{"uint refuses negatives", "/p/7?int=1&uint=-1", nil, 400, nestBad(numeric)},
		{"optional int absent", "/p/7?int=1", nil, 200, base},
		{"optional int given", "/p/7?int=1&page=3", nil, 200, "int=1 page=3 limit=10 id=7 v=0"},
		{"optional int empty is not absent", "/p/7?int=1&page=", nil, 400, nestBad(numeric)},
		{"default", "/p/7?int=1&limit=20", nil, 200, "int=1 page=0 limit=20 id=7 v=0"},
		// ParseFloatPipe
		{"float", "/p/7?int=1&float=1.5", nil, 200, base + " float=1.5"},
		{"float exponent", "/p/7?int=1&float=-2e3", nil, 200, base + " float=-2000"},
		{"float leading dot", "/p/7?int=1&float=.5", nil, 200, base + " float=0.5"},
		{"float spaces", "/p/7?int=1&float=%201%20", nil, 200, base + " float=1"},
		{"float hex reads as parseFloat does", "/p/7?int=1&float=0x10", nil, 200, base + " float=0"},
		{"float empty", "/p/7?int=1&float=", nil, 400, nestBad(numeric)},
		{"float word", "/p/7?int=1&float=1.5x", nil, 400, nestBad(numeric)},
		{"float infinity", "/p/7?int=1&float=Infinity", nil, 400, nestBad(numeric)},
		{"float too large", "/p/7?int=1&float=1e400", nil, 400, nestBad(numeric)},
		{"float header", "/p/7?int=1", []string{"X-Version", "2.5"}, 200, "int=1 page=0 limit=10 id=7 v=2.5"},
		{"float headers joined", "/p/7?int=1", []string{"X-Version", "2.5", "X-Version", "3"}, 400, nestBad(numeric)},
		// ParseBoolPipe
		{"bool true", "/p/7?int=1&bool=true", nil, 200, base + " bool=true"},
		{"bool false", "/p/7?int=1&bool=false", nil, 200, base + " bool=false"},
		{"bool 1", "/p/7?int=1&bool=1", nil, 400, nestBad(boolean)},
		{"bool TRUE", "/p/7?int=1&bool=TRUE", nil, 400, nestBad(boolean)},
		{"bool empty", "/p/7?int=1&bool=", nil, 400, nestBad(boolean)},
		// ParseUUIDPipe
		{"uuid", "/p/7?int=1&uuid=A0EEBC99-9C0B-1EF8-BB6D-6BB9BD380A11", nil, 200, base + " uuid=A0EEBC99-9C0B-1EF8-BB6D-6BB9BD380A11"},
		{"uuid bad", "/p/7?int=1&uuid=a0eebc99", nil, 400, nestBad(uuid)},
		{"uuid repeated", "/p/7?int=1&uuid=a&uuid=b", nil, 400, nestBad(notStr)},
		{"uuid v4", "/p/7?int=1&uuid4=9b2c4a8e-6f1d-4c3b-8a2e-1f0d9c8b7a6e", nil, 200, base + " uuid4=9b2c4a8e-6f1d-4c3b-8a2e-1f0d9c8b7a6e"},
		{"uuid v4 refuses v1", "/p/7?int=1&uuid4=a0eebc99-9c0b-1ef8-bb6d-6bb9bd380a11", nil, 400, nestBad(uuid4)},
		// ParseEnumPipe
		{"enum", "/p/7?int=1&enum=desc", nil, 200, base + " enum=desc"},
		{"enum other", "/p/7?int=1&enum=up", nil, 400, nestBad(enum)},
		{"enum case", "/p/7?int=1&enum=ASC", nil, 400, nestBad(enum)},
		// ParseArrayPipe
		{"array of strings", "/p/7?int=1&strs=a,b,,c", nil, 200, base + ` strs=["a" "b" "" "c"]`},
		{"array trimmed", "/p/7?int=1&strs=%20a,%20b%20", nil, 200, base + ` strs=["a" " b"]`},
		{"array repeated is not split", "/p/7?int=1&strs=a,b&strs=c", nil, 200, base + ` strs=["a,b" "c"]`},
		{"array empty", "/p/7?int=1&strs=", nil, 400, nestBad(parsable)},
		{"array of ints", "/p/7?int=1&ints=1,-2,3", nil, 200, base + " ints=[1 -2 3]"},
		{"array of ints bad item", "/p/7?int=1&ints=1,x,3", nil, 400, nestBad("[1] item must be a number")},
		{"array of ints empty item", "/p/7?int=1&ints=1,,3", nil, 400, nestBad("[1] item must be a number")},
		{"array of ints fraction", "/p/7?int=1&ints=1.5", nil, 400, nestBad("[0] item must be a number")},
		{"array of ints as JSON strings and exponents", "/p/7?int=1&ints=%225%22,1e2,%20-3%20", nil, 200, base + " ints=[5 100 -3]"},
		{"array of ints null", "/p/7?int=1&ints=1,null", nil, 400, nestBad("[1] item must be a number")},
		{"array separator", "/p/7?int=1&floats=1.5%3B2", nil, 200, base + " floats=[1.5 2]"},
		{"array of bools", "/p/7?int=1&bools=true,false", nil, 200, base + " bools=[true false]"},
		{"array of bools bad item", "/p/7?int=1&bools=true,1", nil, 400, nestBad("[1] item must be a boolean value")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := srv.do(t, "GET", tc.path, "", tc.header...)
			res.check(t, tc.status, tc.body)
		})
	}
}

func TestParseDatePipe(t *testing.T) {
	t.Parallel()
	type in struct {
		At    time.Time  `query:"at" pipe:"date"`
		Since *time.Time `query:"since" pipe:"date"`
	}
	r, _ := newRouter(nil)
	controller.Get(r, "/", func(_ context.Context, in *in) (string, error) {
		s := in.At.UTC().Format(time.RFC3339Nano)
		if in.Since != nil {
			s += " since " + in.Since.UTC().Format(time.RFC3339Nano)
		}
		return s, nil
	})
	srv := serve(t, r)
	const (
		noDate  = "Validation failed (no Date provided)"
		badDate = "Validation failed (invalid date format)"
	)
	local := time.Date(2024, 5, 1, 10, 0, 0, 0, time.Local).UTC().Format(time.RFC3339Nano)
	for _, tc := range []struct{ query, body string }{
		{"at=2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00Z"},
		{"at=2024-05-01T10:00:00.123%2B02:00", "2024-05-01T08:00:00.123Z"},
		{"at=2024-05-01", "2024-05-01T00:00:00Z"},
		{"at=2024-05", "2024-05-01T00:00:00Z"},
		{"at=2024", "2024-01-01T00:00:00Z"},
		{"at=2024-05-01T10:00", local},
		{"at=2024-05-01T24:00", time.Date(2024, 5, 2, 0, 0, 0, 0, time.Local).UTC().Format(time.RFC3339Nano)},
		{"at=2024-05-01&since=2024-04-01", "2024-05-01T00:00:00Z since 2024-04-01T00:00:00Z"},
		{"", nestBad(noDate)},
		{"at=", nestBad(noDate)},
		{"at=tomorrow", nestBad(badDate)},
		{"at=2024-13-01", nestBad(badDate)},
		{"at=2024-05-01T25:00", nestBad(badDate)},
		{"at=2024-05-01&at=2024-05-02", nestBad(badDate)},
		{"at=2024-05-01&since=x", nestBad(badDate)},
	} {
		status := 200
		if strings.HasPrefix(tc.body, "{") {
			status = 400
		}
		srv.do(t, "GET", "/?"+tc.query, "").check(t, status, tc.body)
	}
}

func TestPipeFailsBeforeValidation(t *testing.T) {
	t.Parallel()
	type in struct {
		ID   int    `path:"id" pipe:"int"`
		Name string `query:"name" validate:"required"`
		Body *struct {
			X int `json:"x" validate:"required"`
		} `body:""`
	}
	r, _ := newRouter(nil)
	controller.Post(r, "/{id}", func(context.Context, *in) (string, error) { return "ok", nil })
	srv := serve(t, r)
	srv.do(t, "POST", "/x", `{`).check(t, 400, nestBad(numeric))
	srv.do(t, "POST", "/1", `{}`).check(t, 400,
		`{"message":["name should not be empty","x should not be empty"],"error":"Bad Request","statusCode":400}`)
}

func TestPipeMisuse(t *testing.T) {
	t.Parallel()
	cases := map[string]func(r *controller.Router){
		"int on string": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A string `query:"a" pipe:"int"`
			}) (int, error) {
				return 0, nil
			})
		},
		"unknown pipe": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A int `query:"a" pipe:"integer"`
			}) (int, error) {
				return 0, nil
			})
		},
		"bad default": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A int `query:"a" pipe:"int" default:"x"`
			}) (int, error) {
				return 0, nil
			})
		},
		"uuid version": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A string `query:"a" pipe:"uuid=9"`
			}) (int, error) {
				return 0, nil
			})
		},
		"enum without values": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A string `query:"a" pipe:"enum"`
			}) (int, error) {
				return 0, nil
			})
		},
		"array on a scalar": func(r *controller.Router) {
			controller.Get(r, "/", func(context.Context, *struct {
				A int `query:"a" pipe:"array"`
			}) (int, error) {
				return 0, nil
			})
		},
	}
	for name, register := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				v := recover()
				if s, ok := v.(string); !ok || !contains(s, "controller: ") {
					t.Errorf("panic %v, want a controller: message", v)
				}
			}()
			register(controller.NewRouter(nil))
		})
	}
}

func TestRepeatedSingleValue(t *testing.T) {
	t.Parallel()
	type in struct {
		UID   string   `query:"uid"`
		N     int      `query:"n"`
		OK    bool     `query:"ok"`
		Tags  []string `query:"tag"`
		Token string   `header:"X-Token"`
	}
	r, _ := newRouter(nil)
	controller.Get(r, "/", func(_ context.Context, in *in) (string, error) {
		return fmt.Sprintf("%s %d %t %q %s", in.UID, in.N, in.OK, in.Tags, in.Token), nil
	})
	srv := serve(t, r)
	srv.do(t, "GET", "/?uid=a&n=1&ok=true&tag=x&tag=y", "", "X-Token", "t").check(t, 200, `a 1 true ["x" "y"] t`)
	srv.do(t, "GET", "/?uid=a&uid=b&n=1&n=2&ok=true&ok=false", "", "X-Token", "t", "X-Token", "u").check(t, 400,
		`{"message":["uid must be a string","n must be an integer number","ok must be a boolean value","X-Token must be a string"],"error":"Bad Request","statusCode":400}`)
}

func TestCanActivate(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	admin := controller.CanActivate(func(r *http.Request) bool { return r.URL.Query().Get("role") == "admin" })
	controller.Get(r, "/admin", func(context.Context, *struct{}) (string, error) { return "welcome", nil }, controller.Guards(admin))
	srv := serve(t, r)
	srv.do(t, "GET", "/admin?role=admin", "").check(t, 200, "welcome")
	srv.do(t, "GET", "/admin?role=user", "").check(t, 403, `{"message":"Forbidden resource","error":"Forbidden","statusCode":403}`)
}

func TestResponseHeader(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	controller.Get(r, "/", func(context.Context, *struct{}) (string, error) { return "ok", nil },
		controller.ResponseHeader("Cache-Control", "none"), controller.ResponseHeader("X-A", "1"), controller.ResponseHeader("X-A", "2"))
	controller.Get(r, "/override", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.Header(ctx).Set("Cache-Control", "max-age=5")
		return "ok", nil
	}, controller.ResponseHeader("Cache-Control", "none"))
	controller.Get(r, "/fail", func(context.Context, *struct{}) (string, error) { return "", controller.NotFound("") },
		controller.ResponseHeader("X-A", "1"))
	srv := serve(t, r)
	res := srv.do(t, "GET", "/", "")
	if res.header.Get("Cache-Control") != "none" || fmt.Sprint(res.header["X-A"]) != "[1 2]" {
		t.Errorf("headers %v", res.header)
	}
	if got := srv.do(t, "GET", "/override", "").header.Get("Cache-Control"); got != "max-age=5" {
		t.Errorf("Cache-Control %q, want the handler's", got)
	}
	res = srv.do(t, "GET", "/fail", "")
	res.check(t, 404, `{"message":"Not Found","statusCode":404}`)
	defer func() {
		if v := recover(); v == nil {
			t.Error("ResponseHeader with a bad name did not panic")
		}
	}()
	controller.ResponseHeader("Bad Name", "x")
}

func TestWholeBody(t *testing.T) {
	t.Parallel()
	type update struct {
		Content string   `json:"content" validate:"required"`
		Tags    []string `json:"tags" validate:"dive,alpha"`
	}
	r, _ := newRouter(nil)
	h := func(_ context.Context, in *update) (string, error) {
		return fmt.Sprintf("%s %q", in.Content, in.Tags), nil
	}
	controller.Post(r, "/", h)
	controller.Put(r, "/", h)
	controller.Get(r, "/", h)
	srv := serve(t, r)
	srv.do(t, "POST", "/", `{"content":"hi","tags":["a"]}`).check(t, 201, `hi ["a"]`)
	srv.do(t, "PUT", "/", `{"content":"hi"}`).check(t, 200, `hi []`)
	srv.do(t, "POST", "/", `{"tags":["a1"]}`).check(t, 400,
		`{"message":["content should not be empty","tags[0] must contain only letters (a-zA-Z)"],"error":"Bad Request","statusCode":400}`)
	srv.do(t, "POST", "/", `[]`).check(t, 400, `{"message":["body must be an object"],"error":"Bad Request","statusCode":400}`)
	srv.do(t, "POST", "/", ``).check(t, 400, nestBad("request body should not be empty"))
	// A GET has no body: its untagged fields stay unbound, then validated.
	srv.do(t, "GET", "/", ``).check(t, 400, `{"message":["content should not be empty"],"error":"Bad Request","statusCode":400}`)
}
