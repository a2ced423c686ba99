package controller

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A scalarDecoder parses one text value from a request (a path segment, a
// query or header value, a cookie) into dst, an addressable value of the
// type it was built for. The error it returns is the end of a sentence that
// starts with the parameter's name ("must be an integer number") so the
// client reads "age must be an integer number".
type scalarDecoder func(dst reflect.Value, s string) error

// paramError is the reason a value could not be decoded, worded for the client.
type paramError struct{ reason string }

func (e *paramError) Error() string { return e.reason }

func reasonf(format string, args ...any) error {
	return &paramError{reason: fmt.Sprintf(format, args...)}
}

var (
	durationType        = reflect.TypeFor[time.Duration]()
	timeType            = reflect.TypeFor[time.Time]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decoderFor returns the decoder for values of type t, or false when the
// binder does not support t. Checked in this order: time.Time and
// time.Duration (for their messages), encoding.TextUnmarshaler, then kinds.
func decoderFor(t reflect.Type) (scalarDecoder, bool) {
	switch {
	case t == timeType:
		return decodeTime, true
	case t == durationType:
		return decodeDuration, true
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		return decodeText, true
	}
	switch t.Kind() {
	case reflect.String:
		return decodeString, true
	case reflect.Bool:
		return decodeBool, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt(t.Bits()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return decodeUint(t.Bits()), true
	case reflect.Float32, reflect.Float64:
		return decodeFloat(t.Bits()), true
	}
	return nil, false
}

func decodeString(dst reflect.Value, s string) error {
	if !utf8.ValidString(s) {
		return reasonf("must be a valid UTF-8 string")
	}
	dst.SetString(s)
	return nil
}

func decodeBool(dst reflect.Value, s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return reasonf("must be a boolean value")
	}
	dst.SetBool(b)
	return nil
}

func decodeInt(bits int) scalarDecoder {
	return func(dst reflect.Value, s string) error {
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			if isRangeError(err) {
				return reasonf("must be an integer number between %d and %d", int64(-1)<<(bits-1), int64(math.MaxInt64)>>(64-bits))
			}
			return reasonf("must be an integer number")
		}
		dst.SetInt(n)
		return nil
	}
}

func decodeUint(bits int) scalarDecoder {
	return func(dst reflect.Value, s string) error {
		n, err := strconv.ParseUint(s, 10, bits)
		if err != nil {
			if isRangeError(err) {
				return reasonf("must be an integer number between 0 and %d", uint64(math.MaxUint64)>>(64-bits))
			}
			return reasonf("must be a non-negative integer number")
		}
		dst.SetUint(n)
		return nil
	}
}

func decodeFloat(bits int) scalarDecoder {
	return func(dst reflect.Value, s string) error {
		f, err := strconv.ParseFloat(s, bits)
		// NaN and infinities parse but cannot travel as JSON, nor be validated
		// meaningfully: refuse them as a JSON body would.
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return reasonf("must be a number")
		}
		dst.SetFloat(f)
		return nil
	}
}

func decodeDuration(dst reflect.Value, s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return reasonf("must be a duration such as 300ms, 1.5s or 2m")
	}
	dst.SetInt(int64(d))
	return nil
}

func decodeTime(dst reflect.Value, s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return reasonf("must be a date-time in RFC 3339 format, such as 2006-01-02T15:04:05Z")
	}
	dst.Set(reflect.ValueOf(t))
	return nil
}

// decodeText calls the type's own UnmarshalText. Its error is about the
// client's input, so its text is shown.
func decodeText(dst reflect.Value, s string) error {
	if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
		return reasonf("is not valid: %s", strings.TrimSpace(err.Error()))
	}
	return nil
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
