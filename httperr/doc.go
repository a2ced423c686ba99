// Package httperr is rxsse's HTTP error model, as Nest's HttpException: an
// error with a status and a message meant for the client, answered in
// Nest's JSON shape,
//
//	{"message":"no such stream","error":"Not Found","statusCode":404}
//
// while anything else that fails is answered
// {"statusCode":500,"message":"Internal server error"} and logged, its text
// never shown.
//
// Package controller returns these errors (controller.NotFound, …) and
// answers them; package sse knows them only through its HTTPError
// interface, which *Error implements, so code that serves streams without
// controllers can use them too:
//
//	err := httperr.New(http.StatusNotFound, "no such stream")
//	sse.WriteError(w, r, err, nil) // 404 {"message":"no such stream","error":"Not Found","statusCode":404}
package httperr
