package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

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
		return invalidf("request body: %s: expected %s, got a JSON %s", field, typ.Type, typ.Value)
	case errors.As(err, &invalid):
		return invalidf("request body: %v", err)
	}
	return invalidf("request body: %v", err)
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
