package controller_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// Notify is a controller as ported from Nest: @Controller('notify') with an
// @Sse('stream') and a @Post() with a validated @Body().
type Notify struct{}

type StreamQuery struct {
	UID   string `query:"uid" validate:"required"`
	Count int    `query:"count" default:"2" validate:"min=1,max=10"`
}

type Message struct {
	Text string `json:"text" validate:"required,max=140"`
}

type SendInput struct {
	To   string  `query:"to" validate:"required"`
	Body Message `body:""`
}

func (c *Notify) Routes(r *controller.Router) {
	controller.SSE(r, "/stream", c.Stream)
	controller.Post(r, "/", c.Send)
}

func (c *Notify) Stream(_ context.Context, in *StreamQuery) (rx.Observable[sse.MessageEvent], error) {
	if in.UID == "nobody" {
		return rx.Observable[sse.MessageEvent]{}, controller.NotFound("no such user")
	}
	hello := func(i int) sse.MessageEvent {
		return sse.MessageEvent{Type: "hello", Data: map[string]any{"to": in.UID, "n": i}}
	}
	return rx.Map(rx.Take(rx.FromSeq(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	}), in.Count), hello), nil
}

func (c *Notify) Send(_ context.Context, in *SendInput) (map[string]string, error) {
	return map[string]string{"sent": in.Body.Text, "to": in.To}, nil
}

// show serves one request and prints the answer.
func show(h http.Handler, method, target, body string) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	// Example output cannot show two blank lines in a row: trim the
	// stream's last one.
	fmt.Printf("%d %s\n%s\n", w.Code, w.Header().Get("Content-Type"), strings.TrimSuffix(w.Body.String(), "\n"))
}

func Example() {
	r := controller.NewRouter(nil)
	r.Mount("/notify", &Notify{})

	show(r, "GET", "/notify/stream?uid=ann", "")
	show(r, "GET", "/notify/stream?count=20", "")
	show(r, "GET", "/notify/stream?uid=nobody", "")
	show(r, "POST", "/notify?to=bob", `{"text":"hi"}`)
	// Output:
	// 200 text/event-stream
	//
	// event: hello
	// id: 1
	// data: {"n":0,"to":"ann"}
	//
	// event: hello
	// id: 2
	// data: {"n":1,"to":"ann"}
	//
	// 400 application/json; charset=utf-8
	// {"message":["uid should not be empty","count must not be greater than 10"],"error":"Bad Request","statusCode":400}
	// 404 application/json; charset=utf-8
	// {"message":"no such user","error":"Not Found","statusCode":404}
	// 201 application/json; charset=utf-8
	// {"sent":"hi","to":"bob"}
}

func ExampleBearerGuard() {
	type user struct{ Name string }
	check := func(_ context.Context, token string) (any, error) {
		if token != "s3cret" {
			return nil, controller.Unauthorized("bad token")
		}
		return user{Name: "ann"}, nil
	}
	r := controller.NewRouter(nil)
	r.Mount("/me", controller.RoutesFunc(func(r *controller.Router) {
		// EventSource cannot send headers: the token may also come as
		// ?access_token= or in the "session" cookie.
		r.UseGuards(controller.BearerGuard(check, &controller.BearerOptions{Cookie: "session"}))
		controller.Get(r, "/", func(ctx context.Context, _ *struct{}) (string, error) {
			u, _ := controller.User[user](ctx)
			return "hello " + u.Name, nil
		})
	}))

	show(r, "GET", "/me?access_token=s3cret", "")
	show(r, "GET", "/me", "")
	show(r, "GET", "/me?access_token=guess", "")
	// Output:
	// 200 text/html; charset=utf-8
	// hello ann
	// 401 application/json; charset=utf-8
	// {"message":"Unauthorized","statusCode":401}
	// 401 application/json; charset=utf-8
	// {"message":"bad token","error":"Unauthorized","statusCode":401}
}

func ExampleMapEach() {
	r := controller.NewRouter(nil)
	shout := controller.MapEach(func(_ context.Context, s string) (string, error) {
		return strings.ToUpper(s) + "!", nil
	})
	controller.SSE(r, "/words", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Of("hi", "there"), nil
	}, controller.Intercept(shout))

	show(r, "GET", "/words", "")
	// Output:
	// 200 text/event-stream
	//
	// id: 1
	// data: HI!
	//
	// id: 2
	// data: THERE!
}

func ExampleSetStatus() {
	r := controller.NewRouter(nil)
	controller.Put(r, "/items/{id}", func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{}, error) {
		controller.Header(ctx).Set("Location", "/items/"+in.ID)
		controller.SetStatus(ctx, http.StatusNoContent)
		return nil, nil
	})
	req := httptest.NewRequest("PUT", "/items/42", nil)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Header().Get("Location"))
	// Output:
	// 204 /items/42
}

func ExampleCORS() {
	r := controller.NewRouter(nil)
	r.Use(controller.CORS(&controller.CORSOptions{
		AllowedOrigins:   []string{"https://app.example"},
		AllowCredentials: true, // new EventSource(url, {withCredentials: true})
	}))
	controller.SSE(r, "/events", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Of("ping"), nil
	})
	req := httptest.NewRequest("GET", "/events", nil)
	req.Header.Set("Origin", "https://app.example")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	fmt.Println(w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Credentials"), w.Header().Get("Content-Type"))
	// Output:
	// https://app.example true text/event-stream
}
