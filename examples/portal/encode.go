package main

import (
	"io"
	"net/http"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// maxBodyBytes bounds every request body.
const maxBodyBytes = 64 << 10

// bodyOptions is how request bodies are read: at most maxBodyBytes, and
// unknown fields are ignored, as Django REST framework does.
var bodyOptions = httpjson.Options{MaxBytes: maxBodyBytes, AllowUnknownFields: true}

// decode reads a JSON request body into a T and validates it; its errors
// are *apiError (400, or 413 for a body too large).
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	return httpjson.Decode[T](w, r, bodyOptions)
}

// decodeFrom is decode over any reader; the fuzz tests drive it directly.
func decodeFrom[T any](rd io.Reader) (T, error) { return httpjson.DecodeReader[T](rd, bodyOptions) }
