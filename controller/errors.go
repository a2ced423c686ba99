package controller

import (
	"net/http"

	"github.com/rxsse/rxsse/httperr"
)

// NewError returns an error answered with status and message, as Nest's
// HttpException: {"message":message,"error":"<status
// text>","statusCode":status}. An empty message shows the status text alone, as Nest's
// exceptions built without a message do. Set the result's Err field to keep
// a cause for the logs; it never reaches the client.
func NewError(status int, message string) *httperr.Error { return httperr.New(status, message) }

// BadRequest is a 400 error (Nest's BadRequestException).
func BadRequest(message string) *httperr.Error { return NewError(http.StatusBadRequest, message) }

// Unauthorized is a 401 error (Nest's UnauthorizedException).
func Unauthorized(message string) *httperr.Error { return NewError(http.StatusUnauthorized, message) }

// Forbidden is a 403 error (Nest's ForbiddenException).
func Forbidden(message string) *httperr.Error { return NewError(http.StatusForbidden, message) }

// NotFound is a 404 error (Nest's NotFoundException).
func NotFound(message string) *httperr.Error { return NewError(http.StatusNotFound, message) }

// MethodNotAllowed is a 405 error (Nest's MethodNotAllowedException).
func MethodNotAllowed(message string) *httperr.Error {
	return NewError(http.StatusMethodNotAllowed, message)
}

// NotAcceptable is a 406 error (Nest's NotAcceptableException).
func NotAcceptable(message string) *httperr.Error { return NewError(http.StatusNotAcceptable, message) }

// RequestTimeout is a 408 error (Nest's RequestTimeoutException).
func RequestTimeout(message string) *httperr.Error {
	return NewError(http.StatusRequestTimeout, message)
}

// Conflict is a 409 error (Nest's ConflictException).
func Conflict(message string) *httperr.Error { return NewError(http.StatusConflict, message) }

// Gone is a 410 error (Nest's GoneException).
func Gone(message string) *httperr.Error { return NewError(http.StatusGone, message) }

// PreconditionFailed is a 412 error (Nest's PreconditionFailedException).
func PreconditionFailed(message string) *httperr.Error {
	return NewError(http.StatusPreconditionFailed, message)
}

// PayloadTooLarge is a 413 error (Nest's PayloadTooLargeException).
func PayloadTooLarge(message string) *httperr.Error {
	return NewError(http.StatusRequestEntityTooLarge, message)
}

// UnsupportedMediaType is a 415 error (Nest's UnsupportedMediaTypeException).
func UnsupportedMediaType(message string) *httperr.Error {
	return NewError(http.StatusUnsupportedMediaType, message)
}

// UnprocessableEntity is a 422 error (Nest's UnprocessableEntityException).
func UnprocessableEntity(message string) *httperr.Error {
	return NewError(http.StatusUnprocessableEntity, message)
}

// TooManyRequests is a 429 error (Nest's ThrottlerException status).
func TooManyRequests(message string) *httperr.Error {
	return NewError(http.StatusTooManyRequests, message)
}

// InternalServerError is a 500 error whose message the client sees (Nest's
// InternalServerErrorException). A plain error is answered 500 too, with a
// generic message.
func InternalServerError(message string) *httperr.Error {
	return NewError(http.StatusInternalServerError, message)
}

// NotImplemented is a 501 error (Nest's NotImplementedException).
func NotImplemented(message string) *httperr.Error {
	return NewError(http.StatusNotImplemented, message)
}

// BadGateway is a 502 error (Nest's BadGatewayException).
func BadGateway(message string) *httperr.Error { return NewError(http.StatusBadGateway, message) }

// ServiceUnavailable is a 503 error (Nest's ServiceUnavailableException).
func ServiceUnavailable(message string) *httperr.Error {
	return NewError(http.StatusServiceUnavailable, message)
}

// GatewayTimeout is a 504 error (Nest's GatewayTimeoutException).
func GatewayTimeout(message string) *httperr.Error {
	return NewError(http.StatusGatewayTimeout, message)
}

// ValidationFailed is the 400 error a route answers when its input breaks
// its rules: message is the list of readable messages, as Nest's
// ValidationPipe. Handlers can use it for checks of their own.
func ValidationFailed(messages ...string) *httperr.Error {
	return &httperr.Error{Status: http.StatusBadRequest, Message: messages}
}

// httpError turns a request problem into the error the client sees.
func (e *requestError) httpError() *httperr.Error {
	if e.messages != nil {
		return &httperr.Error{Status: e.status, Message: e.messages}
	}
	return &httperr.Error{Status: e.status, Message: e.message}
}
