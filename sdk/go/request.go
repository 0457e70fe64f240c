package pulse

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mathrand "math/rand"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Response is the HTTP answer a result came in, as LastResponse on every result.
type Response struct {
	// StatusCode is the HTTP status (200, 201, …).
	StatusCode int
	// Header holds the response's headers.
	Header http.Header
	// RequestID is the X-Request-Id (req_…): quote it to support.
	RequestID string
	// RateLimitRemaining is what is left of the key's per-minute budget; -1 when not sent.
	RateLimitRemaining int
	// ETag is the version of the resource, where the answer has one: pass it as IfMatch.
	ETag string
}

func newResponse(status int, header http.Header) *Response {
	remaining, err := strconv.Atoi(header.Get("X-RateLimit-Remaining"))
	if err != nil {
		remaining = -1
	}
	return &Response{
		StatusCode:         status,
		Header:             header,
		RequestID:          header.Get("X-Request-Id"),
		RateLimitRemaining: remaining,
		ETag:               header.Get("ETag"),
	}
}

// CallOption adjusts one call.
type CallOption func(*callOptions)

type callOptions struct {
	idempotencyKey string
	ifMatch        string
	headers        http.Header
	maxRetries     *int
	timeout        time.Duration
}

// WithIdempotencyKey sends this Idempotency-Key on a POST instead of a generated one (the same
// on every retry either way): repeat a create safely across restarts of your program.
func WithIdempotencyKey(key string) CallOption {
	return func(o *callOptions) { o.idempotencyKey = key }
}

// IfMatch makes an update or delete conditional on the version last read (Employee.Version or
// Response.ETag): when the server holds a newer one, the call fails with a conflict *Error.
func IfMatch(version any) CallOption {
	return func(o *callOptions) { o.ifMatch = ifMatchHeader(fmt.Sprint(version)) }
}

// WithCallHeader adds a header to this call.
func WithCallHeader(name, value string) CallOption {
	return func(o *callOptions) {
		if o.headers == nil {
			o.headers = http.Header{}
		}
		o.headers.Set(name, value)
	}
}

// WithCallMaxRetries overrides the client's retries for this call.
func WithCallMaxRetries(retries int) CallOption {
	return func(o *callOptions) { o.maxRetries = &retries }
}

// WithCallTimeout overrides the client's per-attempt timeout for this call.
func WithCallTimeout(timeout time.Duration) CallOption {
	return func(o *callOptions) { o.timeout = timeout }
}

// ifMatchHeader makes a version an ETag: 3 and "3" become "\"3\""; an ETag passes as it is.
func ifMatchHeader(value string) string {
	if _, err := strconv.ParseUint(value, 10, 64); err == nil {
		return `"` + value + `"`
	}
	return value
}

// Do sends any request under the base URL with the client's key, retries and errors, for what
// the SDK has no method for yet: path starts after /v1 ("/employees"), query may be nil, body
// (sent as JSON) may be nil, and the answer's JSON is decoded into out unless out is nil.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...CallOption) (*Response, error) {
	var options callOptions
	for _, opt := range opts {
		opt(&options)
	}
	return c.execute(ctx, method, path, query, body, out, &options)
}

var retryStatuses = map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true}

// execute builds the request once (so every retry sends the same Idempotency-Key) and sends it
// with the retry policy: connection errors and 5xx back off exponentially with jitter, a 429
// waits for its Retry-After unless that is longer than maxRetryAfter.
func (c *Client) execute(ctx context.Context, method, path string, query url.Values, body, out any, options *callOptions) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("pulse: nil context")
	}
	target := c.config.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var payload []byte
	if body != nil && !isNil(reflect.ValueOf(body)) {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("pulse: encoding the request body: %w", err)
		}
	}
	header := http.Header{}
	header.Set("Authorization", "Bearer "+c.config.apiKey)
	header.Set("Accept", "application/json")
	header.Set("User-Agent", "pulsehr-go/"+Version)
	for name, values := range c.config.headers {
		header[name] = values
	}
	if payload != nil {
		header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost {
		key := options.idempotencyKey
		if key == "" {
			key = "pulsehr-go-" + newUUID()
		}
		header.Set("Idempotency-Key", key)
	}
	if options.ifMatch != "" {
		header.Set("If-Match", options.ifMatch)
	}
	for name, values := range options.headers {
		header[name] = values
	}
	maxRetries := c.config.maxRetries
	if options.maxRetries != nil {
		maxRetries = *options.maxRetries
	}
	timeout := c.config.timeout
	if options.timeout > 0 {
		timeout = options.timeout
	}

	for attempt := 0; ; attempt++ {
		status, respHeader, respBody, err := c.send(ctx, method, target, header, payload, timeout)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, retry := c.retryDelay(maxRetries, attempt, status, respHeader, err)
		if !retry {
			if err != nil {
				return nil, &Error{Code: "connection_error", Message: fmt.Sprintf("no answer to %s %s: %v", method, target, err), cause: err}
			}
			return decode(status, respHeader, respBody, out)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

func (c *Client) send(ctx context.Context, method, target string, header http.Header, payload []byte, timeout time.Duration) (int, http.Header, []byte, error) {
	attemptCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var reader io.Reader
	if payload != nil {
		reader = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(attemptCtx, method, target, reader)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header = header.Clone()
	resp, err := c.config.httpClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // inside the timeout: a body that never ends is a failed attempt
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
}

// retryDelay is how long to wait before retry number attempt+1, and whether to retry at all.
func (c *Client) retryDelay(maxRetries, attempt, status int, header http.Header, err error) (time.Duration, bool) {
	if attempt >= maxRetries {
		return 0, false
	}
	if err == nil && !retryStatuses[status] {
		return 0, false
	}
	if err == nil && status == 429 {
		if wait, ok := retryAfterSeconds(header.Get("Retry-After")); ok {
			return wait, wait <= c.config.maxRetryAfter
		}
	}
	base := math.Min(float64(c.config.maxBackoff), float64(c.config.backoff)*math.Pow(2, float64(attempt)))
	return time.Duration(base * (0.5 + mathrand.Float64()/2)), true
}

type responseSetter interface{ setResponse(*Response) }

func decode(status int, header http.Header, body []byte, out any) (*Response, error) {
	if status < 200 || status >= 300 {
		return nil, errorFromResponse(status, header, body)
	}
	response := newResponse(status, header)
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return response, &Error{
				Status: status, Code: "invalid_response", Header: header, Body: body,
				RequestID: response.RequestID, Message: fmt.Sprintf("the answer (HTTP %d) is not the JSON expected: %v", status, err),
				cause: err,
			}
		}
	}
	if setter, ok := out.(responseSetter); ok {
		setter.setResponse(response)
	}
	return response, nil
}

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		for i := range b {
			b[i] = byte(mathrand.Intn(256))
		}
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// segment escapes an id as one path segment.
func segment(id string) string { return url.PathEscape(id) }

// encodeQuery turns a params struct (fields tagged `url:"name"`, nil meaning "not sent") into
// query values.
func encodeQuery(params any) url.Values {
	values := url.Values{}
	v := reflect.ValueOf(params)
	if !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return values
	}
	v = reflect.Indirect(v)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("url")
		field := v.Field(i)
		if name == "" || isNil(field) {
			continue
		}
		field = reflect.Indirect(field)
		if field.Kind() == reflect.Slice {
			for j := 0; j < field.Len(); j++ {
				values.Add(name, fmt.Sprint(field.Index(j).Interface()))
			}
			continue
		}
		values.Set(name, fmt.Sprint(field.Interface()))
	}
	return values
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// marshalParams encodes a params struct: the fields that are set (non-nil), and those named in
// nulls (by Go field name) as null. A name that is no field is an error, before anything is sent.
func marshalParams(params any, nulls []string) ([]byte, error) {
	v := reflect.Indirect(reflect.ValueOf(params))
	t := v.Type()
	fields := map[string]any{}
	jsonNames := map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		jsonNames[t.Field(i).Name] = name
		if !isNil(v.Field(i)) {
			fields[name] = v.Field(i).Interface()
		}
	}
	for _, goName := range nulls {
		name, ok := jsonNames[goName]
		if !ok {
			return nil, fmt.Errorf("pulse: %s has no field %q to send as null", t.Name(), goName)
		}
		fields[name] = nil
	}
	return json.Marshal(fields)
}
