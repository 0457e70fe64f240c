package pulse_test

// The request core against httptest servers: what is sent (headers, bodies, queries), the retry
// policy, pagination, and what comes back (errors, response metadata).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	pulse "github.com/pulsehr/pulsehr-go"
)

type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
}

// recorder answers each request with the next of answers (the last one repeats) and keeps
// what it was sent.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
}

func serve(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) (*pulse.Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		n := len(rec.requests)
		rec.requests = append(rec.requests, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
		rec.mu.Unlock()
		answers[min(n, len(answers)-1)](w, r)
	}))
	t.Cleanup(server.Close)
	client, err := pulse.NewClient("pk_test_unit", pulse.WithBaseURL(server.URL+"/v1/"), pulse.WithBackoff(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return client, rec
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func jsonAnswer(status int, body string, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

const employeeJSON = `{"id": "emp_1", "full_name": "Ada", "email": null, "role": "", "department": "R&D",
 "manager_id": null, "start_date": "2024-01-08", "end_date": null, "location": "", "custom_fields": {"shirt": "M"},
 "status": "active", "version": 3, "created_at": "2024-01-08T09:00:00Z", "updated_at": "2024-01-08T09:00:00Z"}`

func TestNewClientNeedsAKey(t *testing.T) {
	t.Setenv("PULSE_API_KEY", "")
	_, err := pulse.NewClient("")
	var apiErr *pulse.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "configuration" || !strings.Contains(err.Error(), "PULSE_API_KEY") {
		t.Fatalf("got %v", err)
	}
}

func TestEnvironmentDefaults(t *testing.T) {
	client, rec := serve(t, jsonAnswer(200, employeeJSON))
	t.Setenv("PULSE_API_KEY", "pk_test_from_env")
	t.Setenv("PULSE_API_BASE", client.BaseURL())
	fromEnv, err := pulse.NewClient("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fromEnv.Employees.Retrieve(context.Background(), "emp_1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.requests[0].Header.Get("Authorization"); got != "Bearer pk_test_from_env" {
		t.Fatalf("Authorization %q", got)
	}
}

func TestRetrieveDecodesAndKeepsTheResponse(t *testing.T) {
	client, rec := serve(t, jsonAnswer(200, employeeJSON, "X-Request-Id", "req_9", "X-RateLimit-Remaining", "41", "ETag", `"3"`))
	e, err := client.Employees.Retrieve(context.Background(), "emp/1")
	if err != nil {
		t.Fatal(err)
	}
	if e.FullName != "Ada" || e.Email != nil || e.Version != 3 || e.Status != pulse.EmployeeStatusActive || e.CustomFields["shirt"] != "M" {
		t.Fatalf("decoded %+v", e)
	}
	r := e.LastResponse
	if r == nil || r.StatusCode != 200 || r.RequestID != "req_9" || r.RateLimitRemaining != 41 || r.ETag != `"3"` {
		t.Fatalf("LastResponse %+v", r)
	}
	got := rec.requests[0]
	if got.Method != "GET" || got.Path != "/v1/employees/emp%2F1" && got.Path != "/v1/employees/emp/1" {
		t.Fatalf("sent %s %s", got.Method, got.Path)
	}
	if got.Header.Get("Authorization") != "Bearer pk_test_unit" || !strings.HasPrefix(got.Header.Get("User-Agent"), "pulsehr-go/") {
		t.Fatalf("headers %v", got.Header)
	}
	if got.Header.Get("Idempotency-Key") != "" {
		t.Fatal("a GET carries no Idempotency-Key")
	}
}

func TestParamsSendWhatIsSetAndNamedNulls(t *testing.T) {
	client, rec := serve(t, jsonAnswer(200, employeeJSON))
	_, err := client.Employees.Update(context.Background(), "emp_1", &pulse.EmployeeUpdateParams{
		Role:         pulse.String(""),
		CustomFields: map[string]any{},
		NullFields:   []string{"ManagerID"},
	}, pulse.IfMatch(3))
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(rec.requests[0].Body), &sent); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"role": "", "custom_fields": map[string]any{}, "manager_id": nil}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", sent, want)
	}
	if got := rec.requests[0].Header.Get("If-Match"); got != `"3"` {
		t.Fatalf("If-Match %q", got)
	}
	if got := rec.requests[0].Header.Get("Content-Type"); got != "application/json" {
		t.Fatalf("Content-Type %q", got)
	}
}

func TestAnUnknownNullFieldIsRefusedBeforeSending(t *testing.T) {
	client, rec := serve(t, jsonAnswer(200, employeeJSON))
	_, err := client.Employees.Update(context.Background(), "emp_1", &pulse.EmployeeUpdateParams{NullFields: []string{"Manager"}})
	if err == nil || !strings.Contains(err.Error(), `no field "Manager"`) {
		t.Fatalf("got %v", err)
	}
	if len(rec.requests) != 0 {
		t.Fatal("a request was sent")
	}
}

func TestQueryParams(t *testing.T) {
	client, rec := serve(t, jsonAnswer(200, `{"data": [], "next_cursor": null, "total_count": 0}`))
	_, err := client.Employees.ListPage(context.Background(), &pulse.EmployeeListParams{
		Department: pulse.String("R&D"), Status: pulse.Ptr(pulse.EmployeeStatusFormer), Limit: pulse.Int(5),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.requests[0].Query; got != "department=R%26D&limit=5&status=former" {
		t.Fatalf("query %q", got)
	}
}

func TestIterFollowsCursorsLazily(t *testing.T) {
	client, rec := serve(t,
		jsonAnswer(200, `{"data": [{"id": "emp_1"}, {"id": "emp_2"}], "next_cursor": "c2", "total_count": 3}`),
		jsonAnswer(200, `{"data": [{"id": "emp_3"}], "next_cursor": null, "total_count": 3}`),
	)
	it := client.Employees.List(context.Background(), &pulse.EmployeeListParams{Limit: pulse.Int(2)})
	if len(rec.requests) != 0 {
		t.Fatal("List fetched before Next")
	}
	var ids []string
	for it.Next() {
		ids = append(ids, it.Current().ID)
		if len(ids) == 1 && len(rec.requests) != 1 {
			t.Fatal("the second page was fetched early")
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "emp_1,emp_2,emp_3" || it.Page().TotalCount != 3 {
		t.Fatalf("walked %v", ids)
	}
	if rec.requests[1].Query != "cursor=c2&limit=2" {
		t.Fatalf("second page query %q", rec.requests[1].Query)
	}
}

func TestIterStopsOnAnError(t *testing.T) {
	client, _ := serve(t,
		jsonAnswer(200, `{"data": [{"id": "emp_1"}], "next_cursor": "c2", "total_count": 2}`),
		jsonAnswer(404, `{"error": {"code": "not_found", "message": "gone", "request_id": "req_2"}}`),
	)
	it := client.Employees.List(context.Background(), nil)
	n := 0
	for it.Next() {
		n++
	}
	if n != 1 || !pulse.IsNotFound(it.Err()) {
		t.Fatalf("n=%d err=%v", n, it.Err())
	}
}

func TestServerErrorsAreRetriedWithTheSameIdempotencyKey(t *testing.T) {
	client, rec := serve(t, jsonAnswer(503, `upstream`), jsonAnswer(500, `{}`), jsonAnswer(201, employeeJSON))
	if _, err := client.Employees.Create(context.Background(), &pulse.EmployeeCreateParams{FullName: pulse.String("Ada")}); err != nil {
		t.Fatal(err)
	}
	if len(rec.requests) != 3 {
		t.Fatalf("%d requests", len(rec.requests))
	}
	key := rec.requests[0].Header.Get("Idempotency-Key")
	if !strings.HasPrefix(key, "pulsehr-go-") {
		t.Fatalf("Idempotency-Key %q", key)
	}
	for _, r := range rec.requests {
		if r.Header.Get("Idempotency-Key") != key {
			t.Fatal("the key changed between attempts")
		}
	}
}

func TestRetriesRunOut(t *testing.T) {
	client, rec := serve(t, jsonAnswer(502, `bad gateway`))
	_, err := client.Employees.ListPage(context.Background(), nil)
	if !pulse.IsInternalError(err) || len(rec.requests) != 3 {
		t.Fatalf("%d requests, %v", len(rec.requests), err)
	}
	_, err = client.Employees.ListPage(context.Background(), nil, pulse.WithCallMaxRetries(0))
	if !pulse.IsInternalError(err) || len(rec.requests) != 4 {
		t.Fatalf("%d requests with no retries", len(rec.requests))
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	client, rec := serve(t, jsonAnswer(422, `{"error": {"code": "unprocessable_entity", "message": "end_date: only 2 days are available", "fields": ["end_date"], "request_id": "req_3"}}`))
	_, err := client.Leave.Create(context.Background(), &pulse.LeaveCreateParams{})
	var apiErr *pulse.Error
	if !errors.As(err, &apiErr) || len(rec.requests) != 1 {
		t.Fatalf("%d requests, %v", len(rec.requests), err)
	}
	if apiErr.Fields[0] != "end_date" || apiErr.RequestID != "req_3" || !strings.Contains(err.Error(), "only 2 days") {
		t.Fatalf("%+v", apiErr)
	}
}

func TestRetryAfterIsWaitedOutOrReturned(t *testing.T) {
	client, rec := serve(t, jsonAnswer(429, `{"error": {"code": "rate_limited", "message": "slow"}}`, "Retry-After", "1"), jsonAnswer(200, employeeJSON))
	started := time.Now()
	if _, err := client.Employees.Retrieve(context.Background(), "emp_1"); err != nil {
		t.Fatal(err)
	}
	if time.Since(started) < time.Second || len(rec.requests) != 2 {
		t.Fatalf("%d requests in %v", len(rec.requests), time.Since(started))
	}

	long, _ := serve(t, jsonAnswer(429, `{"error": {"code": "rate_limited", "message": "slow"}}`, "Retry-After", "120"))
	_, err := long.Employees.Retrieve(context.Background(), "emp_1")
	var apiErr *pulse.Error
	if !errors.As(err, &apiErr) || !pulse.IsRateLimited(err) || apiErr.RetryAfter() != 120*time.Second {
		t.Fatalf("got %v", err)
	}
}

func TestConnectionErrors(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	base := server.URL
	server.Close() // nothing listens there now
	client, _ := pulse.NewClient("pk_test_x", pulse.WithBaseURL(base+"/v1"), pulse.WithBackoff(time.Millisecond, time.Millisecond))
	_, err := client.Employees.Retrieve(context.Background(), "emp_1")
	if !pulse.IsConnectionError(err) || errors.Unwrap(err) == nil {
		t.Fatalf("got %v", err)
	}
}

func TestTimeoutIsPerAttemptAndContextCancels(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	client, rec := serve(t, slow)
	_, err := client.Employees.Retrieve(context.Background(), "emp_1", pulse.WithCallTimeout(50*time.Millisecond), pulse.WithCallMaxRetries(1))
	if !pulse.IsConnectionError(err) || len(rec.requests) != 2 {
		t.Fatalf("%d attempts, %v", len(rec.requests), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = client.Employees.Retrieve(ctx, "emp_1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestAnIdempotencyKeyOfYourOwn(t *testing.T) {
	client, rec := serve(t, jsonAnswer(201, employeeJSON))
	_, err := client.Employees.Create(context.Background(), &pulse.EmployeeCreateParams{FullName: pulse.String("Ada")}, pulse.WithIdempotencyKey("import-42"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.requests[0].Header.Get("Idempotency-Key"); got != "import-42" {
		t.Fatalf("Idempotency-Key %q", got)
	}
}

func TestEventDataIsTypedPerEventType(t *testing.T) {
	var event pulse.Event
	payload := `{"id": "evt_1", "type": "employee.created", "created_at": "2024-01-08T09:00:00Z", "data": ` + employeeJSON + `}`
	if err := json.Unmarshal([]byte(payload), &event); err != nil {
		t.Fatal(err)
	}
	data, err := event.DecodeData()
	if err != nil {
		t.Fatal(err)
	}
	employee, ok := data.(*pulse.Employee)
	if !ok || employee.FullName != "Ada" {
		t.Fatalf("decoded %T %+v", data, data)
	}
	event.Type = "ping"
	event.Data = json.RawMessage(`{"endpoint_id": "whe_1", "message": "hello"}`)
	data, err = event.DecodeData()
	if ping, ok := data.(*pulse.Ping); err != nil || !ok || ping.EndpointID != "whe_1" {
		t.Fatalf("decoded %T %v", data, err)
	}
	event.Type = "something.new"
	if _, err := event.DecodeData(); err == nil {
		t.Fatal("an unknown type decoded")
	}
}
