package httpjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultMaxBytes is the body limit of an Options whose MaxBytes is 0.
const DefaultMaxBytes = 64 << 10

// Options say how request bodies are read.
type Options struct {
	// MaxBytes is the largest body accepted, in bytes; 0 means
	// DefaultMaxBytes. A larger body is a 413.
	MaxBytes int64
	// AllowUnknownFields accepts and ignores the fields T does not have.
	// By default they are refused, so that a misspelt field is a 400
	// rather than silently ignored.
	AllowUnknownFields bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Validator is a request body that checks itself after decoding. Its error
// is returned by Decode as it is; an *Error keeps its status.
type Validator interface {
	Validate() error
}

// Decode reads r's JSON body, of at most opts.MaxBytes, into a T, and
// validates it when T (or *T) is a Validator. A decoding failure is an
// *Error: 400 with CodeInvalidArgument, or 413 with CodeTooLarge.
func Decode[T any](w http.ResponseWriter, r *http.Request, opts Options) (T, error) {
	return DecodeReader[T](http.MaxBytesReader(w, r.Body, opts.maxBytes()), opts)
}

// DecodeReader is Decode over any reader; it does not bound the reader
// (Decode does, with http.MaxBytesReader), but it does report an
// *http.MaxBytesError from it as a 413. The body must be exactly one JSON
// value.
func DecodeReader[T any](rd io.Reader, opts Options) (T, error) {
	var v T
	dec := json.NewDecoder(rd)
	if !opts.AllowUnknownFields {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&v); err != nil {
		return v, bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return v, bodyError(err)
		}
		return v, badRequest("request body: more than one JSON value")
	}
	// &v: a Validator with a value receiver is one with a pointer receiver too.
	if val, ok := any(&v).(Validator); ok {
		if err := val.Validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

func badRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidArgument, Message: msg}
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
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Message: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest("request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("request body: the JSON ends early")
	case errors.As(err, &syntax):
		return badRequest(fmt.Sprintf("request body: invalid JSON at byte %d: %v", syntax.Offset, err))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest(fmt.Sprintf("request body: expected %s, got a JSON %s", jsonKind(typ.Type), typ.Value))
		}
		return badRequest(fmt.Sprintf("request body: %s: expected %s, got a JSON %s", typ.Field, jsonKind(typ.Type), typ.Value))
	}
	return badRequest("request body: " + strings.TrimPrefix(err.Error(), "json: "))
}
