package httpjson

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// launch is a request body that validates itself.
type launch struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

var errNoName = &Error{Status: http.StatusBadRequest, Code: CodeInvalidArgument, Message: "name is required"}

func (l launch) Validate() error {
	if l.Name == "" {
		return errNoName
	}
	return nil
}

// plain has no Validate method.
type plain struct {
	A string `json:"a"`
}

func TestDecodeReader(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		opts    Options
		want    launch
		status  int    // 0: no error
		message string // part of the error message
	}{
		{name: "valid", body: `{"name":"vm1","count":2}`, want: launch{Name: "vm1", Count: 2}},
		{name: "surrounding space", body: " \n{\"name\":\"vm1\"}\n ", want: launch{Name: "vm1"}},
		{name: "empty", body: ``, status: 400, message: "request body is empty; expected a JSON object"},
		{name: "only space", body: "  \n", status: 400, message: "request body is empty"},
		{name: "cut short", body: `{"name":"vm`, status: 400, message: "the JSON ends early"},
		{name: "syntax", body: `{"name" "vm1"}`, status: 400, message: "invalid JSON at byte 9"},
		{name: "wrong type", body: `{"name":1}`, status: 400, message: "name: expected a string, got a JSON number"},
		{name: "wrong top type", body: `[]`, status: 400, message: "request body: expected an object, got a JSON array"},
		{name: "two values", body: `{"name":"a"} {}`, status: 400, message: "more than one JSON value"},
		{name: "trailing garbage", body: `{"name":"a"} ]`, status: 400, message: "invalid JSON"},
		{name: "unknown field refused", body: `{"name":"a","nmae":"b"}`, status: 400, message: `unknown field "nmae"`},
		{name: "unknown field allowed", body: `{"name":"a","nmae":"b"}`, opts: Options{AllowUnknownFields: true},
			want: launch{Name: "a"}},
		{name: "validator refuses", body: `{"count":1}`, status: 400, message: "name is required"},
		{name: "null is the zero value, then validated", body: `null`, status: 400, message: "name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeReader[launch](strings.NewReader(tt.body), tt.opts)
			if tt.status == 0 {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, CodeInvalidArgument, e.Code)
			assert.Contains(t, e.Message, tt.message)
			assert.Equal(t, e.Message, err.Error())
		})
	}
}

func TestDecodeReaderValidatorErrorAsIs(t *testing.T) {
	_, err := DecodeReader[launch](strings.NewReader(`{}`), Options{})
	assert.Same(t, errNoName, err, "the validator's error is returned as it is")
	got, err := DecodeReader[plain](strings.NewReader(`{"a":"x"}`), Options{})
	require.NoError(t, err, "a body without Validate is not validated")
	assert.Equal(t, plain{A: "x"}, got)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		opts    Options
		status  int
		code    string
		message string
	}{
		{name: "within the limit", body: `{"name":"vm1"}`, opts: Options{MaxBytes: 64}},
		{name: "over the limit", body: `{"name":"` + strings.Repeat("x", 64) + `"}`, opts: Options{MaxBytes: 64},
			status: 413, code: CodeTooLarge, message: "request body is larger than 64 bytes"},
		{name: "default limit", body: `{"name":"` + strings.Repeat("x", DefaultMaxBytes) + `"}`,
			status: 413, code: CodeTooLarge, message: "larger than 65536 bytes"},
		{name: "bad body", body: `{`, status: 400, code: CodeInvalidArgument, message: "ends early"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			got, err := Decode[launch](httptest.NewRecorder(), r, tt.opts)
			if tt.status == 0 {
				require.NoError(t, err)
				assert.Equal(t, "vm1", got.Name)
				return
			}
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.Code)
			assert.Contains(t, e.Message, tt.message)
		})
	}
}

func BenchmarkDecodeReader(b *testing.B) {
	body := `{"name":"vm1","count":2}`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeReader[launch](strings.NewReader(body), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
