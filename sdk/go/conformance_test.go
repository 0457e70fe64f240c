package pulse_test

// The Go SDK against the language-neutral vectors and scenarios in sdk/conformance (see its
// README), as the Python and TypeScript SDKs run them.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pulse "github.com/pulsehr/pulsehr-go"
	"github.com/pulsehr/pulsehr-go/webhook"
)

func loadCases[T any](t *testing.T, file string) []T {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(conformanceDir(), file))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int `json:"version"`
		Cases   []T `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if doc.Version != 1 {
		t.Fatalf("%s: unknown version %d", file, doc.Version)
	}
	if len(doc.Cases) == 0 {
		t.Fatalf("%s: no cases", file)
	}
	return doc.Cases
}

func pascal(kind string) string {
	var b strings.Builder
	for _, part := range strings.Split(kind, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// The pulse.Is<Kind> helpers by name, as errors.json names kinds.
var kindCheckers = map[string]func(error) bool{
	"InvalidRequest":       pulse.IsInvalidRequest,
	"Unauthenticated":      pulse.IsUnauthenticated,
	"PermissionDenied":     pulse.IsPermissionDenied,
	"NotFound":             pulse.IsNotFound,
	"MethodNotAllowed":     pulse.IsMethodNotAllowed,
	"Conflict":             pulse.IsConflict,
	"PayloadTooLarge":      pulse.IsPayloadTooLarge,
	"UnsupportedMediaType": pulse.IsUnsupportedMediaType,
	"UnprocessableEntity":  pulse.IsUnprocessableEntity,
	"RateLimited":          pulse.IsRateLimited,
	"InternalError":        pulse.IsInternalError,
}

func TestConformanceErrors(t *testing.T) {
	type errorCase struct {
		Name     string `json:"name"`
		Status   int    `json:"status"`
		Code     string `json:"code"`
		Envelope bool   `json:"envelope"`
		Kind     string `json:"kind"`
		Go       string `json:"go"`
	}
	for _, c := range loadCases[errorCase](t, "errors.json") {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.Envelope {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(c.Status)
					fmt.Fprintf(w, `{"error": {"code": %q, "message": "m", "request_id": "req_1"}}`, c.Code)
					return
				}
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(c.Status)
				fmt.Fprint(w, "upstream failed")
			}))
			defer server.Close()
			client, err := pulse.NewClient("pk_test_x", pulse.WithBaseURL(server.URL+"/v1"), pulse.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.Employees.ListPage(testContext(t), nil)
			name := c.Go
			if name == "" {
				name = pascal(c.Kind)
			}
			check, ok := kindCheckers[strings.TrimPrefix(name, "Is")]
			if !ok {
				t.Fatalf("no pulse.Is%s", name)
			}
			if !check(err) {
				t.Fatalf("pulse.Is%s(%v) is false", name, err)
			}
			var apiErr *pulse.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("%v is no *pulse.Error", err)
			}
			if apiErr.Code != c.Code || apiErr.Status != c.Status {
				t.Fatalf("code %q status %d, want %q %d", apiErr.Code, apiErr.Status, c.Code, c.Status)
			}
			if c.Envelope && apiErr.RequestID != "req_1" {
				t.Fatalf("request id %q", apiErr.RequestID)
			}
			for other, otherCheck := range kindCheckers {
				if other != strings.TrimPrefix(name, "Is") && otherCheck(err) {
					t.Fatalf("pulse.Is%s is also true", other)
				}
			}
		})
	}
}

func TestConformanceWebhookSignatures(t *testing.T) {
	type signatureCase struct {
		Name      string            `json:"name"`
		Secret    string            `json:"secret"`
		Now       int64             `json:"now"`
		Tolerance *int64            `json:"tolerance"`
		Body      string            `json:"body"`
		Headers   map[string]string `json:"headers"`
		Valid     bool              `json:"valid"`
		Reason    string            `json:"reason"`
	}
	for _, c := range loadCases[signatureCase](t, "webhooks/signatures.json") {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			header := http.Header{}
			for name, value := range c.Headers {
				header.Set(name, value)
			}
			tolerance := webhook.NoTolerance
			if c.Tolerance != nil {
				tolerance = time.Duration(*c.Tolerance) * time.Second
			}
			verifier := webhook.Verifier{Secret: c.Secret, Tolerance: tolerance, Now: func() time.Time { return time.Unix(c.Now, 0) }}
			event, err := verifier.Verify([]byte(c.Body), header)
			if !c.Valid {
				if !errors.Is(err, pulse.ErrWebhookVerification) {
					t.Fatalf("verified, or not a verification error: %v", err)
				}
				var refused *webhook.VerificationError
				if !errors.As(err, &refused) || refused.Reason != c.Reason {
					t.Fatalf("reason %v, want %s", err, c.Reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal([]byte(c.Body), &body)
			if event.ID != body.ID {
				t.Fatalf("event id %q, want %q", event.ID, body.ID)
			}
		})
	}
}

// --- Live scenarios, through the fault server in front of a live server ----------------------

type faultLogEntry struct {
	Method         string  `json:"method"`
	Path           string  `json:"path"`
	IdempotencyKey *string `json:"idempotency_key"`
}

func armFault(t *testing.T, faultURL string, fault json.RawMessage) {
	t.Helper()
	resp, err := http.Post(faultURL+"/__fault/arm", "application/json", bytes.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("arming the fault server: HTTP %d", resp.StatusCode)
	}
}

func faultLog(t *testing.T, faultURL string) []faultLogEntry {
	t.Helper()
	resp, err := http.Get(faultURL + "/__fault/log")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log struct {
		Requests []faultLogEntry `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log.Requests
}

func TestConformanceFaults(t *testing.T) {
	type faultCase struct {
		Name      string          `json:"name"`
		Fault     json.RawMessage `json:"fault"`
		Operation string          `json:"operation"`
		Params    json.RawMessage `json:"params"`
		Expect    struct {
			Outcome            string  `json:"outcome"`
			Requests           int     `json:"requests"`
			SameIdempotencyKey bool    `json:"same_idempotency_key"`
			MinElapsedSeconds  float64 `json:"min_elapsed_seconds"`
		} `json:"expect"`
	}
	cases := loadCases[faultCase](t, "scenarios/faults.json")
	faultURL := setting(t, "PULSE_TEST_FAULT_URL")
	key := setting(t, "PULSE_TEST_KEY")
	for _, c := range cases { // one at a time: the server holds one fault
		t.Run(c.Name, func(t *testing.T) {
			armFault(t, faultURL, c.Fault)
			client, err := pulse.NewClient(key, pulse.WithBaseURL(faultURL+"/v1"), pulse.WithBackoff(50*time.Millisecond, time.Second))
			if err != nil {
				t.Fatal(err)
			}
			ctx := testContext(t)
			started := time.Now()
			switch c.Operation {
			case "employees.create":
				var params pulse.EmployeeCreateParams
				if err := json.Unmarshal(c.Params, &params); err != nil {
					t.Fatal(err)
				}
				_, err = client.Employees.Create(ctx, &params)
			case "employees.list":
				var params pulse.EmployeeListParams
				var raw map[string]any
				_ = json.Unmarshal(c.Params, &raw)
				if limit, ok := raw["limit"].(float64); ok {
					params.Limit = pulse.Int(int64(limit))
				}
				_, err = client.Employees.ListPage(ctx, &params)
			default:
				t.Fatalf("unknown operation %s", c.Operation)
			}
			elapsed := time.Since(started).Seconds()
			if c.Expect.Outcome == "ok" && err != nil {
				t.Fatal(err)
			}
			seen := faultLog(t, faultURL)
			if len(seen) != c.Expect.Requests {
				t.Fatalf("%d requests, want %d: %+v", len(seen), c.Expect.Requests, seen)
			}
			if elapsed < c.Expect.MinElapsedSeconds {
				t.Fatalf("took %.2f s, want at least %.2f s", elapsed, c.Expect.MinElapsedSeconds)
			}
			if c.Expect.SameIdempotencyKey {
				for _, entry := range seen {
					if entry.IdempotencyKey == nil || *entry.IdempotencyKey == "" || *entry.IdempotencyKey != *seen[0].IdempotencyKey {
						t.Fatalf("Idempotency-Keys differ or are missing: %+v", seen)
					}
				}
			}
		})
	}
}

func TestConformanceWorkflows(t *testing.T) {
	type workflowCase struct {
		Name     string                     `json:"name"`
		Workflow string                     `json:"workflow"`
		Params   map[string]json.RawMessage `json:"params"`
		Expect   map[string]json.RawMessage `json:"expect"`
	}
	cases := loadCases[workflowCase](t, "scenarios/workflows.json")
	client := liveClient(t)
	for _, c := range cases {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			ctx := testContext(t)
			switch c.Workflow {
			case "update_with_if_match":
				var create pulse.EmployeeCreateParams
				var update, stale pulse.EmployeeUpdateParams
				var expect struct {
					Role        string `json:"role"`
					VersionStep int64  `json:"version_step"`
					StaleError  string `json:"stale_error"`
					StaleStatus int    `json:"stale_status"`
				}
				mustDecode(t, c.Params["create"], &create)
				mustDecode(t, c.Params["update"], &update)
				mustDecode(t, c.Params["stale_update"], &stale)
				raw, _ := json.Marshal(c.Expect)
				mustDecode(t, raw, &expect)
				created, err := client.Employees.Create(ctx, &create)
				if err != nil {
					t.Fatal(err)
				}
				updated, err := client.Employees.Update(ctx, created.ID, &update, pulse.IfMatch(created.Version))
				if err != nil {
					t.Fatal(err)
				}
				if updated.Role != expect.Role || updated.Version != created.Version+expect.VersionStep {
					t.Fatalf("updated to %q v%d", updated.Role, updated.Version)
				}
				_, err = client.Employees.Update(ctx, created.ID, &stale, pulse.IfMatch(created.Version))
				var apiErr *pulse.Error
				if !errors.As(err, &apiErr) || apiErr.Code != expect.StaleError || apiErr.Status != expect.StaleStatus {
					t.Fatalf("a stale update gave %v", err)
				}
				again, err := client.Employees.Retrieve(ctx, created.ID)
				if err != nil {
					t.Fatal(err)
				}
				if again.Role != expect.Role || again.Version != updated.Version {
					t.Fatalf("the stale update changed the employee: %q v%d", again.Role, again.Version)
				}
			case "list_walk_with_inserts":
				var params struct {
					Initial   int    `json:"initial"`
					Limit     int64  `json:"limit"`
					Inserted  int    `json:"inserted"`
					StartDate string `json:"start_date"`
				}
				raw, _ := json.Marshal(c.Params)
				mustDecode(t, raw, &params)
				var expect struct {
					Seen int `json:"seen"`
				}
				raw, _ = json.Marshal(c.Expect)
				mustDecode(t, raw, &expect)
				department := "conformance-" + unique()
				want := map[string]int{}
				add := func(n int) {
					for i := 0; i < n; i++ {
						e, err := client.Employees.Create(ctx, &pulse.EmployeeCreateParams{
							FullName:   pulse.String(fmt.Sprintf("Walker %d", len(want))),
							StartDate:  pulse.String(params.StartDate),
							Department: pulse.String(department),
						})
						if err != nil {
							t.Fatal(err)
						}
						want[e.ID] = 0
					}
				}
				add(params.Initial)
				it := client.Employees.List(ctx, &pulse.EmployeeListParams{Department: pulse.String(department), Limit: pulse.Int(params.Limit)})
				seen := 0
				for it.Next() {
					seen++
					if _, ok := want[it.Current().ID]; !ok {
						t.Fatalf("an employee of another department: %+v", it.Current())
					}
					want[it.Current().ID]++
					if seen == int(params.Limit) {
						add(params.Inserted) // between the first and the second page
					}
				}
				if err := it.Err(); err != nil {
					t.Fatal(err)
				}
				if seen != expect.Seen {
					t.Fatalf("saw %d, want %d", seen, expect.Seen)
				}
				for id, count := range want {
					if count != 1 {
						t.Fatalf("%s seen %d times", id, count)
					}
				}
			default:
				t.Fatalf("unknown workflow %s", c.Workflow)
			}
		})
	}
}

func mustDecode(t *testing.T, raw []byte, into any) {
	t.Helper()
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
}
