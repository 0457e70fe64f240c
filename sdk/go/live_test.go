package pulse_test

// Every service against a live PulseHR server (started by tests/sdk_go): what a Go integrator
// does, end to end.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	pulse "github.com/pulsehr/pulsehr-go"
)

func newEmployee(t *testing.T, ctx context.Context, client *pulse.Client) *pulse.Employee {
	t.Helper()
	e, err := client.Employees.Create(ctx, &pulse.EmployeeCreateParams{
		FullName:  pulse.String("Go Tester " + unique()),
		StartDate: pulse.String("2024-01-08"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func collect[T any](t *testing.T, it *pulse.Iter[T]) []T {
	t.Helper()
	var items []T
	for it.Next() {
		items = append(items, it.Current())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestLiveEmployees(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	department := "Go " + unique()
	created, err := client.Employees.Create(ctx, &pulse.EmployeeCreateParams{
		FullName:     pulse.String("Grace Hopper"),
		Email:        pulse.String(unique() + "@example.com"),
		StartDate:    pulse.String("2024-01-08"),
		Department:   pulse.String(department),
		CustomFields: map[string]any{"shirt": "M"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ID, "emp_") || created.Status != pulse.EmployeeStatusActive || created.CustomFields["shirt"] != "M" {
		t.Fatalf("created %+v", created)
	}
	// This server runs without a rate limit, so it sends no X-RateLimit-Remaining (-1).
	if r := created.LastResponse; r.StatusCode != 201 || !strings.HasPrefix(r.RequestID, "req_") || r.ETag != `"1"` || r.RateLimitRemaining != -1 {
		t.Fatalf("LastResponse %+v", r)
	}

	manager := newEmployee(t, ctx, client)
	updated, err := client.Employees.Update(ctx, created.ID, &pulse.EmployeeUpdateParams{
		Role: pulse.String("Rear admiral"), ManagerID: pulse.String(manager.ID),
	}, pulse.IfMatch(created.Version))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Role != "Rear admiral" || *updated.ManagerID != manager.ID || updated.Version != created.Version+1 {
		t.Fatalf("updated %+v", updated)
	}
	cleared, err := client.Employees.Update(ctx, created.ID, &pulse.EmployeeUpdateParams{NullFields: []string{"ManagerID"}}, pulse.IfMatch(updated.LastResponse.ETag))
	if err != nil {
		t.Fatal(err)
	}
	if cleared.ManagerID != nil {
		t.Fatalf("manager not cleared: %v", *cleared.ManagerID)
	}
	_, err = client.Employees.Update(ctx, created.ID, &pulse.EmployeeUpdateParams{Role: pulse.String("Stale")}, pulse.IfMatch(created.Version))
	if !pulse.IsConflict(err) {
		t.Fatalf("a stale update gave %v", err)
	}

	listed := collect(t, client.Employees.List(ctx, &pulse.EmployeeListParams{Department: pulse.String(department)}))
	if len(listed) != 1 || listed[0].ID != created.ID {
		t.Fatalf("listed %+v", listed)
	}
	page, err := client.Employees.ListPage(ctx, &pulse.EmployeeListParams{Department: pulse.String(department), Limit: pulse.Int(1)})
	if err != nil || page.TotalCount != 1 || page.HasMore() || page.LastResponse.StatusCode != 200 {
		t.Fatalf("page %+v, %v", page, err)
	}

	offboarded, err := client.Employees.Delete(ctx, created.ID, pulse.IfMatch(cleared.Version))
	if err != nil || offboarded.EndDate == nil {
		t.Fatalf("offboarded %+v, %v", offboarded, err)
	}
}

func TestLiveErrors(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	_, err := client.Employees.Retrieve(ctx, "emp_01HZZZZZZZZZZZZZZZZZZZZZZZ")
	var apiErr *pulse.Error
	if !pulse.IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Status != 404 || !strings.HasPrefix(apiErr.RequestID, "req_") {
		t.Fatalf("got %v", err)
	}
	_, err = client.Employees.Create(ctx, &pulse.EmployeeCreateParams{FullName: pulse.String("No start")})
	if !pulse.IsInvalidRequest(err) || !errors.As(err, &apiErr) || len(apiErr.Fields) != 1 || apiErr.Fields[0] != "start_date" {
		t.Fatalf("got %v", err)
	}
	_, err = client.Employees.ListPage(ctx, &pulse.EmployeeListParams{Status: pulse.Ptr(pulse.EmployeeStatus("retired"))})
	if !pulse.IsInvalidRequest(err) || !strings.Contains(err.Error(), "active") {
		t.Fatalf("a refused choice should name the allowed values: %v", err)
	}
	bad, _ := pulse.NewClient("pk_test_not_a_key", pulse.WithBaseURL(client.BaseURL()))
	if _, err := bad.Employees.ListPage(ctx, nil); !pulse.IsUnauthenticated(err) {
		t.Fatalf("got %v", err)
	}
	readonly, _ := pulse.NewClient(setting(t, "PULSE_TEST_READONLY_KEY"), pulse.WithBaseURL(client.BaseURL()))
	if _, err := readonly.Employees.Create(ctx, &pulse.EmployeeCreateParams{FullName: pulse.String("x"), StartDate: pulse.String("2024-01-08")}); !pulse.IsPermissionDenied(err) {
		t.Fatalf("got %v", err)
	}
}

func TestLiveStatusLogKudosWorkload(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	author, colleague := newEmployee(t, ctx, client), newEmployee(t, ctx, client)
	entry, err := client.StatusLog.Create(ctx, &pulse.StatusLogCreateParams{
		EmployeeID: pulse.String(author.ID),
		Lines:      []string{"Shipped the Go SDK.", "Reviewing the conformance suite.", "Pairing on leave."},
	})
	if err != nil {
		t.Fatal(err)
	}
	again, err := client.StatusLog.Retrieve(ctx, entry.ID)
	if err != nil || again.Lines[0] != "Shipped the Go SDK." {
		t.Fatalf("%+v %v", again, err)
	}
	if got := collect(t, client.StatusLog.List(ctx, &pulse.StatusLogListParams{EmployeeID: pulse.String(author.ID)})); len(got) != 1 || got[0].ID != entry.ID {
		t.Fatalf("listed %+v", got)
	}

	kudos, err := client.Kudos.Create(ctx, &pulse.KudosCreateParams{
		FromEmployeeID: pulse.String(author.ID), ToEmployeeID: pulse.String(colleague.ID),
		Coins: pulse.Int(10), Tag: pulse.String("craft"), Note: pulse.String("Fixed the flaky test."),
	})
	if err != nil || kudos.Coins != 10 {
		t.Fatalf("%+v %v", kudos, err)
	}
	if got := collect(t, client.Kudos.List(ctx, &pulse.KudosListParams{ToEmployeeID: pulse.String(colleague.ID)})); len(got) != 1 || got[0].ID != kudos.ID {
		t.Fatalf("listed %+v", got)
	}

	today := time.Now().UTC()
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7)).Format("2006-01-02")
	checkin, err := client.WorkloadCheckins.Create(ctx, &pulse.WorkloadCheckinCreateParams{
		EmployeeID: pulse.String(author.ID), WeekStart: pulse.String(monday), Level: pulse.Ptr(pulse.WorkloadLevelHeavy),
	})
	if err != nil || checkin.Level != pulse.WorkloadLevelHeavy {
		t.Fatalf("%+v %v", checkin, err)
	}
	if got := collect(t, client.WorkloadCheckins.List(ctx, &pulse.WorkloadCheckinListParams{EmployeeID: pulse.String(author.ID)})); len(got) != 1 {
		t.Fatalf("listed %+v", got)
	}
}

func TestLiveLeave(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	employee := newEmployee(t, ctx, client)
	year := time.Now().UTC().Year() + 1
	leave, err := client.Leave.Create(ctx, &pulse.LeaveCreateParams{
		EmployeeID: pulse.String(employee.ID), Kind: pulse.Ptr(pulse.LeaveKindVacation),
		StartDate: pulse.String(fmt.Sprintf("%d-03-02", year)), EndDate: pulse.String(fmt.Sprintf("%d-03-03", year)),
		Note: pulse.String("Ski"),
	})
	if err != nil || !strings.HasPrefix(leave.ID, "lv_") || leave.Days <= 0 {
		t.Fatalf("%+v %v", leave, err)
	}
	balance, err := client.Leave.Balance(ctx, employee.ID, &pulse.LeaveBalanceParams{Year: pulse.Int(int64(year))})
	if err != nil || balance.Year != int64(year) {
		t.Fatalf("%+v %v", balance, err)
	}
	for _, b := range balance.Balances {
		if b.Kind == pulse.LeaveKindVacation && b.Planned != leave.Days {
			t.Fatalf("planned %v, want %v", b.Planned, leave.Days)
		}
	}
	_, err = client.Leave.Create(ctx, &pulse.LeaveCreateParams{
		EmployeeID: pulse.String(employee.ID), Kind: pulse.Ptr(pulse.LeaveKindVacation),
		StartDate: pulse.String(fmt.Sprintf("%d-04-01", year)), EndDate: pulse.String(fmt.Sprintf("%d-07-31", year)),
	})
	var apiErr *pulse.Error
	if !pulse.IsUnprocessableEntity(err) || !errors.As(err, &apiErr) || apiErr.Fields[0] != "end_date" {
		t.Fatalf("an overdraw gave %v", err)
	}

	if _, err := client.Leave.Delete(ctx, leave.ID, pulse.IfMatch(leave.Version+1)); !pulse.IsConflict(err) {
		t.Fatalf("got %v", err)
	}
	cancelled, err := client.Leave.Delete(ctx, leave.ID, pulse.IfMatch(leave.Version))
	if err != nil || cancelled.Status != pulse.LeaveStatusCancelled {
		t.Fatalf("%+v %v", cancelled, err)
	}

	entry, err := client.Leave.Adjust(ctx, &pulse.LeaveAdjustmentParams{
		EmployeeID: pulse.String(employee.ID), Kind: pulse.Ptr(pulse.LeaveKindVacation),
		Amount: pulse.Float(1.5), Reason: pulse.String("Worked the launch weekend"),
	})
	if err != nil || entry.EntryType != pulse.LedgerEntryKindAdjustment {
		t.Fatalf("%+v %v", entry, err)
	}
	found := false
	for _, e := range collect(t, client.Leave.Ledger(ctx, &pulse.LedgerListParams{EmployeeID: pulse.String(employee.ID), Kind: pulse.Ptr(pulse.LeaveKindVacation)})) {
		found = found || (e.ID == entry.ID && e.Reason != nil && *e.Reason == "Worked the launch weekend")
	}
	if !found {
		t.Fatal("the adjustment is not in the ledger")
	}
	out, err := client.Leave.WhosOut(ctx, nil)
	if err != nil || len(out.Days) == 0 {
		t.Fatalf("%+v %v", out, err)
	}
	sick, err := client.Leave.Create(ctx, &pulse.LeaveCreateParams{
		EmployeeID: pulse.String(employee.ID), Kind: pulse.Ptr(pulse.LeaveKindSick),
		StartDate: pulse.String("2025-03-03"), EndDate: pulse.String("2025-03-03"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Leave.Approve(ctx, sick.ID, &pulse.LeaveDecisionParams{Reason: pulse.String("Get well")}); !pulse.IsUnprocessableEntity(err) {
		t.Fatalf("approving decided leave gave %v", err)
	}
	if _, err := client.Leave.Reject(ctx, sick.ID, nil); !pulse.IsUnprocessableEntity(err) {
		t.Fatalf("rejecting decided leave gave %v", err)
	}
}

func TestLiveScores(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	person, colleague := newEmployee(t, ctx, client), newEmployee(t, ctx, client)
	if _, err := client.Kudos.Create(ctx, &pulse.KudosCreateParams{FromEmployeeID: pulse.String(colleague.ID), ToEmployeeID: pulse.String(person.ID), Coins: pulse.Int(5)}); err != nil {
		t.Fatal(err)
	}
	score, err := client.Employees.Score(ctx, person.ID, nil)
	if err != nil || score.EmployeeID != person.ID || len(score.Factors) != 4 || score.Factors[0].Key != pulse.ScoreFactorKeyRecognition {
		t.Fatalf("%+v %v", score, err)
	}
	if history := collect(t, client.Employees.ScoreHistory(ctx, person.ID, nil)); len(history) != 0 {
		t.Fatalf("history %+v", history)
	}
	groups, err := client.Scores.Groups(ctx, &pulse.ScoreGroupsParams{By: pulse.Ptr(pulse.ScoreGroupByDepartment)})
	if err != nil || groups.By != pulse.ScoreGroupByDepartment || groups.MinGroupSize < 3 {
		t.Fatalf("%+v %v", groups, err)
	}
}

func TestLiveWebhookEndpointsAndEvents(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	endpoint, err := client.WebhookEndpoints.Create(ctx, &pulse.WebhookEndpointCreateParams{
		URL: pulse.String("http://127.0.0.1:9/hook"), EnabledEvents: []string{string(pulse.EventTypeEmployeeCreated)},
	})
	if err != nil || !strings.HasPrefix(endpoint.Secret, "whsec_") {
		t.Fatalf("%+v %v", endpoint, err)
	}
	updated, err := client.WebhookEndpoints.Update(ctx, endpoint.ID, &pulse.WebhookEndpointUpdateParams{Description: pulse.String("CRM sync")}, pulse.IfMatch(endpoint.Version))
	if err != nil || updated.Description != "CRM sync" {
		t.Fatalf("%+v %v", updated, err)
	}
	rotated, err := client.WebhookEndpoints.RotateSecret(ctx, endpoint.ID)
	if err != nil || rotated.Secret == endpoint.Secret {
		t.Fatalf("%+v %v", rotated, err)
	}
	ping, err := client.WebhookEndpoints.Test(ctx, endpoint.ID)
	if err != nil || ping.EndpointID != endpoint.ID || !strings.HasPrefix(ping.ID, "del_") {
		t.Fatalf("%+v %v", ping, err)
	}

	employee := newEmployee(t, ctx, client)
	var event *pulse.Event
	it := client.Events.List(ctx, &pulse.EventListParams{Type: pulse.String(string(pulse.EventTypeEmployeeCreated))})
	for event == nil && it.Next() {
		e := it.Current()
		data, err := e.DecodeData()
		if err != nil {
			t.Fatal(err)
		}
		if data.(*pulse.Employee).ID == employee.ID {
			event = &e
		}
	}
	if it.Err() != nil || event == nil {
		t.Fatalf("the employee.created event is not listed: %v", it.Err())
	}
	detail, err := client.Events.Retrieve(ctx, event.ID)
	if err != nil || len(detail.Deliveries) == 0 {
		t.Fatalf("%+v %v", detail, err)
	}
	replayed, err := client.Events.Replay(ctx, event.ID, &pulse.EventReplayParams{EndpointID: pulse.String(endpoint.ID)})
	if err != nil || len(replayed) != 1 || replayed[0].EndpointID != endpoint.ID {
		t.Fatalf("%+v %v", replayed, err)
	}
	if err := client.WebhookEndpoints.Delete(ctx, endpoint.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.WebhookEndpoints.Retrieve(ctx, endpoint.ID); !pulse.IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
}

func TestLiveCollaboration(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	author, colleague := newEmployee(t, ctx, client), newEmployee(t, ctx, client)
	roomID := "design-review-" + unique()
	thread, err := client.Threads.Create(ctx, roomID, &pulse.ThreadCreateParams{
		Comment:  &pulse.CommentInputParams{Body: pulse.String("First pass ready"), AuthorID: pulse.String(author.ID)},
		Metadata: map[string]any{"page": 2},
	})
	if err != nil || !strings.HasPrefix(thread.ID, "thr_") || thread.RoomID != roomID || thread.CreatedBy != author.ID {
		t.Fatalf("%+v %v", thread, err)
	}
	if got := collect(t, client.Threads.List(ctx, roomID, nil)); len(got) != 1 || got[0].ID != thread.ID {
		t.Fatalf("threads %+v", got)
	}
	room, err := client.Rooms.Retrieve(ctx, roomID)
	if err != nil || room.ID != roomID || len(room.Threads) != 1 {
		t.Fatalf("%+v %v", room, err)
	}
	found := false
	for _, r := range collect(t, client.Rooms.List(ctx, nil)) {
		found = found || r.ID == roomID
	}
	if !found {
		t.Fatal("the room is not listed")
	}
	presence, err := client.Rooms.Presence(ctx, roomID)
	if err != nil || len(presence.Data) != 0 {
		t.Fatalf("%+v %v", presence, err)
	}

	comment, err := client.Comments.Create(ctx, thread.ID, &pulse.CommentCreateParams{
		Body: pulse.String("Looks good @" + author.ID), AuthorID: pulse.String(colleague.ID),
	})
	if err != nil || len(comment.Mentions) != 1 || comment.Mentions[0] != author.ID {
		t.Fatalf("%+v %v", comment, err)
	}
	if got := collect(t, client.Comments.List(ctx, thread.ID, nil)); len(got) != 2 {
		t.Fatalf("comments %+v", got)
	}
	edited, err := client.Comments.Update(ctx, comment.ID, &pulse.CommentUpdateParams{Body: pulse.String("Looks great")}, pulse.IfMatch(comment.Version))
	if err != nil || edited.Body != "Looks great" || edited.EditedAt == nil {
		t.Fatalf("%+v %v", edited, err)
	}
	if _, err := client.Comments.Update(ctx, comment.ID, &pulse.CommentUpdateParams{Body: pulse.String("Stale")}, pulse.IfMatch(comment.Version)); !pulse.IsConflict(err) {
		t.Fatalf("got %v", err)
	}

	reaction, err := client.Reactions.Create(ctx, comment.ID, &pulse.ReactionCreateParams{Emoji: pulse.String("👍"), UserID: pulse.String(author.ID)})
	if err != nil || !strings.HasPrefix(reaction.ID, "rct_") {
		t.Fatalf("%+v %v", reaction, err)
	}
	same, err := client.Reactions.Create(ctx, comment.ID, &pulse.ReactionCreateParams{Emoji: pulse.String("👍"), UserID: pulse.String(author.ID)})
	if err != nil || same.ID != reaction.ID {
		t.Fatalf("%+v %v", same, err)
	}
	if err := client.Reactions.Delete(ctx, reaction.ID); err != nil {
		t.Fatal(err)
	}
	if again, err := client.Comments.Retrieve(ctx, comment.ID); err != nil || len(again.Reactions) != 0 {
		t.Fatalf("%+v %v", again, err)
	}

	resolved, err := client.Threads.Update(ctx, thread.ID, &pulse.ThreadUpdateParams{Resolved: pulse.Bool(true), ResolvedBy: pulse.String(author.ID)}, pulse.IfMatch(thread.Version))
	if err != nil || !resolved.Resolved {
		t.Fatalf("%+v %v", resolved, err)
	}

	token, err := client.Rooms.CreateToken(ctx, roomID, &pulse.RoomTokenCreateParams{UserID: pulse.String(colleague.ID), TTLSeconds: pulse.Int(600)})
	if err != nil || !strings.HasPrefix(token.Token, "rt_") {
		t.Fatalf("%+v %v", token, err)
	}
	asBrowser, _ := pulse.NewClient(token.Token, pulse.WithBaseURL(client.BaseURL()))
	own, err := asBrowser.Comments.Create(ctx, thread.ID, &pulse.CommentCreateParams{Body: pulse.String("From the widget")})
	if err != nil || own.AuthorID != colleague.ID {
		t.Fatalf("%+v %v", own, err)
	}
	if err := client.Comments.Delete(ctx, own.ID); err != nil {
		t.Fatal(err)
	}
	if err := client.Threads.Delete(ctx, thread.ID, pulse.IfMatch(resolved.Version)); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Threads.Retrieve(ctx, thread.ID); !pulse.IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
	users := collect(t, client.Users.List(ctx, &pulse.UserListParams{Q: pulse.String(author.FullName)}))
	if len(users) != 1 || users[0].ID != author.ID || users[0].Name != author.FullName {
		t.Fatalf("users %+v", users)
	}
}

func TestLiveRawRequest(t *testing.T) {
	client, ctx := liveClient(t), testContext(t)
	var page pulse.List[pulse.Employee]
	resp, err := client.Do(ctx, "GET", "/employees", map[string][]string{"limit": {"1"}}, nil, &page)
	if err != nil || resp.StatusCode != 200 || len(page.Data) > 1 {
		t.Fatalf("%+v %v", resp, err)
	}
}
