// Package pulse is the Go client of the PulseHR API (/v1): employees, the status log, kudos,
// workload check-ins, leave with its ledger and balances, the Employee Score, webhook endpoints
// and events, and the collaboration API (rooms, threads, comments, reactions, presence).
//
//	client, err := pulse.NewClient("") // $PULSE_API_KEY, $PULSE_API_BASE
//	if err != nil { … }
//	it := client.Employees.List(ctx, &pulse.EmployeeListParams{Department: pulse.String("R&D")})
//	for it.Next() {
//		fmt.Println(it.Current().FullName)
//	}
//	if err := it.Err(); err != nil { … }
//
// It behaves as the Python and TypeScript SDKs do: the same resource and parameter names (the
// API's JSON names, in Go's case), the same error kinds, the same retry policy (connection
// errors, 429 after its Retry-After and 5xx, with one Idempotency-Key per POST across its
// retries) and the same webhook verification (package webhook). It uses the standard library
// only.
package pulse

import (
	"net/http"
	"os"
	"strings"
	"time"
)

// Version is the SDK's version, sent in the User-Agent.
const Version = "0.1.0"

// Defaults of NewClient's options.
const (
	DefaultBaseURL       = "https://api.pulsehr.it/v1"
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 2
	DefaultBackoff       = 500 * time.Millisecond
	DefaultMaxBackoff    = 8 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// Client holds the configuration and one service per resource under /v1. It is safe for
// concurrent use.
type Client struct {
	config config

	Employees        *EmployeesService        // people: list, create, update, offboard, and their score
	Scores           *ScoresService           // the Employee Score of groups
	StatusLog        *StatusLogService        // async standup entries
	Kudos            *KudosService            // kudos between colleagues
	WorkloadCheckins *WorkloadCheckinsService // weekly workload check-ins
	Leave            *LeaveService            // leave requests, approvals, the ledger, balances, who's out
	WebhookEndpoints *WebhookEndpointsService // where events are delivered
	Events           *EventsService           // the events webhooks deliver, and replays
	Rooms            *RoomsService            // collaboration rooms, presence and room tokens
	Threads          *ThreadsService          // a room's threads
	Comments         *CommentsService         // a thread's comments
	Reactions        *ReactionsService        // reactions to comments
	Users            *UsersService            // people as the collaboration widget shows them
}

type config struct {
	apiKey        string
	baseURL       string
	httpClient    *http.Client
	timeout       time.Duration
	maxRetries    int
	backoff       time.Duration
	maxBackoff    time.Duration
	maxRetryAfter time.Duration
	headers       http.Header
}

// Option configures a Client.
type Option func(*config)

// WithBaseURL sets the API's root, ending in /v1 (default $PULSE_API_BASE, then DefaultBaseURL).
func WithBaseURL(url string) Option { return func(c *config) { c.baseURL = url } }

// WithHTTPClient sends requests with your own *http.Client (a proxy, instrumentation). Its own
// Timeout, if any, applies beside the per-attempt timeout.
func WithHTTPClient(client *http.Client) Option { return func(c *config) { c.httpClient = client } }

// WithTimeout sets how long one attempt may take, its body read included (default 30 s).
func WithTimeout(timeout time.Duration) Option { return func(c *config) { c.timeout = timeout } }

// WithMaxRetries sets how many times a failed request is retried after the first attempt
// (default 2): connection errors, 429 and 5xx. Zero turns retries off.
func WithMaxRetries(retries int) Option { return func(c *config) { c.maxRetries = retries } }

// WithBackoff sets the first wait between attempts (default 500 ms), doubling on each retry up
// to max (default 8 s), with jitter.
func WithBackoff(first, max time.Duration) Option {
	return func(c *config) { c.backoff, c.maxBackoff = first, max }
}

// WithMaxRetryAfter sets the longest Retry-After a 429 is waited out for (default 60 s); a
// longer one is returned at once as a rate_limited *Error.
func WithMaxRetryAfter(wait time.Duration) Option { return func(c *config) { c.maxRetryAfter = wait } }

// WithHeader adds a header to every request.
func WithHeader(name, value string) Option { return func(c *config) { c.headers.Set(name, value) } }

// NewClient makes a client for an API key (pk_live_…, pk_test_…) or a room token (rt_…). An
// empty apiKey means $PULSE_API_KEY; with neither, NewClient fails.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	cfg := config{
		apiKey:        apiKey,
		baseURL:       os.Getenv("PULSE_API_BASE"),
		httpClient:    http.DefaultClient,
		timeout:       DefaultTimeout,
		maxRetries:    DefaultMaxRetries,
		backoff:       DefaultBackoff,
		maxBackoff:    DefaultMaxBackoff,
		maxRetryAfter: DefaultMaxRetryAfter,
		headers:       http.Header{},
	}
	if cfg.apiKey == "" {
		cfg.apiKey = os.Getenv("PULSE_API_KEY")
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.apiKey == "" {
		return nil, &Error{Code: "configuration", Message: "no API key: pass one to pulse.NewClient or set PULSE_API_KEY"}
	}
	if cfg.baseURL == "" {
		cfg.baseURL = DefaultBaseURL
	}
	cfg.baseURL = strings.TrimRight(cfg.baseURL, "/")
	if cfg.httpClient == nil {
		cfg.httpClient = http.DefaultClient
	}
	c := &Client{config: cfg}
	c.Employees = &EmployeesService{c}
	c.Scores = &ScoresService{c}
	c.StatusLog = &StatusLogService{c}
	c.Kudos = &KudosService{c}
	c.WorkloadCheckins = &WorkloadCheckinsService{c}
	c.Leave = &LeaveService{c}
	c.WebhookEndpoints = &WebhookEndpointsService{c}
	c.Events = &EventsService{c}
	c.Rooms = &RoomsService{c}
	c.Threads = &ThreadsService{c}
	c.Comments = &CommentsService{c}
	c.Reactions = &ReactionsService{c}
	c.Users = &UsersService{c}
	return c, nil
}

// BaseURL is the API root the client sends to, without a trailing slash.
func (c *Client) BaseURL() string { return c.config.baseURL }

// String returns a pointer to v, for optional parameters.
func String(v string) *string { return &v }

// Int returns a pointer to v, for optional parameters.
func Int(v int64) *int64 { return &v }

// Float returns a pointer to v, for optional parameters.
func Float(v float64) *float64 { return &v }

// Bool returns a pointer to v, for optional parameters.
func Bool(v bool) *bool { return &v }

// Ptr returns a pointer to v: for enum parameters, pulse.Ptr(pulse.EmployeeStatusActive).
func Ptr[T any](v T) *T { return &v }
