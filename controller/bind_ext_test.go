package controller_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
)

// level is a parameter type of its own, read with UnmarshalText.
type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "none":
		*l = 0
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return errors.New("want low or high")
	}
	return nil
}

func (l level) MarshalText() ([]byte, error) {
	return []byte([...]string{"none", "low", "high"}[l]), nil
}

// scalars has a query parameter of every supported type.
type scalars struct {
	S   string        `query:"s" json:"s"`
	I   int           `query:"i" json:"i"`
	I8  int8          `query:"i8" json:"i8"`
	I16 int16         `query:"i16" json:"i16"`
	I32 int32         `query:"i32" json:"i32"`
	I64 int64         `query:"i64" json:"i64"`
	U   uint          `query:"u" json:"u"`
	U8  uint8         `query:"u8" json:"u8"`
	U16 uint16        `query:"u16" json:"u16"`
	U32 uint32        `query:"u32" json:"u32"`
	U64 uint64        `query:"u64" json:"u64"`
	F32 float32       `query:"f32" json:"f32"`
	F64 float64       `query:"f64" json:"f64"`
	B   bool          `query:"b" json:"b"`
	D   time.Duration `query:"d" json:"d"`
	T   time.Time     `query:"t" json:"t"`
	L   level         `query:"l" json:"l"`

	PS *string        `query:"ps" json:"ps"`
	PI *int           `query:"pi" json:"pi"`
	PB *bool          `query:"pb" json:"pb"`
	PD *time.Duration `query:"pd" json:"pd"`
	PT *time.Time     `query:"pt" json:"pt"`

	SS []string        `query:"ss" json:"ss"`
	SI []int           `query:"si" json:"si"`
	SF []float64       `query:"sf" json:"sf"`
	SD []time.Duration `query:"sd" json:"sd"`
	SL []level         `query:"sl" json:"sl"`

	Def  int    `query:"def" default:"7" json:"def"`
	DefS string `query:"defs" default:"x" json:"defs"`
}

func ptr[T any](v T) *T { return &v }

func TestBindQueryTypes(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	controller.Get(r, "/q", func(_ context.Context, in *scalars) (*scalars, error) { return in, nil })
	srv := serve(t, r)

	base := scalars{Def: 7, DefS: "x"}
	with := func(f func(*scalars)) scalars { s := base; f(&s); return s }
	at := time.Date(2024, 2, 29, 13, 4, 5, 6000000, time.FixedZone("", 2*3600))

	ok := []struct {
		name, query string
		want        scalars
	}{
		{"nothing", "", base},
		{"string", "?s=h%C3%A9llo+w", with(func(s *scalars) { s.S = "héllo w" })},
		{"empty string is a value", "?s=", base},
		{"int", "?i=-42", with(func(s *scalars) { s.I = -42 })},
		{"int8 min", "?i8=-128", with(func(s *scalars) { s.I8 = -128 })},
		{"int16 max", "?i16=32767", with(func(s *scalars) { s.I16 = 32767 })},
		{"int32", "?i32=-2147483648", with(func(s *scalars) { s.I32 = -2147483648 })},
		{"int64", "?i64=9223372036854775807", with(func(s *scalars) { s.I64 = 9223372036854775807 })},
		{"uint", "?u=3", with(func(s *scalars) { s.U = 3 })},
		{"uint8 max", "?u8=255", with(func(s *scalars) { s.U8 = 255 })},
		{"uint16", "?u16=65535", with(func(s *scalars) { s.U16 = 65535 })},
		{"uint32", "?u32=4294967295", with(func(s *scalars) { s.U32 = 4294967295 })},
		{"uint64", "?u64=18446744073709551615", with(func(s *scalars) { s.U64 = 18446744073709551615 })},
		{"float32", "?f32=1.5", with(func(s *scalars) { s.F32 = 1.5 })},
		{"float64", "?f64=-2.5e-3", with(func(s *scalars) { s.F64 = -2.5e-3 })},
		{"bool true", "?b=true", with(func(s *scalars) { s.B = true })},
		{"bool 1", "?b=1", with(func(s *scalars) { s.B = true })},
		{"bool false", "?b=false", base},
		{"duration", "?d=1m30s", with(func(s *scalars) { s.D = 90 * time.Second })},
		{"time", "?t=2024-02-29T13:04:05.006%2B02:00", with(func(s *scalars) { s.T = at })},
		{"text unmarshaler", "?l=high", with(func(s *scalars) { s.L = 2 })},
		{"pointer string", "?ps=", with(func(s *scalars) { s.PS = ptr("") })},
		{"pointer int", "?pi=0", with(func(s *scalars) { s.PI = ptr(0) })},
		{"pointer bool", "?pb=false", with(func(s *scalars) { s.PB = ptr(false) })},
		{"pointer duration", "?pd=250ms", with(func(s *scalars) { s.PD = ptr(250 * time.Millisecond) })},
		{"pointer time", "?pt=2024-02-29T13:04:05.006%2B02:00", with(func(s *scalars) { s.PT = &at })},
		{"empty non-text value is absent", "?i=&pi=&b=", base},
		{"repeated strings", "?ss=a&ss=&ss=c", with(func(s *scalars) { s.SS = []string{"a", "", "c"} })},
		{"repeated ints", "?si=3&si=1&si=2", with(func(s *scalars) { s.SI = []int{3, 1, 2} })},
		{"repeated ints, empty dropped", "?si=3&si=", with(func(s *scalars) { s.SI = []int{3} })},
		{"repeated floats", "?sf=0.5&sf=1", with(func(s *scalars) { s.SF = []float64{0.5, 1} })},
		{"repeated durations", "?sd=1s&sd=2ms", with(func(s *scalars) { s.SD = []time.Duration{time.Second, 2 * time.Millisecond} })},
		{"repeated text", "?sl=low&sl=high", with(func(s *scalars) { s.SL = []level{1, 2} })},
		{"default replaced", "?def=9&defs=y", with(func(s *scalars) { s.Def, s.DefS = 9, "y" })},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.do(t, "GET", "/q"+tc.query, "")
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			var got scalars
			if err := json.Unmarshal([]byte(res.body), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) && !timesEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}

	bad := []struct{ name, query, body string }{
		{"int", "?i=x", `["i must be an integer number"]`},
		{"int float", "?i=1.5", `["i must be an integer number"]`},
		{"int8 overflow", "?i8=128", `["i8 must be an integer number between -128 and 127"]`},
		{"int64 overflow", "?i64=9223372036854775808", `["i64 must be an integer number between -9223372036854775808 and 9223372036854775807"]`},
		{"uint negative", "?u=-1", `["u must be a non-negative integer number"]`},
		{"uint8 overflow", "?u8=256", `["u8 must be an integer number between 0 and 255"]`},
		{"float", "?f64=abc", `["f64 must be a number"]`},
		{"float NaN", "?f64=NaN", `["f64 must be a number"]`},
		{"float Inf", "?f32=Inf", `["f32 must be a number"]`},
		{"bool", "?b=yes", `["b must be a boolean value"]`},
		{"duration", "?d=5", `["d must be a duration such as 300ms, 1.5s or 2m"]`},
		{"time", "?t=2024-02-29", `["t must be a date-time in RFC 3339 format, such as 2006-01-02T15:04:05Z"]`},
		{"text unmarshaler", "?l=mid", `["l is not valid: want low or high"]`},
		{"pointer", "?pi=one", `["pi must be an integer number"]`},
		{"slice element", "?si=1&si=x", `["each value in si must be an integer number"]`},
		{"string not UTF-8", "?s=%FF", `["s must be a valid UTF-8 string"]`},
		{"several at once", "?i=x&b=2&d=1", `["i must be an integer number","b must be a boolean value","d must be a duration such as 300ms, 1.5s or 2m"]`},
		{"malformed query", "?s=%ZZ", `"query string is malformed: invalid URL escape \"%ZZ\""`},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.name, func(t *testing.T) {
			res := srv.do(t, "GET", "/q"+tc.query, "")
			res.check(t, 400, `{"message":`+tc.body+`,"error":"Bad Request","statusCode":400}`)
		})
	}
}

// timesEqual compares with time.Time.Equal, which DeepEqual cannot.
func timesEqual(a, b scalars) bool {
	if !a.T.Equal(b.T) || (a.PT == nil) != (b.PT == nil) || (a.PT != nil && !a.PT.Equal(*b.PT)) {
		return false
	}
	a.T, b.T, a.PT, b.PT = time.Time{}, time.Time{}, nil, nil
	return reflect.DeepEqual(a, b)
}

// sources reads the same name from every source.
type sources struct {
	Path    string   `path:"id" json:"path"`
	Num     int      `path:"n" json:"num"`
	Query   string   `query:"id" json:"query"`
	Header  string   `header:"x-id" json:"header"`
	Headers []string `header:"X-Many" json:"headers"`
	Cookie  string   `cookie:"id" json:"cookie"`
	Cookies []int    `cookie:"n" json:"cookies"`
	paging
}

// paging is embedded: its parameters are the input's own.
type paging struct {
	Limit  *int `query:"limit" json:"limit"`
	Offset int  `query:"offset" default:"0" json:"offset"`
}

func TestBindSources(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	r.Mount("/users/{id}", controller.RoutesFunc(func(r *controller.Router) {
		controller.Get(r, "/items/{n}", func(_ context.Context, in *sources) (*sources, error) { return in, nil })
	}))
	srv := serve(t, r)

	cases := []struct {
		name   string
		path   string
		header []string
		want   string
	}{
		{"path only", "/users/u%2F1/items/3", nil,
			`{"path":"u/1","num":3,"query":"","header":"","headers":null,"cookie":"","cookies":null,"limit":null,"offset":0}`},
		{"every source", "/users/u1/items/4?id=q1&limit=5&offset=2",
			[]string{"X-Id", "h1", "x-many", "a", "X-Many", "b", "Cookie", "id=c1; n=1; n=2"},
			`{"path":"u1","num":4,"query":"q1","header":"h1","headers":["a","b"],"cookie":"c1","cookies":[1,2],"limit":5,"offset":2}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.do(t, "GET", tc.path, "", tc.header...).check(t, 200, tc.want)
		})
	}
	t.Run("bad path value", func(t *testing.T) {
		srv.do(t, "GET", "/users/u1/items/x", "").check(t, 400,
			`{"message":["n must be an integer number"],"error":"Bad Request","statusCode":400}`)
	})
	t.Run("bad cookie value", func(t *testing.T) {
		srv.do(t, "GET", "/users/u1/items/1", "", "Cookie", "n=1; n=z").check(t, 400,
			`{"message":["each value in n must be an integer number"],"error":"Bad Request","statusCode":400}`)
	})
}

// article is a JSON body with nested values.
type article struct {
	Title  string         `json:"title" validate:"required"`
	Views  int            `json:"views"`
	Tags   []string       `json:"tags"`
	Author *author        `json:"author"`
	At     time.Time      `json:"at"`
	Meta   map[string]any `json:"meta"`
}

type author struct {
	Name string `json:"name" validate:"required"`
}

func TestBindBody(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	type in struct {
		ID   string  `path:"id"`
		Body article `body:""`
	}
	controller.Put(r, "/articles/{id}", func(_ context.Context, in *in) (map[string]any, error) {
		return map[string]any{"id": in.ID, "body": in.Body}, nil
	})
	type optional struct {
		Body *article `body:""`
	}
	controller.Post(r, "/optional", func(_ context.Context, in *optional) (*article, error) {
		if in.Body == nil {
			return &article{Title: "none"}, nil
		}
		return in.Body, nil
	})
	srv := serve(t, r)

	srv.do(t, "PUT", "/articles/a1", `{"title":"<b>","views":3,"tags":["x"],"author":{"name":"ann"},"at":"2024-01-02T03:04:05Z","meta":{"k":[1,"two"]},"extra":1}`).
		check(t, 200, `{"body":{"title":"<b>","views":3,"tags":["x"],"author":{"name":"ann"},"at":"2024-01-02T03:04:05Z","meta":{"k":[1,"two"]}},"id":"a1"}`)
	srv.do(t, "PUT", "/articles/a1", `{"title":"t"}`, "Content-Type", "application/merge-patch+json; charset=UTF-8").
		check(t, 200, `{"body":{"title":"t","views":0,"tags":null,"author":null,"at":"0001-01-01T00:00:00Z","meta":null},"id":"a1"}`)
	srv.do(t, "POST", "/optional", "").
		check(t, 201, `{"title":"none","views":0,"tags":null,"author":null,"at":"0001-01-01T00:00:00Z","meta":null}`)
	srv.do(t, "POST", "/optional", "null").
		check(t, 201, `{"title":"none","views":0,"tags":null,"author":null,"at":"0001-01-01T00:00:00Z","meta":null}`)
	srv.do(t, "POST", "/optional", `{"title":"t","views":1}`).
		check(t, 201, `{"title":"t","views":1,"tags":null,"author":null,"at":"0001-01-01T00:00:00Z","meta":null}`)
}
