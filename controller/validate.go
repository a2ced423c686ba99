package controller

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// validation runs validator/v10 on bound input and words its findings.
type validation struct {
	v *validator.Validate
	// custom is Options.ValidationMessage; "" from it means use the default.
	custom func(fe validator.FieldError, field string) string
}

func newValidation(v *validator.Validate, custom func(validator.FieldError, string) string) *validation {
	if v == nil {
		v = validator.New(validator.WithRequiredStructEnabled())
	}
	v.RegisterTagNameFunc(clientName)
	return &validation{v: v, custom: custom}
}

// clientName is the validator's tag name function: validation messages name
// fields as the client wrote them.
func clientName(f reflect.StructField) string {
	for _, tag := range sourceTags {
		if v, ok := f.Tag.Lookup(tag); ok && v != "" {
			return v
		}
	}
	if v, ok := f.Tag.Lookup("json"); ok {
		name, _, _ := strings.Cut(v, ",")
		if name != "" && name != "-" {
			return name
		}
	}
	return "" // the Go field name
}

// check validates in and appends one message per broken rule to problems,
// except for fields already in problems (a value that failed to bind also
// breaks its rules, which would only repeat the news).
func (b *binder) check(in reflect.Value, val *validation, problems []fieldProblem) []fieldProblem {
	err := val.v.Struct(in.Addr().Interface())
	if err == nil {
		return problems
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		// InvalidValidationError: a bug in the input type, not the request.
		panic(fmt.Sprintf("controller: validating %v: %v", b.typ, err))
	}
	failed := len(problems)
	for _, fe := range ves {
		label, inBody := b.label(fe)
		if covered(problems[:failed], label, inBody) {
			continue
		}
		msg := ""
		if val.custom != nil {
			msg = val.custom(fe, label)
		}
		if msg == "" {
			msg = ruleMessage(fe, label)
		}
		problems = append(problems, fieldProblem{label: label, message: msg})
	}
	return problems
}

// covered reports whether a broken rule is about a value that already failed
// to bind: the same field (JSON decoding errors name no array index, so
// indexes are ignored), a field inside it, or anything in a body that could
// not be decoded as a whole.
func covered(problems []fieldProblem, label string, inBody bool) bool {
	label = stripIndexes(label)
	for _, p := range problems {
		if p.wholeBody && inBody {
			return true
		}
		failed := stripIndexes(p.label)
		if label == failed || strings.HasPrefix(label, failed+".") {
			return true
		}
	}
	return false
}

// stripIndexes removes the "[i]" parts of a label.
func stripIndexes(s string) string {
	if strings.IndexByte(s, '[') < 0 {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// label names the field of a validation error as the client wrote it:
// "uid" for a query parameter, "author.name" inside the body, "tags[1]" for
// an element. inBody tells whether the field is part of the body.
func (b *binder) label(fe validator.FieldError) (label string, inBody bool) {
	gs := strings.Split(fe.StructNamespace(), ".")
	cs := strings.Split(fe.Namespace(), ".")
	if len(gs) != len(cs) || len(gs) <= b.root {
		return fe.Field(), false
	}
	gs, cs = gs[b.root:], cs[b.root:]
	if b.body != nil && b.body.whole {
		return strings.Join(cs, "."), true
	}
	if b.body != nil {
		n := strings.Count(b.body.goPath, ".") + 1
		if len(gs) >= n && strings.Join(withoutIndex(gs[:n]), ".") == b.body.goPath {
			if len(gs) == n {
				return "body" + indexOf(gs[n-1]), true
			}
			return indexOf(gs[n-1]) + strings.Join(cs[n:], "."), true
		}
	}
	key := strings.Join(withoutIndex(gs), ".")
	if name, ok := b.labels[key]; ok {
		return name + indexOf(gs[len(gs)-1]), false
	}
	return strings.Join(cs, "."), false
}

// withoutIndex drops the "[i]" suffix from the last segment.
func withoutIndex(segs []string) []string {
	last := segs[len(segs)-1]
	if i := strings.IndexByte(last, '['); i >= 0 {
		segs = append(segs[:len(segs)-1:len(segs)-1], last[:i])
	}
	return segs
}

func indexOf(seg string) string {
	if i := strings.IndexByte(seg, '['); i >= 0 {
		return seg[i:]
	}
	return ""
}

// ruleMessage words a broken rule as class-validator does for Nest users
// ("uid should not be empty", "age must not be less than 1").
func ruleMessage(fe validator.FieldError, field string) string {
	p := fe.Param()
	size := sizeKind(fe.Kind()) // the validator reports the kind behind pointers
	switch fe.Tag() {
	case "required", "required_if", "required_unless", "required_with", "required_with_all",
		"required_without", "required_without_all":
		return field + " should not be empty"
	case "min", "gte":
		return sized(field, size, p, "must not be less than %s", "must be longer than or equal to %s characters", "must contain at least %s elements")
	case "max", "lte":
		return sized(field, size, p, "must not be greater than %s", "must be shorter than or equal to %s characters", "must contain no more than %s elements")
	case "gt":
		return sized(field, size, p, "must be greater than %s", "must be longer than %s characters", "must contain more than %s elements")
	case "lt":
		return sized(field, size, p, "must be less than %s", "must be shorter than %s characters", "must contain fewer than %s elements")
	case "len":
		return sized(field, size, p, "must be equal to %s", "must be exactly %s characters long", "must contain exactly %s elements")
	case "eq":
		return field + " must be equal to " + p
	case "ne":
		return field + " should not be equal to " + p
	case "oneof":
		return field + " must be one of the following values: " + strings.Join(strings.Fields(p), ", ")
	case "email":
		return field + " must be an email"
	case "url", "http_url", "https_url", "uri":
		return field + " must be a URL address"
	case "uuid", "uuid3", "uuid4", "uuid5", "uuid_rfc4122", "uuid3_rfc4122", "uuid4_rfc4122", "uuid5_rfc4122":
		return field + " must be a UUID"
	case "alpha":
		return field + " must contain only letters (a-zA-Z)"
	case "alphanum":
		return field + " must contain only letters and numbers"
	case "numeric", "number":
		return field + " must be a number string"
	case "boolean":
		return field + " must be a boolean value"
	case "lowercase":
		return field + " must be a lowercase string"
	case "uppercase":
		return field + " must be an uppercase string"
	case "ascii", "printascii":
		return field + " must contain only ASCII characters"
	case "contains":
		return field + " must contain a " + p + " string"
	case "excludes":
		return field + " should not contain a " + p + " string"
	case "startswith":
		return field + " must start with " + p
	case "endswith":
		return field + " must end with " + p
	case "ip", "ip_addr":
		return field + " must be an ip address"
	case "ipv4", "ip4_addr":
		return field + " must be an IPv4 address"
	case "ipv6", "ip6_addr":
		return field + " must be an IPv6 address"
	case "hostname", "hostname_rfc1123", "fqdn":
		return field + " must be a valid domain name"
	case "json":
		return field + " must be a json string"
	case "jwt":
		return field + " must be a jwt string"
	case "hexadecimal":
		return field + " must be a hexadecimal number"
	case "hexcolor":
		return field + " must be a hexadecimal color"
	case "base64", "base64url", "base64rawurl":
		return field + " must be base64 encoded"
	case "e164":
		return field + " must be a valid phone number"
	case "datetime":
		return field + " must be a date-time in the layout " + p
	case "timezone":
		return field + " must be a valid IANA time zone"
	case "unique":
		return "all values in " + field + " must be unique"
	case "eqfield", "eqcsfield":
		return field + " must match " + p
	case "nefield", "necsfield":
		return field + " must not match " + p
	case "gtfield", "gtcsfield":
		return field + " must be greater than " + p
	case "gtefield", "gtecsfield":
		return field + " must not be less than " + p
	case "ltfield", "ltcsfield":
		return field + " must be less than " + p
	case "ltefield", "ltecsfield":
		return field + " must not be greater than " + p
	case "latitude":
		return field + " must be a latitude"
	case "longitude":
		return field + " must be a longitude"
	}
	rule := fe.Tag()
	if p != "" {
		rule += "=" + p
	}
	return fmt.Sprintf("%s does not satisfy the rule %q", field, rule)
}

type sizeClass uint8

const (
	sizeValue sizeClass = iota
	sizeChars
	sizeElems
)

// sizeKind says what min, max and len measure for a kind, as validator does.
func sizeKind(k reflect.Kind) sizeClass {
	switch k {
	case reflect.String:
		return sizeChars
	case reflect.Slice, reflect.Array, reflect.Map:
		return sizeElems
	}
	return sizeValue
}

func sized(field string, size sizeClass, p, value, chars, elems string) string {
	format := [...]string{sizeValue: value, sizeChars: chars, sizeElems: elems}[size]
	return field + " " + fmt.Sprintf(format, p)
}
