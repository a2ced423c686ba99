package openapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/controller/openapi"
	"github.com/rxsse/rxsse/internal/oascheck"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

type ItemQuery struct {
	ID    int           `path:"id" pipe:"int" doc:"The item's id."`
	Limit *int          `query:"limit" validate:"omitempty,min=1,max=100"`
	Tags  []string      `query:"tag" validate:"dive,oneof=red green"`
	Sort  string        `query:"sort" pipe:"enum=asc|desc,optional"`
	IDs   []int         `query:"ids" pipe:"array"`
	Every time.Duration `query:"every" default:"1s"`
	Mail  string        `query:"mail" validate:"required,email"`
	Token string        `header:"X-Token" validate:"required"`
	Theme string        `cookie:"theme"`
}

type Item struct {
	Name    string            `json:"name" validate:"required,min=2,max=40" doc:"What the item is called."`
	Price   float64           `json:"price" validate:"gte=0,lt=1000"`
	Kind    int               `json:"kind" validate:"oneof=1 2 3"`
	Code    string            `json:"code,omitempty" validate:"omitempty,len=6,alphanum"`
	Site    string            `json:"site,omitempty" validate:"omitempty,url"`
	Owner   *Owner            `json:"owner,omitempty"`
	Parts   []Part            `json:"parts" validate:"max=5,dive"`
	Labels  map[string]string `json:"labels,omitempty"`
	Made    time.Time         `json:"made"`
	Count   int64             `json:"count,string"`
	Secret  string            `json:"-"`
	private int
	Audit
}

type Audit struct {
	By string `json:"by"`
}

type Owner struct {
	ID string `json:"id" validate:"uuid"`
}

type Part struct {
	SKU  string `json:"sku" validate:"required,startswith=P-"`
	Next *Part  `json:"next,omitempty"` // recursive
}

type CreateItem struct {
	Body Item `body:""`
}

type Tick struct {
	N int `json:"n"`
}

type items struct{}

func (items) Routes(r *controller.Router) {
	controller.Get(r, "/items/{id}", func(ctx context.Context, in *ItemQuery) (*Item, error) { return nil, nil })
	controller.Post(r, "/items", func(ctx context.Context, in *CreateItem) (Item, error) { return in.Body, nil },
		controller.Describe(controller.RouteDoc{Summary: "Add an item", Tags: []string{"shop"}, OperationID: "addItem"}))
	controller.SSE(r, "/items/{id}/events", func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (rx.Observable[sse.MessageEvent], error) {
		return rx.Empty[sse.MessageEvent](), nil
	}, controller.Guards(func(*http.Request) error { return nil }), controller.Describe(controller.RouteDoc{Events: []controller.EventDoc{
		{Data: Item{}, Description: "The item changed."},
		{Type: "removed", Data: ""},
		{Type: "removed", Data: Tick{}},
	}}))
	controller.SSE(r, "/ticks", func(ctx context.Context, in *struct{}) (rx.Observable[Tick], error) {
		return rx.Empty[Tick](), nil
	})
	controller.SSE(r, "/bus", func(ctx context.Context, in *struct{}) (rx.Observable[*bus.Message], error) {
		return rx.Empty[*bus.Message](), nil
	})
	controller.SSE(r, "/events", func(ctx context.Context, in *struct{}) (rx.Observable[sse.MessageEvent], error) {
		return rx.Empty[sse.MessageEvent](), nil
	})
	controller.Get(r, "/text", func(ctx context.Context, in *struct{}) (string, error) { return "", nil })
	controller.Get(r, "/files/{path...}", func(ctx context.Context, in *struct{}) (map[string]any, error) { return nil, nil })
	controller.Get(r, "/", func(ctx context.Context, in *struct{}) ([]Tick, error) { return nil, nil })
}

func newRouter() *controller.Router {
	r := controller.NewRouter(nil)
	r.Mount("/api", items{})
	return r
}

func document(t *testing.T) map[string]any {
	t.Helper()
	doc, err := openapi.Document(newRouter(), &openapi.Options{Title: "Shop", Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	n, err := oascheck.Schemas(b)
	if err != nil {
		t.Fatalf("a schema is not valid JSON Schema 2020-12: %v", err)
	}
	if n < 20 {
		t.Errorf("only %d schemas checked", n)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// at returns the value at a JSON pointer whose "/" inside keys are written
// "~1".
func at(v any, ptr string) any {
	for _, k := range strings.Split(ptr, "/")[1:] {
		k = strings.NewReplacer("~1", "/", "~0", "~").Replace(k)
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestDocument(t *testing.T) {
	t.Parallel()
	doc := document(t)
	const (
		get    = "/paths/~1api~1items~1{id}/get"
		post   = "/paths/~1api~1items/post"
		events = "/paths/~1api~1items~1{id}~1events/get"
		ticks  = "/paths/~1api~1ticks/get"
		item   = "/components/schemas/Item"
	)
	for _, tt := range []struct{ ptr, want string }{
		{"/openapi", `"3.2.0"`},
		{"/info", `{"title":"Shop","version":"1.2.3"}`},
		// Parameters, in field order, with their rules as constraints.
		{get + "/parameters/0", `{"description":"The item's id.","in":"path","name":"id","required":true,"schema":{"format":"int64","type":"integer"}}`},
		{get + "/parameters/1", `{"in":"query","name":"limit","schema":{"format":"int64","maximum":100,"minimum":1,"type":"integer"}}`},
		{get + "/parameters/2", `{"in":"query","name":"tag","schema":{"items":{"enum":["red","green"],"type":"string"},"type":"array"}}`},
		{get + "/parameters/3", `{"in":"query","name":"sort","schema":{"enum":["asc","desc"],"type":"string"}}`},
		{get + "/parameters/4", `{"explode":false,"in":"query","name":"ids","required":true,"schema":{"items":{"format":"int64","type":"integer"},"type":"array"},"style":"form"}`},
		{get + "/parameters/5/schema/default", `"1s"`},
		{get + "/parameters/6", `{"in":"query","name":"mail","required":true,"schema":{"format":"email","type":"string"}}`},
		{get + "/parameters/7", `{"in":"header","name":"X-Token","required":true,"schema":{"type":"string"}}`},
		{get + "/parameters/8", `{"in":"cookie","name":"theme","schema":{"type":"string"}}`},
		{get + "/responses/200/content/application~1json/schema", `{"$ref":"#/components/schemas/Item"}`},
		{get + "/responses/400", `{"$ref":"#/components/responses/BadRequest"}`},
		{get + "/responses/403", `null`},
		{get + "/operationId", `"get_api_items_id"`},
		{get + "/tags", `["openapi_test"]`},
		// The body, its components and their rules.
		{post + "/requestBody", `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}},"required":true}`},
		{post + "/responses/201/description", `"Created"`},
		{post + "/operationId", `"addItem"`},
		{post + "/summary", `"Add an item"`},
		{post + "/tags", `["shop"]`},
		{item + "/required", `["name"]`},
		{item + "/properties/name", `{"description":"What the item is called.","maxLength":40,"minLength":2,"type":"string"}`},
		{item + "/properties/price", `{"exclusiveMaximum":1000,"format":"double","minimum":0,"type":"number"}`},
		{item + "/properties/kind", `{"enum":[1,2,3],"format":"int64","type":"integer"}`},
		{item + "/properties/code", `{"maxLength":6,"minLength":6,"pattern":"^[a-zA-Z0-9]+$","type":"string"}`},
		{item + "/properties/site", `{"format":"uri","type":"string"}`},
		{item + "/properties/owner", `{"$ref":"#/components/schemas/Owner"}`},
		{item + "/properties/parts", `{"items":{"$ref":"#/components/schemas/Part"},"maxItems":5,"type":"array"}`},
		{item + "/properties/labels", `{"additionalProperties":{"type":"string"},"type":"object"}`},
		{item + "/properties/made", `{"format":"date-time","type":"string"}`},
		{item + "/properties/count", `{"type":"string"}`},
		{item + "/properties/by", `{"type":"string"}`},
		{item + "/properties/Secret", `null`},
		{item + "/properties/private", `null`},
		{"/components/schemas/Owner/properties/id/format", `"uuid"`},
		{"/components/schemas/Part", `{"properties":{"next":{"$ref":"#/components/schemas/Part"},"sku":{"pattern":"^P-","type":"string"}},"required":["sku"],"type":"object"}`},
		// An SSE route with declared events, behind a guard.
		{events + "/responses/200/content/text~1event-stream/itemSchema/required", `["data"]`},
		{events + "/responses/200/content/text~1event-stream/itemSchema/oneOf", `[` +
			`{"description":"The item changed.","properties":{"data":{"contentMediaType":"application/json","contentSchema":{"$ref":"#/components/schemas/Item"},"description":"The item changed.","type":"string"},"event":{"const":"message"}}},` +
			`{"properties":{"data":{"anyOf":[{"type":"string"},{"contentMediaType":"application/json","contentSchema":{"$ref":"#/components/schemas/Tick"},"type":"string"}]},"event":{"const":"removed"}},"required":["event"]},` +
			`{"description":"The stream failed; it ends after this event.","properties":{"data":{"description":"The message of the error (an HTTP error's), or \"Internal server error\".","type":"string"},"event":{"const":"error"}},"required":["event"]}]`},
		{events + "/responses/401", `{"$ref":"#/components/responses/Unauthorized"}`},
		{events + "/responses/403", `{"$ref":"#/components/responses/Forbidden"}`},
		{events + "/parameters/0/schema", `{"type":"string"}`},
		{events + "/parameters/1/name", `"Last-Event-ID"`},
		{events + "/parameters/1/in", `"header"`},
		{events + "/responses/503", `{"$ref":"#/components/responses/TooManyStreams"}`},
		{"/components/responses/TooManyStreams/headers/Retry-After/schema", `{"minimum":0,"type":"integer"}`},
		{get + "/responses/503", `null`},
		// An SSE route of typed values.
		{ticks + "/responses/200/content/text~1event-stream/itemSchema/oneOf/0/properties/data", `{"contentMediaType":"application/json","contentSchema":{"$ref":"#/components/schemas/Tick"},"type":"string"}`},
		{ticks + "/responses/400", `null`},
		{ticks + "/responses/200/content/text~1event-stream/itemSchema/oneOf/0/properties/event", `{"const":"message"}`},
		// Streams of events (bus messages, MessageEvent) say their own types.
		{"/paths/~1api~1bus/get/responses/200/content/text~1event-stream/itemSchema/oneOf/0", `{"properties":{"data":{"type":"string"},"event":{"not":{"const":"error"}}}}`},
		{"/paths/~1api~1events/get/responses/200/content/text~1event-stream/itemSchema/oneOf/0", `{"properties":{"data":{"type":"string"},"event":{"not":{"const":"error"}}}}`},
		// Text, wildcards, the prefix itself.
		{"/paths/~1api~1text/get/responses/200/content", `{"text/html":{"schema":{"type":"string"}}}`},
		{"/paths/~1api~1files~1{path}/get/parameters", `[{"in":"path","name":"path","required":true,"schema":{"type":"string"}}]`},
		{"/paths/~1api/get/responses/200/content/application~1json/schema", `{"items":{"$ref":"#/components/schemas/Tick"},"type":"array"}`},
		{"/components/responses/Forbidden/content/application~1json/example", `{"error":"Forbidden","message":"Forbidden resource","statusCode":403}`},
	} {
		got, _ := json.Marshal(at(doc, tt.ptr))
		if string(got) != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.ptr, got, tt.want)
		}
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	r := newRouter()
	r.Handle("GET /openapi.json", openapi.Handler(r, nil))
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%s %q: %v", resp.Header.Get("Content-Type"), body, err)
	}
	if at(doc, "/paths/~1api~1ticks/get") == nil || at(doc, "/paths/~1openapi.json") != nil {
		t.Errorf("paths: %v", at(doc, "/paths"))
	}
}

func TestSchemasCheck(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		`{"components":{"schemas":{"X":{"type":5}}}}`,
		`{"paths":{"/":{"get":{"responses":{"200":{"content":{"text/event-stream":{"itemSchema":{"$ref":"#/components/schemas/Missing"}}}}}}}}}`,
	} {
		if _, err := oascheck.Schemas([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestPage(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	openapi.Page(`/docs/openapi.json?x="<y>`).ServeHTTP(rec, httptest.NewRequest("GET", "/docs", nil))
	body := rec.Body.String()
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" ||
		!strings.Contains(body, `data-spec="/docs/openapi.json?x=&#34;&lt;y&gt;"`) {
		t.Errorf("%s: %s", ct, body[:min(len(body), 2000)])
	}
}
