package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBodyBytes bounds every request body.
const maxBodyBytes = 64 << 10

// validator is a request body that checks itself after decoding.
type validator interface {
	Validate() error
}

// decode reads a JSON request body of at most maxBodyBytes into a T and
// validates it; its errors are *apiError (400, or 413 for a body too large).
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	return decodeFrom[T](http.MaxBytesReader(w, r.Body, maxBodyBytes))
}

// decodeFrom is decode over any reader; the fuzz tests drive it directly.
// Unknown fields are ignored, as Django REST framework does.
func decodeFrom[T any](rd io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&v); err != nil {
		return v, bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return v, bodyError(err)
		}
		return v, badRequest("request body: more than one JSON value")
	}
	if val, ok := any(&v).(validator); ok {
		if err := val.Validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// bodyError explains a JSON decoding failure.
func bodyError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return &apiError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest("request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("request body: the JSON ends early")
	case errors.As(err, &syntax):
		return badRequest(fmt.Sprintf("request body: invalid JSON at byte %d: %v", syntax.Offset, err))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return badRequest(fmt.Sprintf("request body: %s: expected %s, got a JSON %s", field, typ.Type, typ.Value))
	}
	return badRequest("request body: " + strings.TrimPrefix(err.Error(), "json: "))
}

// encode writes v as JSON with status.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The status is sent: a failure here is a client gone away.
	_ = enc.Encode(v)
}
