package openstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// APIError is an error reply of an OpenStack service, kept as the cause of
// the classified driver.Error the driver returns. The gophercloud error
// it came from stays reachable with errors.As.
type APIError struct {
	// Status is the HTTP status code of the reply.
	Status int
	// Method and URL are those of the request (URLs carry no secrets).
	Method string
	URL    string
	// Message is the service's own explanation, extracted from the body.
	Message string
	// RetryAfter is the delay the service asked for, or zero.
	RetryAfter time.Duration
	cause      error
}

// Error renders "HTTP 404 from GET url".
func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d from %s %s", e.Status, e.Method, e.URL)
}

// Unwrap returns the gophercloud error.
func (e *APIError) Unwrap() error { return e.cause }

// classify turns any error of a gophercloud call into a classified
// perspective error naming the operation and the object; nil stays nil.
func classify(err error, op perspective.Operation, kind perspective.Kind, id string) error {
	if err == nil {
		return nil
	}
	code, msg, cause := codeOf(err)
	e := &driver.Error{Code: code, Msg: msg, Err: cause}
	var api *APIError
	if errors.As(cause, &api) && code == driver.CodeRateLimited {
		e.RetryAfter = api.RetryAfter
	}
	return e
}

// codeOf classifies err and returns a message for a person and the cause to
// keep (an *APIError for a service reply, err itself otherwise).
func codeOf(err error) (driver.Code, string, error) {
	var perr *driver.Error
	if errors.As(err, &perr) {
		return perr.Code, "", err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return driver.CodeCanceled, "", err
	}
	// gophercloud returns this one as a pointer
	var reauth *gophercloud.ErrUnableToReauthenticate
	if errors.As(err, &reauth) && reauth != nil {
		// the re-authentication itself failed: credentials revoked, expired
		// application credential, or keystone refusing
		code, msg, _ := codeOf(reauth.ErrReauth)
		if code != driver.CodeTransient && code != driver.CodeCanceled {
			code = driver.CodeUnauthenticated
		}
		return code, "re-authentication failed: " + msg, reauth.ErrReauth
	}
	var resp gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &resp) {
		api := &APIError{Status: resp.Actual, Method: resp.Method, URL: resp.URL,
			Message: replyMessage(resp.Body), RetryAfter: retryAfter(resp.ResponseHeader, time.Now()), cause: err}
		if api.RetryAfter == 0 {
			api.RetryAfter = bodyRetryAfter(resp.Body)
		}
		return statusCode(resp.Actual, api.Message), api.Message, api
	}
	var notFound gophercloud.ErrResourceNotFound
	if errors.As(err, &notFound) {
		return driver.CodeNotFound, "", err
	}
	var multiple gophercloud.ErrMultipleResourcesFound
	if errors.As(err, &multiple) {
		return driver.CodeConflict, "", err
	}
	var noEndpoint gophercloud.ErrEndpointNotFound
	var noService gophercloud.ErrServiceNotFound
	if errors.As(err, &noEndpoint) || errors.As(err, &noService) {
		return driver.CodeUnsupported, "the cloud's catalog has no such service", err
	}
	var missing gophercloud.ErrMissingInput
	var invalid gophercloud.ErrInvalidInput
	if errors.As(err, &missing) || errors.As(err, &invalid) {
		return driver.CodeInvalidArgument, "", err
	}
	if isConnectionError(err) {
		return driver.CodeTransient, "cannot reach the service", err
	}
	return driver.CodeUnknown, "", err
}

// statusCode maps an HTTP status of an OpenStack reply to an error code.
// Nova answers 403 for exceeded quotas and Neutron 409 ("Quota exceeded for
// resources"), so the message decides between quota and forbidden/conflict.
// Nova's 409 "Cannot 'reboot' instance ... while it is in vm_state stopped"
// and "Instance ... is locked" are invalid states, not conflicts.
func statusCode(status int, msg string) driver.Code {
	lower := strings.ToLower(msg)
	quota := strings.Contains(lower, "quota") || strings.Contains(lower, "overlimit")
	switch {
	case status == http.StatusBadRequest:
		return driver.CodeInvalidArgument
	case status == http.StatusUnauthorized:
		return driver.CodeUnauthenticated
	case status == http.StatusForbidden && quota:
		return driver.CodeQuotaExceeded
	case status == http.StatusForbidden:
		return driver.CodeForbidden
	case status == http.StatusNotFound:
		return driver.CodeNotFound
	case status == http.StatusConflict && quota:
		return driver.CodeQuotaExceeded
	case status == http.StatusConflict && (strings.Contains(lower, "_state") ||
		strings.Contains(lower, "is locked") || strings.Contains(lower, "while it is in")):
		return driver.CodeInvalidState
	case status == http.StatusConflict:
		return driver.CodeConflict
	case status == http.StatusRequestEntityTooLarge, status == http.StatusTooManyRequests:
		return driver.CodeRateLimited
	case status == http.StatusNotImplemented:
		return driver.CodeUnsupported
	case status >= 500:
		return driver.CodeTransient
	case status == http.StatusMethodNotAllowed, status == http.StatusNotAcceptable:
		return driver.CodeUnsupported
	}
	return driver.CodeUnknown
}

// isConnectionError reports failures to talk to the service at all.
func isConnectionError(err error) bool {
	var netErr net.Error
	var urlErr *url.Error
	var opErr *net.OpError
	return errors.As(err, &netErr) || errors.As(err, &urlErr) || errors.As(err, &opErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// maxMessage bounds the part of an error body quoted in messages.
const maxMessage = 300

// replyMessage extracts the explanation from an error body of any OpenStack
// service: Nova {"itemNotFound": {"message": …}}, Neutron {"NeutronError":
// {"message": …}}, Keystone {"error": {"message": …}}, Glance and Placement
// {"errors": [{"detail": …}]} or plain text. Bodies are untrusted: anything
// unexpected yields the trimmed text, cut to a bounded length.
func replyMessage(body []byte) string {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) == nil {
		if m, ok := doc["message"]; ok {
			var s string
			if json.Unmarshal(m, &s) == nil && s != "" {
				return clip(s)
			}
		}
		if e, ok := doc["errors"]; ok {
			var list []struct {
				Title  string `json:"title"`
				Detail string `json:"detail"`
			}
			if json.Unmarshal(e, &list) == nil && len(list) > 0 {
				return clip(firstNonEmpty(list[0].Detail, list[0].Title))
			}
		}
		for _, raw := range doc {
			var inner struct {
				Message string `json:"message"`
				Detail  string `json:"detail"`
			}
			if json.Unmarshal(raw, &inner) == nil && (inner.Message != "" || inner.Detail != "") {
				return clip(firstNonEmpty(inner.Message, inner.Detail))
			}
		}
	}
	// Glance and webob answer "404 Not Found\n\nNo image found with ID …\n\n"
	text := strings.Join(strings.Fields(stripTags(string(body))), " ")
	return clip(text)
}

// bodyRetryAfter reads Nova's legacy {"overLimit": {"retryAfter": "30"}}.
func bodyRetryAfter(body []byte) time.Duration {
	var doc map[string]struct {
		RetryAfter json.RawMessage `json:"retryAfter"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return 0
	}
	for _, v := range doc {
		if len(v.RetryAfter) == 0 {
			continue
		}
		s := strings.Trim(string(v.RetryAfter), `"`)
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
