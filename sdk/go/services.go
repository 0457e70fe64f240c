package pulse

import (
	"context"
	"net/http"
)

// The services: one per resource under /v1, named and shaped as in the Python and TypeScript
// SDKs (List, ListPage, Retrieve, Create, Update, Delete and each resource's own actions).
// Every List returns an *Iter; every ListPage the first page alone (params' Cursor picks
// another). Every call takes CallOptions: IfMatch on updates and deletes, WithIdempotencyKey on
// creates, WithCallHeader, WithCallTimeout, WithCallMaxRetries.

func get[T any](ctx context.Context, c *Client, path string, params any, opts []CallOption) (*T, error) {
	out := new(T)
	if _, err := c.Do(ctx, http.MethodGet, path, encodeQuery(params), nil, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

func send[T any](ctx context.Context, c *Client, method, path string, body any, opts []CallOption) (*T, error) {
	out := new(T)
	if _, err := c.Do(ctx, method, path, nil, body, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// emptyBody is sent where an action takes an optional body and none was given.
var emptyBody = struct{}{}

func bodyOrEmpty[P any](params *P) any {
	if params == nil {
		return emptyBody
	}
	return params
}

// EmployeesService manages employees. Delete offboards (end_date = today if unset) and returns
// the kept record: employees are never deleted.
type EmployeesService struct{ client *Client }

// List walks the employees matching params (nil for all).
func (s *EmployeesService) List(ctx context.Context, params *EmployeeListParams, opts ...CallOption) *Iter[Employee] {
	return newIter[Employee](ctx, s.client, "/employees", encodeQuery(params), opts)
}

// ListPage fetches one page of employees.
func (s *EmployeesService) ListPage(ctx context.Context, params *EmployeeListParams, opts ...CallOption) (*List[Employee], error) {
	return get[List[Employee]](ctx, s.client, "/employees", params, opts)
}

// Retrieve fetches an employee by id (emp_…).
func (s *EmployeesService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*Employee, error) {
	return get[Employee](ctx, s.client, "/employees/"+segment(id), nil, opts)
}

// Create adds an employee; records employee.created.
func (s *EmployeesService) Create(ctx context.Context, params *EmployeeCreateParams, opts ...CallOption) (*Employee, error) {
	return send[Employee](ctx, s.client, http.MethodPost, "/employees", params, opts)
}

// Update changes the fields that are set; with IfMatch(employee.Version) a stale update fails
// with a conflict error. Records employee.updated.
func (s *EmployeesService) Update(ctx context.Context, id string, params *EmployeeUpdateParams, opts ...CallOption) (*Employee, error) {
	return send[Employee](ctx, s.client, http.MethodPatch, "/employees/"+segment(id), params, opts)
}

// Delete offboards the employee and returns the kept record; records employee.offboarded.
func (s *EmployeesService) Delete(ctx context.Context, id string, opts ...CallOption) (*Employee, error) {
	return send[Employee](ctx, s.client, http.MethodDelete, "/employees/"+segment(id), nil, opts)
}

// Score is the Employee Score as of a date (today by default), with each factor explained.
func (s *EmployeesService) Score(ctx context.Context, id string, params *ScoreParams, opts ...CallOption) (*EmployeeScore, error) {
	return get[EmployeeScore](ctx, s.client, "/employees/"+segment(id)+"/score", params, opts)
}

// ScoreHistory walks the weekly score snapshots, oldest first.
func (s *EmployeesService) ScoreHistory(ctx context.Context, id string, params *ScoreHistoryParams, opts ...CallOption) *Iter[ScoreSnapshot] {
	return newIter[ScoreSnapshot](ctx, s.client, "/employees/"+segment(id)+"/score/history", encodeQuery(params), opts)
}

// ScoresService reads the Employee Score of groups.
type ScoresService struct{ client *Client }

// Groups is the score per department or location; groups below the workspace's minimum size
// come back suppressed.
func (s *ScoresService) Groups(ctx context.Context, params *ScoreGroupsParams, opts ...CallOption) (*ScoreGroups, error) {
	return get[ScoreGroups](ctx, s.client, "/scores/groups", params, opts)
}

// StatusLogService manages async standup entries; they are immutable once posted.
type StatusLogService struct{ client *Client }

// List walks the status-log entries matching params.
func (s *StatusLogService) List(ctx context.Context, params *StatusLogListParams, opts ...CallOption) *Iter[StatusLogEntry] {
	return newIter[StatusLogEntry](ctx, s.client, "/status-log", encodeQuery(params), opts)
}

// ListPage fetches one page of status-log entries.
func (s *StatusLogService) ListPage(ctx context.Context, params *StatusLogListParams, opts ...CallOption) (*List[StatusLogEntry], error) {
	return get[List[StatusLogEntry]](ctx, s.client, "/status-log", params, opts)
}

// Retrieve fetches an entry by id (sl_…).
func (s *StatusLogService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*StatusLogEntry, error) {
	return get[StatusLogEntry](ctx, s.client, "/status-log/"+segment(id), nil, opts)
}

// Create posts an entry; records status_log.posted.
func (s *StatusLogService) Create(ctx context.Context, params *StatusLogCreateParams, opts ...CallOption) (*StatusLogEntry, error) {
	return send[StatusLogEntry](ctx, s.client, http.MethodPost, "/status-log", params, opts)
}

// KudosService manages kudos.
type KudosService struct{ client *Client }

// List walks the kudos matching params.
func (s *KudosService) List(ctx context.Context, params *KudosListParams, opts ...CallOption) *Iter[Kudos] {
	return newIter[Kudos](ctx, s.client, "/kudos", encodeQuery(params), opts)
}

// ListPage fetches one page of kudos.
func (s *KudosService) ListPage(ctx context.Context, params *KudosListParams, opts ...CallOption) (*List[Kudos], error) {
	return get[List[Kudos]](ctx, s.client, "/kudos", params, opts)
}

// Create awards kudos, within the giver's allowance; records kudos.awarded.
func (s *KudosService) Create(ctx context.Context, params *KudosCreateParams, opts ...CallOption) (*Kudos, error) {
	return send[Kudos](ctx, s.client, http.MethodPost, "/kudos", params, opts)
}

// WorkloadCheckinsService manages weekly workload check-ins.
type WorkloadCheckinsService struct{ client *Client }

// List walks the check-ins matching params.
func (s *WorkloadCheckinsService) List(ctx context.Context, params *WorkloadCheckinListParams, opts ...CallOption) *Iter[WorkloadCheckin] {
	return newIter[WorkloadCheckin](ctx, s.client, "/workload-checkins", encodeQuery(params), opts)
}

// ListPage fetches one page of check-ins.
func (s *WorkloadCheckinsService) ListPage(ctx context.Context, params *WorkloadCheckinListParams, opts ...CallOption) (*List[WorkloadCheckin], error) {
	return get[List[WorkloadCheckin]](ctx, s.client, "/workload-checkins", params, opts)
}

// Create records a check-in; records workload.recorded.
func (s *WorkloadCheckinsService) Create(ctx context.Context, params *WorkloadCheckinCreateParams, opts ...CallOption) (*WorkloadCheckin, error) {
	return send[WorkloadCheckin](ctx, s.client, http.MethodPost, "/workload-checkins", params, opts)
}

// LeaveService manages leave requests, their approval, the ledger and balances. Delete cancels
// the leave and returns it.
type LeaveService struct{ client *Client }

// List walks the leave requests matching params.
func (s *LeaveService) List(ctx context.Context, params *LeaveListParams, opts ...CallOption) *Iter[Leave] {
	return newIter[Leave](ctx, s.client, "/leave", encodeQuery(params), opts)
}

// ListPage fetches one page of leave requests.
func (s *LeaveService) ListPage(ctx context.Context, params *LeaveListParams, opts ...CallOption) (*List[Leave], error) {
	return get[List[Leave]](ctx, s.client, "/leave", params, opts)
}

// Retrieve fetches a leave request by id (lv_…).
func (s *LeaveService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*Leave, error) {
	return get[Leave](ctx, s.client, "/leave/"+segment(id), nil, opts)
}

// Create requests leave; beyond what is available it fails with unprocessable_entity naming
// end_date (or hours). Records leave.logged.
func (s *LeaveService) Create(ctx context.Context, params *LeaveCreateParams, opts ...CallOption) (*Leave, error) {
	return send[Leave](ctx, s.client, http.MethodPost, "/leave", params, opts)
}

// Delete cancels the leave and returns it; records leave.cancelled.
func (s *LeaveService) Delete(ctx context.Context, id string, opts ...CallOption) (*Leave, error) {
	return send[Leave](ctx, s.client, http.MethodDelete, "/leave/"+segment(id), nil, opts)
}

// Approve approves pending leave, with an optional reason (params may be nil); records
// leave.approved.
func (s *LeaveService) Approve(ctx context.Context, id string, params *LeaveDecisionParams, opts ...CallOption) (*Leave, error) {
	return send[Leave](ctx, s.client, http.MethodPost, "/leave/"+segment(id)+"/approve", bodyOrEmpty(params), opts)
}

// Reject rejects pending leave, with an optional reason (params may be nil); records
// leave.rejected.
func (s *LeaveService) Reject(ctx context.Context, id string, params *LeaveDecisionParams, opts ...CallOption) (*Leave, error) {
	return send[Leave](ctx, s.client, http.MethodPost, "/leave/"+segment(id)+"/reject", bodyOrEmpty(params), opts)
}

// Ledger walks the ledger's entries behind every balance (grants, accruals, carry-over,
// expiry, adjustments, taken and reversed).
func (s *LeaveService) Ledger(ctx context.Context, params *LedgerListParams, opts ...CallOption) *Iter[LedgerEntry] {
	return newIter[LedgerEntry](ctx, s.client, "/leave/ledger", encodeQuery(params), opts)
}

// Adjust adds to (or, with a negative amount, takes from) what an employee may take, with a
// reason; returns the ledger entry and records leave.balance_adjusted.
func (s *LeaveService) Adjust(ctx context.Context, params *LeaveAdjustmentParams, opts ...CallOption) (*LedgerEntry, error) {
	return send[LedgerEntry](ctx, s.client, http.MethodPost, "/leave/adjustments", params, opts)
}

// WhosOut is who is out, day by day (today and the next 14 days by default).
func (s *LeaveService) WhosOut(ctx context.Context, params *WhosOutParams, opts ...CallOption) (*WhosOut, error) {
	return get[WhosOut](ctx, s.client, "/leave/whos-out", params, opts)
}

// Balance is an employee's balance per kind as of a date (today by default).
func (s *LeaveService) Balance(ctx context.Context, employeeID string, params *LeaveBalanceParams, opts ...CallOption) (*LeaveBalance, error) {
	return get[LeaveBalance](ctx, s.client, "/leave/balance/"+segment(employeeID), params, opts)
}

// WebhookEndpointsService manages the endpoints events are delivered to.
type WebhookEndpointsService struct{ client *Client }

// List walks the webhook endpoints.
func (s *WebhookEndpointsService) List(ctx context.Context, params *WebhookEndpointListParams, opts ...CallOption) *Iter[WebhookEndpoint] {
	return newIter[WebhookEndpoint](ctx, s.client, "/webhook-endpoints", encodeQuery(params), opts)
}

// ListPage fetches one page of webhook endpoints.
func (s *WebhookEndpointsService) ListPage(ctx context.Context, params *WebhookEndpointListParams, opts ...CallOption) (*List[WebhookEndpoint], error) {
	return get[List[WebhookEndpoint]](ctx, s.client, "/webhook-endpoints", params, opts)
}

// Retrieve fetches an endpoint by id (whe_…).
func (s *WebhookEndpointsService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*WebhookEndpoint, error) {
	return get[WebhookEndpoint](ctx, s.client, "/webhook-endpoints/"+segment(id), nil, opts)
}

// Create adds an endpoint; its signing Secret is shown only now and by RotateSecret.
func (s *WebhookEndpointsService) Create(ctx context.Context, params *WebhookEndpointCreateParams, opts ...CallOption) (*WebhookEndpointWithSecret, error) {
	return send[WebhookEndpointWithSecret](ctx, s.client, http.MethodPost, "/webhook-endpoints", params, opts)
}

// Update changes the fields that are set.
func (s *WebhookEndpointsService) Update(ctx context.Context, id string, params *WebhookEndpointUpdateParams, opts ...CallOption) (*WebhookEndpoint, error) {
	return send[WebhookEndpoint](ctx, s.client, http.MethodPatch, "/webhook-endpoints/"+segment(id), params, opts)
}

// Delete removes an endpoint.
func (s *WebhookEndpointsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	_, err := s.client.Do(ctx, http.MethodDelete, "/webhook-endpoints/"+segment(id), nil, nil, nil, opts...)
	return err
}

// RotateSecret makes a new secret; the old one keeps signing beside it for 24 hours.
func (s *WebhookEndpointsService) RotateSecret(ctx context.Context, id string, opts ...CallOption) (*WebhookEndpointWithSecret, error) {
	return send[WebhookEndpointWithSecret](ctx, s.client, http.MethodPost, "/webhook-endpoints/"+segment(id)+"/rotate-secret", nil, opts)
}

// Test sends a ping event to this endpoint alone.
func (s *WebhookEndpointsService) Test(ctx context.Context, id string, opts ...CallOption) (*Delivery, error) {
	return send[Delivery](ctx, s.client, http.MethodPost, "/webhook-endpoints/"+segment(id)+"/test", nil, opts)
}

// EventsService reads the events webhooks deliver, and replays them.
type EventsService struct{ client *Client }

// List walks the events matching params, newest first.
func (s *EventsService) List(ctx context.Context, params *EventListParams, opts ...CallOption) *Iter[Event] {
	return newIter[Event](ctx, s.client, "/events", encodeQuery(params), opts)
}

// ListPage fetches one page of events.
func (s *EventsService) ListPage(ctx context.Context, params *EventListParams, opts ...CallOption) (*List[Event], error) {
	return get[List[Event]](ctx, s.client, "/events", params, opts)
}

// Retrieve fetches an event with its deliveries and their attempts.
func (s *EventsService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*EventDetail, error) {
	return get[EventDetail](ctx, s.client, "/events/"+segment(id), nil, opts)
}

// Replay delivers an event again, to params.EndpointID or to every endpoint subscribed now
// (params may be nil); returns the new deliveries.
func (s *EventsService) Replay(ctx context.Context, id string, params *EventReplayParams, opts ...CallOption) ([]Delivery, error) {
	list, err := send[DeliveryList](ctx, s.client, http.MethodPost, "/events/"+segment(id)+"/replay", bodyOrEmpty(params), opts)
	if err != nil {
		return nil, err
	}
	return list.Data, nil
}

// RoomsService reads collaboration rooms: a room comes into being with its first thread.
type RoomsService struct{ client *Client }

// List walks the rooms.
func (s *RoomsService) List(ctx context.Context, params *RoomListParams, opts ...CallOption) *Iter[Room] {
	return newIter[Room](ctx, s.client, "/rooms", encodeQuery(params), opts)
}

// ListPage fetches one page of rooms.
func (s *RoomsService) ListPage(ctx context.Context, params *RoomListParams, opts ...CallOption) (*List[Room], error) {
	return get[List[Room]](ctx, s.client, "/rooms", params, opts)
}

// Retrieve fetches a room with its first threads (oldest first) and their comments.
func (s *RoomsService) Retrieve(ctx context.Context, roomID string, opts ...CallOption) (*RoomDetail, error) {
	return get[RoomDetail](ctx, s.client, "/rooms/"+segment(roomID), nil, opts)
}

// Presence is who is connected to the room's sockets now.
func (s *RoomsService) Presence(ctx context.Context, roomID string, opts ...CallOption) (*Presence, error) {
	return get[Presence](ctx, s.client, "/rooms/"+segment(roomID)+"/presence", nil, opts)
}

// CreateToken makes a short-lived token for a browser to act in this room as params.UserID.
func (s *RoomsService) CreateToken(ctx context.Context, roomID string, params *RoomTokenCreateParams, opts ...CallOption) (*RoomToken, error) {
	return send[RoomToken](ctx, s.client, http.MethodPost, "/rooms/"+segment(roomID)+"/tokens", params, opts)
}

// ThreadsService manages a room's threads.
type ThreadsService struct{ client *Client }

// List walks a room's threads, oldest first, each with its comments.
func (s *ThreadsService) List(ctx context.Context, roomID string, params *ThreadListParams, opts ...CallOption) *Iter[Thread] {
	return newIter[Thread](ctx, s.client, "/rooms/"+segment(roomID)+"/threads", encodeQuery(params), opts)
}

// ListPage fetches one page of a room's threads.
func (s *ThreadsService) ListPage(ctx context.Context, roomID string, params *ThreadListParams, opts ...CallOption) (*List[Thread], error) {
	return get[List[Thread]](ctx, s.client, "/rooms/"+segment(roomID)+"/threads", params, opts)
}

// Create opens a thread (and the room, with its first thread) with its first comment.
func (s *ThreadsService) Create(ctx context.Context, roomID string, params *ThreadCreateParams, opts ...CallOption) (*Thread, error) {
	return send[Thread](ctx, s.client, http.MethodPost, "/rooms/"+segment(roomID)+"/threads", params, opts)
}

// Retrieve fetches a thread with its comments.
func (s *ThreadsService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*Thread, error) {
	return get[Thread](ctx, s.client, "/threads/"+segment(id), nil, opts)
}

// Update resolves or reopens a thread, or replaces its metadata.
func (s *ThreadsService) Update(ctx context.Context, id string, params *ThreadUpdateParams, opts ...CallOption) (*Thread, error) {
	return send[Thread](ctx, s.client, http.MethodPatch, "/threads/"+segment(id), params, opts)
}

// Delete removes a thread with its comments.
func (s *ThreadsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	_, err := s.client.Do(ctx, http.MethodDelete, "/threads/"+segment(id), nil, nil, nil, opts...)
	return err
}

// CommentsService manages a thread's comments.
type CommentsService struct{ client *Client }

// List walks a thread's comments, oldest first.
func (s *CommentsService) List(ctx context.Context, threadID string, params *CommentListParams, opts ...CallOption) *Iter[Comment] {
	return newIter[Comment](ctx, s.client, "/threads/"+segment(threadID)+"/comments", encodeQuery(params), opts)
}

// ListPage fetches one page of a thread's comments.
func (s *CommentsService) ListPage(ctx context.Context, threadID string, params *CommentListParams, opts ...CallOption) (*List[Comment], error) {
	return get[List[Comment]](ctx, s.client, "/threads/"+segment(threadID)+"/comments", params, opts)
}

// Create adds a comment to a thread.
func (s *CommentsService) Create(ctx context.Context, threadID string, params *CommentCreateParams, opts ...CallOption) (*Comment, error) {
	return send[Comment](ctx, s.client, http.MethodPost, "/threads/"+segment(threadID)+"/comments", params, opts)
}

// Retrieve fetches a comment.
func (s *CommentsService) Retrieve(ctx context.Context, id string, opts ...CallOption) (*Comment, error) {
	return get[Comment](ctx, s.client, "/comments/"+segment(id), nil, opts)
}

// Update edits a comment.
func (s *CommentsService) Update(ctx context.Context, id string, params *CommentUpdateParams, opts ...CallOption) (*Comment, error) {
	return send[Comment](ctx, s.client, http.MethodPatch, "/comments/"+segment(id), params, opts)
}

// Delete removes a comment; deleting a thread's only comment deletes the thread too.
func (s *CommentsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	_, err := s.client.Do(ctx, http.MethodDelete, "/comments/"+segment(id), nil, nil, nil, opts...)
	return err
}

// ReactionsService manages reactions to comments.
type ReactionsService struct{ client *Client }

// Create reacts to a comment; the same person with the same emoji again gets the reaction
// they have.
func (s *ReactionsService) Create(ctx context.Context, commentID string, params *ReactionCreateParams, opts ...CallOption) (*Reaction, error) {
	return send[Reaction](ctx, s.client, http.MethodPost, "/comments/"+segment(commentID)+"/reactions", params, opts)
}

// Delete removes a reaction.
func (s *ReactionsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	_, err := s.client.Do(ctx, http.MethodDelete, "/reactions/"+segment(id), nil, nil, nil, opts...)
	return err
}

// UsersService lists active employees as the collaboration widget shows people.
type UsersService struct{ client *Client }

// List walks the users matching params.
func (s *UsersService) List(ctx context.Context, params *UserListParams, opts ...CallOption) *Iter[CollabUser] {
	return newIter[CollabUser](ctx, s.client, "/users", encodeQuery(params), opts)
}

// ListPage fetches one page of users.
func (s *UsersService) ListPage(ctx context.Context, params *UserListParams, opts ...CallOption) (*List[CollabUser], error) {
	return get[List[CollabUser]](ctx, s.client, "/users", params, opts)
}
