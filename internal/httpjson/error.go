package httpjson

// The codes the decoder gives its errors.
const (
	CodeInvalidArgument = "invalid_argument" // 400: the body is not the JSON expected
	CodeTooLarge        = "too_large"        // 413: the body is over Options.MaxBytes
)

// Error is an error with the HTTP status, and the machine-readable code, it
// is answered with. Its Error method returns Message alone, so that an
// answer can carry it as it is.
type Error struct {
	Status  int    // the HTTP status of the answer, such as 400
	Code    string // a machine-readable code such as "invalid_argument"; "" where an API has none
	Message string // what is wrong, said for the caller
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }
