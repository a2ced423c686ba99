package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/controller/openapi"
	"github.com/rxsse/rxsse/rx"
)

type Greeting struct {
	Hello string `json:"hello"`
}

func Example() {
	r := controller.NewRouter(nil)
	controller.SSE(r, "GET /greetings", func(ctx context.Context, in *struct {
		Name string `query:"name" validate:"required,max=20"`
	}) (rx.Observable[Greeting], error) {
		return rx.Of(Greeting{Hello: in.Name}), nil
	})
	doc, err := openapi.Document(r, &openapi.Options{Title: "Greetings", Version: "1.0.0"})
	if err != nil {
		panic(err)
	}
	op := doc.Paths.Find("/greetings").Get
	param, _ := json.Marshal(op.Parameters[0].Value)
	fmt.Println(string(param))
	event := op.Responses.Status(200).Value.Content["text/event-stream"].ItemSchema.Value.OneOf[0].Value
	data, _ := json.Marshal(event.Properties["data"])
	fmt.Println(string(data))
	// Output:
	// {"in":"query","name":"name","required":true,"schema":{"maxLength":20,"type":"string"}}
	// {"contentMediaType":"application/json","contentSchema":{"$ref":"#/components/schemas/Greeting"},"type":"string"}
}
