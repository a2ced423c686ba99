package controller_test

import (
	"context"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"

	"github.com/rxsse/rxsse/controller"
)

type window struct {
	Limit int `query:"limit" validate:"max=100"`
}

type rules struct {
	window
	UID    string   `query:"uid" validate:"required"`
	Age    *int     `query:"age" validate:"omitempty,min=18,max=130"`
	Name   string   `query:"name" validate:"omitempty,min=3,max=5"`
	Code   string   `query:"code" validate:"omitempty,len=4"`
	Tags   []string `query:"tag" validate:"omitempty,min=2,max=3,dive,alphanum"`
	Role   string   `query:"role" validate:"omitempty,oneof=admin user guest"`
	Email  string   `query:"email" validate:"omitempty,email"`
	Site   string   `query:"site" validate:"omitempty,url"`
	ID     string   `query:"id" validate:"omitempty,uuid"`
	Score  float64  `query:"score" validate:"gte=0,lte=1"`
	Odd    int      `query:"odd" validate:"omitempty,gt=0,lt=10,ne=5"`
	Token  string   `header:"X-Token" validate:"omitempty,startswith=tk_"`
	Upper  string   `query:"upper" validate:"omitempty,lowercase"`
	Custom string   `query:"custom" validate:"omitempty,even_len"`
	Other  string   `query:"other" validate:"omitempty,excludesall=!?"`
}

type postBody struct {
	Title  string   `json:"title" validate:"required,max=10"`
	Author author   `json:"author"`
	Items  []item   `json:"items" validate:"dive"`
	Emails []string `json:"emails" validate:"omitempty,unique,dive,email"`
	Secret string   `json:"-" validate:"omitempty,min=100"`
	NoTag  string   `validate:"omitempty,min=2"`
}

type item struct {
	SKU string `json:"sku" validate:"required"`
	Qty int    `json:"qty" validate:"min=1"`
}

func TestValidationMessages(t *testing.T) {
	t.Parallel()
	v := validator.New(validator.WithRequiredStructEnabled())
	if err := v.RegisterValidation("even_len", func(fl validator.FieldLevel) bool { return len(fl.Field().String())%2 == 0 }); err != nil {
		t.Fatal(err)
	}
	r, _ := newRouter(&controller.Options{
		Validator: v,
		ValidationMessage: func(fe validator.FieldError, field string) string {
			if fe.Tag() == "even_len" {
				return field + " must have an even length"
			}
			return ""
		},
	})
	controller.Get(r, "/rules", func(context.Context, *rules) (string, error) { return "ok", nil })
	type in struct {
		Body postBody `body:""`
	}
	controller.Post(r, "/body", func(context.Context, *in) (string, error) { return "ok", nil })
	srv := serve(t, r)

	cases := []struct {
		name, query string
		header      []string
		want        []string
	}{
		{"valid", "?uid=u", nil, nil},
		{"required", "", nil, []string{"uid should not be empty"}},
		{"number min", "?uid=u&age=17", nil, []string{"age must not be less than 18"}},
		{"number max", "?uid=u&age=131", nil, []string{"age must not be greater than 130"}},
		{"string min", "?uid=u&name=ab", nil, []string{"name must be longer than or equal to 3 characters"}},
		{"string max counts characters", "?uid=u&name=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", nil, nil},
		{"string max", "?uid=u&name=abcdef", nil, []string{"name must be shorter than or equal to 5 characters"}},
		{"string len", "?uid=u&code=abc", nil, []string{"code must be exactly 4 characters long"}},
		{"slice min", "?uid=u&tag=a", nil, []string{"tag must contain at least 2 elements"}},
		{"slice max", "?uid=u&tag=a&tag=b&tag=c&tag=d", nil, []string{"tag must contain no more than 3 elements"}},
		{"slice element", "?uid=u&tag=a&tag=b-c", nil, []string{"tag[1] must contain only letters and numbers"}},
		{"oneof", "?uid=u&role=root", nil, []string{"role must be one of the following values: admin, user, guest"}},
		{"email", "?uid=u&email=x", nil, []string{"email must be an email"}},
		{"url", "?uid=u&site=nope", nil, []string{"site must be a URL address"}},
		{"uuid", "?uid=u&id=123", nil, []string{"id must be a UUID"}},
		{"gte lte", "?uid=u&score=1.5", nil, []string{"score must not be greater than 1"}},
		{"gt", "?uid=u&odd=-1", nil, []string{"odd must be greater than 0"}},
		{"lt", "?uid=u&odd=10", nil, []string{"odd must be less than 10"}},
		{"ne", "?uid=u&odd=5", nil, []string{"odd should not be equal to 5"}},
		{"embedded struct", "?uid=u&limit=101", nil, []string{"limit must not be greater than 100"}},
		{"header name as sent", "?uid=u", []string{"X-Token", "nope"}, []string{"X-Token must start with tk_"}},
		{"lowercase", "?uid=u&upper=ABC", nil, []string{"upper must be a lowercase string"}},
		{"custom rule, custom message", "?uid=u&custom=abc", nil, []string{"custom must have an even length"}},
		{"rule without a message of its own", "?uid=u&other=a!", nil, []string{`other does not satisfy the rule \"excludesall=!?\"`}},
		{"binding failure hides the rules of its field", "?age=x", nil, []string{"age must be an integer number", "uid should not be empty"}},
		{"several", "?name=a&role=x", nil, []string{"uid should not be empty", "name must be longer than or equal to 3 characters", "role must be one of the following values: admin, user, guest"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.do(t, "GET", "/rules"+tc.query, "", tc.header...)
			if tc.want == nil {
				res.check(t, 200, "ok")
				return
			}
			res.check(t, 400, `{"message":["`+strings.Join(tc.want, `","`)+`"],"error":"Bad Request","statusCode":400}`)
		})
	}

	body := []struct{ name, body, want string }{
		{"valid", `{"title":"t","author":{"name":"a"}}`, ""},
		{"body fields by JSON name, nested", `{"title":"","author":{}}`,
			`["title should not be empty","author.name should not be empty"]`},
		{"array elements", `{"title":"t","author":{"name":"a"},"items":[{"sku":"a","qty":1},{"qty":0}]}`,
			`["items[1].sku should not be empty","items[1].qty must not be less than 1"]`},
		{"unique and dive", `{"title":"t","author":{"name":"a"},"emails":["a@b.co","a@b.co","x"]}`,
			`["all values in emails must be unique"]`},
		{"dive", `{"title":"t","author":{"name":"a"},"emails":["a@b.co","x"]}`,
			`["emails[1] must be an email"]`},
		{"object type error hides the rules inside", `{"title":"t","author":5}`,
			`["author must be an object"]`},
		{"Go name without a json tag", `{"title":"t","author":{"name":"a"},"NoTag":"x"}`,
			`["NoTag must be longer than or equal to 2 characters"]`},
		{"type error with the others", `{"title":5,"author":{}}`,
			`["title must be a string","author.name should not be empty"]`},
		{"nested type error", `{"title":"t","author":{"name":["x"]}}`,
			`["author.name must be a string"]`},
		{"array type error", `{"title":"t","author":{"name":"a"},"items":{}}`,
			`["items must be an array"]`},
		{"element type error", `{"title":"t","author":{"name":"a"},"items":[{"sku":"s","qty":1.5}]}`,
			`["items.qty must be an integer number"]`},
		{"body of the wrong kind", `[1]`, `["body must be an object"]`},
	}
	for _, tc := range body {
		t.Run("body "+tc.name, func(t *testing.T) {
			res := srv.do(t, "POST", "/body", tc.body)
			if tc.want == "" {
				res.check(t, 201, "ok")
				return
			}
			res.check(t, 400, `{"message":`+tc.want+`,"error":"Bad Request","statusCode":400}`)
		})
	}
}

func TestRejectUnknownFields(t *testing.T) {
	t.Parallel()
	type in struct {
		Body author `body:""`
	}
	handler := func(_ context.Context, in *in) (author, error) { return in.Body, nil }
	lax, _ := newRouter(nil)
	controller.Post(lax, "/", handler)
	strict, _ := newRouter(&controller.Options{RejectUnknownFields: true})
	controller.Post(strict, "/", handler)

	serve(t, lax).do(t, "POST", "/", `{"name":"a","admin":true}`).check(t, 201, `{"name":"a"}`)
	s := serve(t, strict)
	s.do(t, "POST", "/", `{"name":"a","admin":true}`).check(t, 400,
		`{"message":["property admin should not exist"],"error":"Bad Request","statusCode":400}`)
	s.do(t, "POST", "/", `{"name":"a"}`).check(t, 201, `{"name":"a"}`)
}
