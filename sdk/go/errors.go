package pulse

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is every failure of a call: an error response of the API (Status set, Code from the
// envelope {"error": {"code", "message", "fields", "request_id"}}), or no answer at all after
// every retry (Code "connection_error", Status 0, the cause behind Unwrap).
//
// Test for a kind with errors.Is(err, pulse.ErrNotFound) or the helpers (pulse.IsNotFound(err)),
// and read the details with errors.As:
//
//	var apiErr *pulse.Error
//	if errors.As(err, &apiErr) { log.Print(apiErr.Code, apiErr.Fields, apiErr.RequestID) }
type Error struct {
	// Status is the HTTP status; 0 when no response came.
	Status int
	// Code is the envelope's machine-readable code (not_found, rate_limited, …).
	Code string
	// Message says what went wrong, for humans.
	Message string
	// Fields names the request fields at fault (dotted for nested keys), if any.
	Fields []string
	// RequestID is the failed request's X-Request-Id (req_…): quote it to support.
	RequestID string
	// Header holds the response's headers (nil when no response came).
	Header http.Header
	// Body is the response body as received.
	Body []byte

	cause    error
	sentinel bool
}

// Error is "pulse: <code>: <message>" with the fields, status and request id when known.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pulse: %s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		fmt.Fprintf(&b, " fields=%v", e.Fields)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " status=%d", e.Status)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " request_id=%s", e.RequestID)
	}
	return b.String()
}

// Unwrap is the cause of a connection error (a *url.Error, context.DeadlineExceeded, …).
func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is(err, pulse.ErrNotFound) true for every not_found *Error, and so on for
// each sentinel below.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Code == e.Code
}

// RetryAfter is a 429's Retry-After (zero when there is none).
func (e *Error) RetryAfter() time.Duration {
	seconds, ok := retryAfterSeconds(e.Header.Get("Retry-After"))
	if !ok {
		return 0
	}
	return seconds
}

func sentinel(code string) *Error { return &Error{Code: code, Message: code, sentinel: true} }

// Sentinels for errors.Is, one per error code.
var (
	ErrInvalidRequest       = sentinel("invalid_request")        // 400: a payload or parameter failed validation; Fields names them.
	ErrUnauthenticated      = sentinel("unauthenticated")        // 401: missing, malformed or revoked API key.
	ErrPermissionDenied     = sentinel("permission_denied")      // 403: the key's scopes do not allow this.
	ErrNotFound             = sentinel("not_found")              // 404: unknown id, or one outside the key's workspace and environment.
	ErrMethodNotAllowed     = sentinel("method_not_allowed")     // 405: the path does not take this method.
	ErrConflict             = sentinel("conflict")               // 409: a stale If-Match, or an Idempotency-Key reused or in flight.
	ErrPayloadTooLarge      = sentinel("payload_too_large")      // 413: the body is larger than the server accepts.
	ErrUnsupportedMediaType = sentinel("unsupported_media_type") // 415: the body was not sent as JSON.
	ErrUnprocessableEntity  = sentinel("unprocessable_entity")   // 422: well-formed but semantically invalid.
	ErrRateLimited          = sentinel("rate_limited")           // 429 after every retry.
	ErrInternal             = sentinel("internal_error")         // 5xx after every retry.
	ErrConnection           = sentinel("connection_error")       // no answer after every retry.
)

// ErrWebhookVerification is what every webhook verification failure matches with errors.Is
// (see package webhook).
var ErrWebhookVerification = errors.New("pulse: webhook verification failed")

// IsInvalidRequest reports whether err is a 400 invalid_request error.
func IsInvalidRequest(err error) bool { return errors.Is(err, ErrInvalidRequest) }

// IsUnauthenticated reports whether err is a 401 unauthenticated error.
func IsUnauthenticated(err error) bool { return errors.Is(err, ErrUnauthenticated) }

// IsPermissionDenied reports whether err is a 403 permission_denied error.
func IsPermissionDenied(err error) bool { return errors.Is(err, ErrPermissionDenied) }

// IsNotFound reports whether err is a 404 not_found error.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsMethodNotAllowed reports whether err is a 405 method_not_allowed error.
func IsMethodNotAllowed(err error) bool { return errors.Is(err, ErrMethodNotAllowed) }

// IsConflict reports whether err is a 409 conflict error.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsPayloadTooLarge reports whether err is a 413 payload_too_large error.
func IsPayloadTooLarge(err error) bool { return errors.Is(err, ErrPayloadTooLarge) }

// IsUnsupportedMediaType reports whether err is a 415 unsupported_media_type error.
func IsUnsupportedMediaType(err error) bool { return errors.Is(err, ErrUnsupportedMediaType) }

// IsUnprocessableEntity reports whether err is a 422 unprocessable_entity error.
func IsUnprocessableEntity(err error) bool { return errors.Is(err, ErrUnprocessableEntity) }

// IsRateLimited reports whether err is a 429 rate_limited error.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// IsInternalError reports whether err is a 5xx internal_error.
func IsInternalError(err error) bool { return errors.Is(err, ErrInternal) }

// IsConnectionError reports whether no answer came, after every retry.
func IsConnectionError(err error) bool { return errors.Is(err, ErrConnection) }

// The code each status means when a response has no envelope (a proxy's 502, say).
var codesByStatus = map[int]string{
	400: "invalid_request",
	401: "unauthenticated",
	403: "permission_denied",
	404: "not_found",
	405: "method_not_allowed",
	409: "conflict",
	413: "payload_too_large",
	415: "unsupported_media_type",
	422: "unprocessable_entity",
	429: "rate_limited",
}

// errorFromResponse decodes an error response, from its envelope when it has one.
func errorFromResponse(status int, header http.Header, body []byte) *Error {
	var envelope struct {
		Error struct {
			Code      string   `json:"code"`
			Message   string   `json:"message"`
			Fields    []string `json:"fields"`
			RequestID string   `json:"request_id"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &envelope) // not JSON (a proxy's page): the status alone decides
	e := &Error{
		Status:    status,
		Code:      envelope.Error.Code,
		Message:   envelope.Error.Message,
		Fields:    envelope.Error.Fields,
		RequestID: envelope.Error.RequestID,
		Header:    header,
		Body:      body,
	}
	if e.Code == "" {
		e.Code = codesByStatus[status]
	}
	if e.Code == "" {
		e.Code = "error"
		if status >= 500 {
			e.Code = "internal_error"
		}
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("HTTP %d", status)
	}
	if e.RequestID == "" {
		e.RequestID = header.Get("X-Request-Id")
	}
	return e
}

func retryAfterSeconds(value string) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	seconds, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return 0, false
	}
	if seconds < 0 {
		seconds = 0
	}
	return time.Duration(seconds * float64(time.Second)), true
}
