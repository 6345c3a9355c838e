// Package httpjson is the JSON side of the example HTTP APIs: it decodes a
// request body into a typed value and validates it, writes a JSON answer,
// and carries the status and code an error is answered with.
//
// Every decoding failure is an *Error with status 400 (or 413 for a body
// over the limit) and a message that says what is wrong, so that a handler
// can answer it as it is. Bodies come from untrusted clients: nothing in
// here panics on any input.
//
// A typical handler:
//
//	type launchRequest struct {
//		Name string `json:"name"`
//	}
//
//	func (r launchRequest) Validate() error {
//		if r.Name == "" {
//			return &httpjson.Error{Status: http.StatusBadRequest, Code: "invalid_argument", Message: "name is required"}
//		}
//		return nil
//	}
//
//	func handleLaunch(fail func(http.ResponseWriter, error)) http.Handler {
//		return httpjson.Handle(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
//			req, err := httpjson.Decode[launchRequest](w, r, httpjson.Options{MaxBytes: 64 << 10})
//			if err != nil {
//				return 0, nil, err
//			}
//			return http.StatusCreated, launch(r.Context(), req), nil
//		}, fail)
//	}
//
// An API's fail function is usually Statuses.WriteError, which answers an
// *Error as it says and a library error by the status its code maps to;
// the API says only what its error body looks like:
//
//	var statusOf = httpjson.Statuses{perspective.CodeNotFound: http.StatusNotFound}
//
//	func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
//		statusOf.WriteError(w, log, err, func(e *httpjson.Error) any {
//			return errorBody{Code: e.Code, Message: e.Message}
//		})
//	}
//
// The query string and the text fields of a request are untrusted too:
// ParseQueryString (StrictQuery for a request) refuses a malformed query
// that url.ParseQuery would have parsed with a pair dropped, and bounds its
// parameters; CheckText refuses names with control or bidirectional
// characters. Both answer a 400 *Error that names the parameter or field.
package httpjson
