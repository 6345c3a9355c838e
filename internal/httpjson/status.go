package httpjson

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/perspective-cloud/sdk/perspective"
)

// Statuses maps the library's error codes onto the HTTP statuses an API
// answers them with; a code that is not in it is answered 500.
type Statuses map[perspective.ErrorCode]int

// WriteError answers err as JSON, with the body that body makes of it:
// an *Error as it says, and any other error as an *Error of the status s
// gives its perspective.Code, the code's name and err's message. Such an
// error carries the cloud's Retry-After, if any, as a header (in whole
// seconds, rounded up), and is logged at Error when its status is 5xx
// (log may be nil).
func (s Statuses) WriteError(w http.ResponseWriter, log *slog.Logger, err error, body func(*Error) any) {
	var e *Error
	if errors.As(err, &e) {
		Write(w, e.Status, body(e))
		return
	}
	code := perspective.Code(err)
	status, ok := s[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 && log != nil {
		log.Error("request failed", "status", status, "error", err)
	}
	if d, ok := perspective.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds()+0.999)))
	}
	Write(w, status, body(&Error{Status: status, Code: code.String(), Message: err.Error()}))
}
