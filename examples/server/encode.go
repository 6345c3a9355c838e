package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// maxBodyBytes bounds every request body.
const maxBodyBytes = 1 << 20

// validator is a request body that checks itself after decoding.
type validator interface {
	Validate() error
}

// decode reads a JSON request body of at most maxBodyBytes into a T and
// validates it. Its errors say what is wrong with the body; writeError
// turns them into a 400 (or a 413 for a body that is too large).
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	return decodeFrom[T](http.MaxBytesReader(w, r.Body, maxBodyBytes))
}

// decodeFrom is decode over any reader; the fuzz tests drive it directly.
func decodeFrom[T any](rd io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&v); err != nil {
		return v, bodyError(err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return v, bodyError(err)
		}
		return v, invalid("unexpected %v after the JSON value", tok)
	}
	if val, ok := any(v).(validator); ok {
		if err := val.Validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// bodyError explains a JSON decoding failure.
func bodyError(err error) error {
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
		invalid *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &tooBig):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "too_large",
			msg: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)}
	case errors.Is(err, io.EOF):
		return invalidf("request body is empty; expected JSON")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("request body: the JSON ends early")
	case errors.As(err, &syntax):
		return invalidf("request body: invalid JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		msg := fmt.Sprintf("request body: %s: expected %s, got %s", field, jsonKind(typ.Type), valueKind(typ.Value))
		if typ.Offset > 0 {
			msg += fmt.Sprintf(" (at byte %d)", typ.Offset)
		}
		return invalidf("%s", msg)
	case errors.As(err, &invalid):
		return invalidf("request body: %v", err)
	}
	return invalidf("request body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names what JSON a Go type decodes from, for an error message
// that never shows a Go type name.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a JSON value"
	}
	if t == reflect.TypeFor[flexString]() {
		return "a JSON string or number"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.String {
			return "a JSON list of strings"
		}
		return "a JSON list"
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	case reflect.String:
		return "a JSON string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole JSON number"
	case reflect.Float32, reflect.Float64:
		return "a JSON number"
	}
	return "a JSON value"
}

// valueKind names the JSON value json.UnmarshalTypeError saw.
func valueKind(v string) string {
	switch v {
	case "object", "array", "string", "number":
		if v == "array" {
			v = "list"
		}
		return "a JSON " + v
	case "bool":
		return "true or false"
	case "null":
		return "null"
	}
	if strings.HasPrefix(v, "number") { // "number 1.5", "number -1"
		return "the JSON " + v
	}
	return v
}

// jsonHandler makes a handler of h: its value is answered as encode does,
// its error as writeError does.
func jsonHandler(h httpjson.HandlerFunc) http.Handler {
	return httpjson.Handle(h, writeError)
}

// encode writes v as indented JSON with status.
func encode(w http.ResponseWriter, status int, v any) { httpjson.Write(w, status, v) }

// encodeTagged writes v as JSON like encode, with an ETag, and 304 to a
// request whose If-None-Match names it (httpjson.WriteTagged): the web UI
// polls the instance list every second and parses nothing until it changes.
func encodeTagged(w http.ResponseWriter, r *http.Request, v any) {
	if err := httpjson.WriteTagged(w, r, v); err != nil {
		writeError(w, err)
	}
}

// writeText writes plain text.
func writeText(w http.ResponseWriter, status int, contentType, text string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}
