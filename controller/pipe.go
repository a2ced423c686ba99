package controller

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pipe is one of Nest's built-in pipes on a parameter, from its pipe tag:
//
//	pipe:"int"             ParseIntPipe
//	pipe:"float"           ParseFloatPipe
//	pipe:"bool"            ParseBoolPipe
//	pipe:"uuid"            ParseUUIDPipe; "uuid=4" for one version (3, 4, 5, 7)
//	pipe:"enum=a|b|c"      ParseEnumPipe over the listed values
//	pipe:"array"           ParseArrayPipe, items split on ","; "array=;" for another separator
//	pipe:"date"            ParseDatePipe, on a time.Time: the ISO 8601 forms ECMAScript's
//	                       Date specifies (2024-05-01, 2024-05-01T10:00:00.000Z, …)
//
// ",optional" after any of them is Nest's {optional: true}: an absent value
// leaves the field as it is (nil for a pointer field, which implies it). A
// `default` tag is Nest's DefaultValuePipe before the pipe. A failing pipe
// answers 400 with Nest's message as a single string, before the body is
// read and without the other parameters' messages, as Nest's pipes throw.
type pipe struct {
	kind     pipeKind
	optional bool
	version  string   // uuid: "", "3", "4", "5" or "7"
	values   []string // enum
	sep      string   // array
	// item parses one array item into an element of the slice.
	item func(dst reflect.Value, s string) bool
	// itemMsg is the end of the message for an item that does not parse.
	itemMsg string
}

type pipeKind uint8

const (
	pipeInt pipeKind = iota + 1
	pipeFloat
	pipeBool
	pipeUUID
	pipeEnum
	pipeArray
	pipeDate
)

// Nest's messages, word for word.
const (
	msgNumeric    = "Validation failed (numeric string is expected)"
	msgBoolean    = "Validation failed (boolean string is expected)"
	msgEnum       = "Validation failed (enum string is expected)"
	msgArray      = "Validation failed (parsable array expected)"
	msgUUIDString = "The value passed as UUID is not a string"
	msgNoDate     = "Validation failed (no Date provided)"
	msgDate       = "Validation failed (invalid date format)"
)

// newPipe parses a pipe tag for a field of type t (behind its pointer, if
// any) and panics, prefixed with where, when the pipe cannot fill t.
func newPipe(tag string, t reflect.Type, where string) *pipe {
	p := &pipe{}
	spec, optional := strings.CutSuffix(tag, ",optional")
	p.optional = optional
	name, arg, hasArg := strings.Cut(spec, "=")
	want := func(ok bool, what string) {
		if !ok {
			panic(fmt.Sprintf("%s: pipe %q needs %s, not %v", where, tag, what, t))
		}
	}
	noArg := func() {
		if hasArg {
			panic(fmt.Sprintf("%s: pipe %q takes no argument", where, tag))
		}
	}
	switch name {
	case "int":
		noArg()
		want(isIntKind(t.Kind()), "an integer field")
		p.kind = pipeInt
	case "float":
		noArg()
		want(t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64, "a float field")
		p.kind = pipeFloat
	case "bool":
		noArg()
		want(t.Kind() == reflect.Bool, "a bool field")
		p.kind = pipeBool
	case "uuid":
		want(t.Kind() == reflect.String, "a string field")
		if hasArg && uuidPattern(arg) == nil {
			panic(fmt.Sprintf("%s: pipe %q: UUID version must be 3, 4, 5 or 7", where, tag))
		}
		p.kind, p.version = pipeUUID, arg
	case "enum":
		want(t.Kind() == reflect.String, "a string field")
		if arg == "" {
			panic(fmt.Sprintf("%s: pipe %q lists no values (enum=a|b|c)", where, tag))
		}
		p.kind, p.values = pipeEnum, strings.Split(arg, "|")
	case "array":
		want(t.Kind() == reflect.Slice, "a slice field")
		p.kind, p.sep = pipeArray, ","
		if hasArg {
			if arg == "" {
				panic(fmt.Sprintf("%s: pipe %q: empty separator", where, tag))
			}
			p.sep = arg
		}
		p.item, p.itemMsg = arrayItem(t.Elem())
		want(p.item != nil, "a slice of strings, numbers, bools or decodable values")
	case "date":
		noArg()
		want(t == timeType, "a time.Time field")
		p.kind = pipeDate
	default:
		panic(fmt.Sprintf("%s: unknown pipe %q (int, float, bool, uuid, enum, array, date)", where, tag))
	}
	return p
}

// bindPipe fills field from the parameter's values through its pipe and
// returns Nest's message when the pipe refuses them, or "".
func (p *param) bindPipe(r *http.Request, query url.Values, field reflect.Value) string {
	vals, present := p.rawValues(r, query)
	if !present && p.def != nil {
		vals, present = []string{*p.def}, true
	}
	if !present && (p.ptr || p.pipe.optional) {
		return ""
	}
	if p.ptr {
		pv := reflect.New(p.elem)
		if msg := p.pipe.apply(pv.Elem(), vals, present); msg != "" {
			return msg
		}
		field.Set(pv)
		return ""
	}
	return p.pipe.apply(field, vals, present)
}

// rawValues returns what Nest's pipe would receive: one value, several (a
// repeated query parameter, which Express turns into an array), or none.
// Repeated headers are joined with ", " as Node does; a cookie is one value.
func (p *param) rawValues(r *http.Request, query url.Values) ([]string, bool) {
	switch p.src {
	case fromPath:
		return []string{r.PathValue(p.key)}, true
	case fromQuery:
		v := query[p.key]
		return v, len(v) > 0
	case fromHeader:
		v := r.Header[p.key]
		if len(v) > 1 {
			return []string{strings.Join(v, ", ")}, true
		}
		return v, len(v) > 0
	case fromCookie:
		c, err := r.Cookie(p.key)
		if err != nil {
			return nil, false
		}
		return []string{c.Value}, true
	}
	return nil, false
}

// apply runs the pipe on vals (absent when !present) into dst.
func (p *pipe) apply(dst reflect.Value, vals []string, present bool) string {
	single := present && len(vals) == 1
	v := ""
	if single {
		v = vals[0]
	}
	switch p.kind {
	case pipeInt:
		if !single || !intPattern.MatchString(v) {
			return msgNumeric
		}
		if !setInt(dst, v) {
			return msgNumeric
		}
	case pipeFloat:
		f, ok := jsParseFloat(v)
		if !single || !ok {
			return msgNumeric
		}
		if dst.OverflowFloat(f) {
			return msgNumeric
		}
		dst.SetFloat(f)
	case pipeBool:
		if !single || (v != "true" && v != "false") {
			return msgBoolean
		}
		dst.SetBool(v == "true")
	case pipeUUID:
		if !single {
			return msgUUIDString
		}
		if !uuidPattern(p.version).MatchString(v) {
			if p.version != "" {
				return "Validation failed (uuid v " + p.version + " is expected)"
			}
			return "Validation failed (uuid is expected)"
		}
		dst.SetString(v)
	case pipeEnum:
		if !single || !slices.Contains(p.values, v) {
			return msgEnum
		}
		dst.SetString(v)
	case pipeArray:
		return p.applyArray(dst, vals, present)
	case pipeDate:
		if !present || (single && v == "") {
			return msgNoDate
		}
		d, ok := jsDate(strings.Join(vals, ",")) // an array is read as its String()
		if !ok {
			return msgDate
		}
		dst.Set(reflect.ValueOf(d))
	}
	return ""
}

var isoDate = regexp.MustCompile(`^([+-]\d{6}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$`)

// jsDate is new Date(s) for the date-time string format ECMAScript
// specifies: a date alone is UTC, a date-time without offset local time.
// (JavaScript engines also guess at other formats; those are refused.)
func jsDate(s string) (time.Time, bool) {
	m := isoDate.FindStringSubmatch(s)
	if m == nil || m[1] == "-000000" {
		return time.Time{}, false
	}
	num := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day := num(1, 0), num(2, 1), num(3, 1)
	hour, minute, sec := num(4, 0), num(5, 0), num(6, 0)
	nsec := 0
	if f := m[7]; f != "" {
		nsec, _ = strconv.Atoi((f + "000000000")[:9])
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 59 ||
		(hour == 24 && (minute != 0 || sec != 0 || nsec != 0)) {
		return time.Time{}, false
	}
	loc := time.UTC
	if m[4] != "" && m[8] == "" {
		loc = time.Local
	}
	if z := m[8]; z != "" && z != "Z" {
		oh, _ := strconv.Atoi(z[1:3])
		om, _ := strconv.Atoi(z[4:6])
		if oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off := oh*3600 + om*60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
}

// applyArray is ParseArrayPipe: one value is trimmed and split on the
// separator, several (a repeated query parameter) are the items as they
// are; an absent or empty value is refused.
func (p *pipe) applyArray(dst reflect.Value, vals []string, present bool) string {
	if !present || (len(vals) == 1 && vals[0] == "") {
		return msgArray
	}
	items := vals
	if len(vals) == 1 {
		items = strings.Split(strings.TrimSpace(vals[0]), p.sep)
	}
	s := reflect.MakeSlice(dst.Type(), len(items), len(items))
	for i, it := range items {
		if !p.item(s.Index(i), it) {
			return "[" + strconv.Itoa(i) + "] item " + p.itemMsg
		}
	}
	dst.Set(s)
	return ""
}

// arrayItem returns how ParseArrayPipe parses an item into an element of
// type t ({items: Number}, {items: Boolean}, or strings as they are), and
// the end of its message for an item that does not parse.
func arrayItem(t reflect.Type) (func(reflect.Value, string) bool, string) {
	switch k := t.Kind(); {
	case t == durationType || t == timeType || reflect.PointerTo(t).Implements(textUnmarshalerType):
		dec := decodable(t)
		return func(dst reflect.Value, s string) bool { return dec(dst, s) == nil }, "is not valid"
	case k == reflect.String:
		return func(dst reflect.Value, s string) bool { dst.SetString(s); return true }, ""
	case k == reflect.Bool:
		// Nest JSON-parses the item and wants a boolean.
		return func(dst reflect.Value, s string) bool {
			var b bool
			if json.Unmarshal([]byte(s), &b) != nil {
				return false
			}
			dst.SetBool(b)
			return true
		}, "must be a boolean value"
	case k == reflect.Float32 || k == reflect.Float64:
		return func(dst reflect.Value, s string) bool {
			f, ok := numberItem(s)
			if !ok || math.IsInf(f, 0) || dst.OverflowFloat(f) {
				return false
			}
			dst.SetFloat(f)
			return true
		}, "must be a number"
	case isIntKind(k):
		// Nest's items: Number would take 1.5; a Go integer cannot.
		return func(dst reflect.Value, s string) bool {
			f, ok := numberItem(s)
			if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
				return false
			}
			return setInt(dst, strconv.FormatFloat(f, 'f', -1, 64))
		}, "must be a number"
	}
	return nil, ""
}

// numberItem is ParseArrayPipe's {items: Number}: the item JSON-parsed when
// it can be, then converted with +v, "" and null being refused.
func numberItem(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return jsNumber(s)
	}
	switch v := v.(type) {
	case float64:
		return v, true
	case string:
		return jsNumber(v)
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false // null, and objects and arrays (NaN, or a guess not worth making)
}

var intPattern = regexp.MustCompile(`^-?\d+$`)

// setInt stores the decimal integer s in dst, an integer of any size, and
// reports whether it fits.
func setInt(dst reflect.Value, s string) bool {
	if k := dst.Kind(); k >= reflect.Uint && k <= reflect.Uintptr {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || dst.OverflowUint(n) {
			return false
		}
		dst.SetUint(n)
		return true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || dst.OverflowInt(n) {
		return false
	}
	dst.SetInt(n)
	return true
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

// jsParseFloat is ParseFloatPipe's test, !isNaN(parseFloat(v)) &&
// isFinite(v), and the value parseFloat gives.
func jsParseFloat(v string) (float64, bool) {
	n, ok := jsNumber(v)
	if !ok || math.IsInf(n, 0) || strings.TrimFunc(v, isJSSpace) == "" {
		return 0, false
	}
	t := strings.TrimFunc(v, isJSSpace)
	if len(t) > 1 && t[0] == '0' && strings.ContainsRune("xXoObB", rune(t[1])) {
		return 0, true // parseFloat reads the leading 0 of a 0x… literal
	}
	return n, true
}

var decimalLiteral = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// jsNumber is JavaScript's Number(s): whitespace around is ignored, "" is 0,
// decimal literals, 0x/0o/0b literals and Infinity are numbers; ok is false
// for NaN.
func jsNumber(s string) (float64, bool) {
	t := strings.TrimFunc(s, isJSSpace)
	switch t {
	case "":
		return 0, true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if len(t) > 2 && t[0] == '0' {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[t[1]]
		if base != 0 {
			n, err := strconv.ParseUint(t[2:], base, 64)
			if err != nil || strings.ContainsRune(t[2:], '_') {
				return 0, false
			}
			return float64(n), true
		}
	}
	if !decimalLiteral.MatchString(t) {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return f, true // a range error gives ±Inf or 0, as JavaScript does
}

func isJSSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xA0, 0xFEFF, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// uuidPattern returns ParseUUIDPipe's pattern for a version ("" for any),
// or nil for an unknown version.
func uuidPattern(version string) *regexp.Regexp {
	return uuidPatterns[version]
}

var uuidPatterns = map[string]*regexp.Regexp{
	"":  regexp.MustCompile(`(?i)^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`),
	"3": regexp.MustCompile(`(?i)^[0-9A-F]{8}-[0-9A-F]{4}-3[0-9A-F]{3}-[0-9A-F]{4}-[0-9A-F]{12}$`),
	"4": regexp.MustCompile(`(?i)^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`),
	"5": regexp.MustCompile(`(?i)^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`),
	"7": regexp.MustCompile(`(?i)^[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`),
}
