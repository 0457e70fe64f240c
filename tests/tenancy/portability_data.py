"""Run inside `manage.py shell -c` by test_portability.py, against a database of its own:
`build()` fills a rich workspace through the services (and one other workspace), `dump(slug)`
prints every row of a workspace, field by field, and `read_back(secrets)` what the API answers
its keys, both as JSON for the comparison."""

import json
import sys
from datetime import date
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from collab.consumers import room_catchup
from collab.services import comment_create, comment_edit, reaction_add, room_token_issue, thread_create, thread_update
from employees.services import employee_create, employee_offboard, employee_update
from kudos.services import kudos_award
from leave.feeds import calendar_feed_create
from leave.models import CompanyDayOff
from leave.services import leave_adjust, leave_approve, leave_cancel, leave_log, leave_reject
from pulsehr.tenancy.context import SYSTEM, Actor, Tenant
from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.portability import registry, workspace_rows
from pulsehr.tenancy.services import api_key_create, api_key_revoke, membership_add, workspace_create, workspace_update
from scores.services import score_snapshots_take
from statuslog.services import status_log_entry_post
from webhooks.delivery import deliveries_attempt
from webhooks.models import Delivery
from webhooks.services import endpoint_create, endpoint_rotate_secret
from workload.services import workload_checkin_record

SLUG, OTHER_SLUG = "acme", "globex"


def _fill(slug: str, *, rich: bool) -> dict:
    user_model = get_user_model()
    workspace = workspace_create(slug=slug, name=slug.title(), country="IT", timezone_name="Europe/Rome")
    workspace = workspace_update(
        workspace=workspace,
        actor=SYSTEM,
        region="MI",
        work_week=[1, 2, 3, 4],
        kudos_monthly_allowance=150,
        leave_approval_required=rich,
        leave_allowances={"vacation": 30, "personal": 2, "parental": 90},
    )
    owner = user_model.objects.create_user(f"{slug}-owner", f"owner@{slug}.test", "pw", first_name="Ada", is_staff=True)
    membership_add(workspace=workspace, user=owner, role="owner")
    key, secret = api_key_create(
        workspace=workspace, environment="live", scopes="read:*,write:*", name="backend", created_by=owner
    )
    secrets = {"live": secret}
    if not rich:
        other = employee_create(
            tenant=Tenant(workspace, "live"), actor=SYSTEM, full_name="Other Person", start_date=date(2022, 1, 3)
        )
        _room_token_post(workspace, other.pk, "room-live")  # its record must stay out of the other's export
        return secrets

    viewer = user_model.objects.create_user(f"{slug}-viewer", "", "pw")
    membership_add(workspace=workspace, user=viewer, role="viewer")
    _, secrets["test"] = api_key_create(workspace=workspace, environment="test", scopes="read:*")
    revoked, _ = api_key_create(workspace=workspace, environment="live", scopes="read:*", name="old")
    api_key_revoke(api_key=revoked)
    CompanyDayOff.objects.create(workspace=workspace, date=date(2025, 8, 14), name="Summer shutdown")
    actor = Actor.for_key(key)

    lena = {}
    for environment in ("live", "test"):
        tenant = Tenant(workspace, environment)
        endpoint = endpoint_create(
            tenant=tenant, url="http://127.0.0.1:9/hook", enabled_events=["*"], description="ops"
        )
        endpoint = endpoint_rotate_secret(tenant=tenant, endpoint=endpoint)  # a previous secret too
        ceo = employee_create(
            tenant=tenant,
            actor=actor,
            full_name="Carla Ceo",
            email=f"carla@{environment}.test",
            start_date=date(2020, 1, 6),
            custom_fields={"shirt": "M", "langs": ["it", "en"], "level": 7},
        )
        head = employee_create(
            tenant=tenant,
            actor=actor,
            full_name="Hugo Head",
            department="Eng",
            manager_id=ceo.pk,
            start_date=date(2021, 2, 1),
        )
        dev = employee_create(
            tenant=tenant,
            actor=actor,
            full_name="Dana Dev",
            role="Engineer",
            manager_id=head.pk,
            start_date=date(2022, 3, 1),
        )
        # A manager created after their report: the file holds a forward reference.
        late = employee_create(tenant=tenant, actor=actor, full_name="Lena Late", start_date=date(2023, 5, 2))
        lena[environment] = late
        ceo = employee_update(tenant=tenant, employee=ceo, actor=actor, manager_id=late.pk)
        leaver = employee_create(tenant=tenant, actor=actor, full_name="Otto Old", start_date=date(2021, 1, 4))
        employee_update(tenant=tenant, employee=leaver, actor=actor, end_date=date(2024, 6, 28))
        if environment == "test":
            employee_offboard(tenant=tenant, employee=dev, actor=SYSTEM)
        # A key that acts as an employee: exported after them, bound to them again on import.
        api_key_create(
            workspace=workspace, environment=environment, scopes="write:kudos", name="as head", employee_id=head.pk
        )

        status_log_entry_post(
            tenant=tenant,
            actor=actor,
            employee_id=head.pk,
            lines=["Shipped export", "Reviewing"],
            topic="ops",
            date=date(2025, 3, 3),
        )
        status_log_entry_post(tenant=tenant, actor=actor, employee_id=late.pk, lines=["Hello ☀"])
        kudos_award(tenant=tenant, actor=actor, from_employee_id=head.pk, to_employee_id=ceo.pk, coins=10, tag="help")
        kudos_award(tenant=tenant, actor=actor, from_employee_id=ceo.pk, to_employee_id=late.pk, coins=3, note="ty")
        workload_checkin_record(tenant=tenant, actor=actor, employee_id=head.pk, level="heavy")
        workload_checkin_record(
            tenant=tenant, actor=actor, employee_id=late.pk, level="light", week_start=date(2025, 3, 3)
        )
        leave_log(  # stays pending: the workspace requires approval
            tenant=tenant,
            actor=actor,
            employee_id=head.pk,
            kind="vacation",
            start_date=date(2025, 8, 11),
            end_date=date(2025, 8, 21),
            note="summer",
        )
        approved = leave_log(
            tenant=tenant, actor=actor, employee_id=late.pk, kind="personal", start_date=date(2025, 4, 8), half_day=True
        )
        leave_approve(tenant=tenant, leave=approved, actor=Actor("user", str(owner.pk)))
        rejected = leave_log(tenant=tenant, actor=actor, employee_id=ceo.pk, kind="sick", start_date=date(2025, 2, 4))
        leave_reject(tenant=tenant, leave=rejected, actor=SYSTEM)
        cancelled = leave_log(
            tenant=tenant,
            actor=actor,
            employee_id=ceo.pk,
            kind="vacation",
            start_date=date(2025, 5, 6),
            end_date=date(2025, 5, 7),
        )
        leave_cancel(tenant=tenant, leave=cancelled, actor=actor)
        leave_adjust(tenant=tenant, actor=actor, employee_id=late.pk, kind="vacation", amount=1, reason="Overtime")
        calendar_feed_create(tenant=tenant, actor=actor, name="Everyone", show_kind=True)

        # A discussion: a room, threads (one resolved, with metadata), comments (one edited), reactions.
        thread = thread_create(
            tenant=tenant,
            actor=actor,
            room_key=f"room-{environment}",
            author_id=head.pk,
            body=f"Ship it? @{ceo.pk}",
            metadata={"anchor": {"x": 1.5, "y": 2}},
        )
        reply = comment_create(tenant=tenant, actor=actor, thread=thread, author_id=ceo.pk, body="Yes")
        comment_edit(tenant=tenant, actor=actor, comment=reply, body="Yes, ship it")
        reaction_add(tenant=tenant, actor=actor, comment=reply, user_id=head.pk, emoji="🎉")
        reaction_add(tenant=tenant, actor=actor, comment=reply, user_id=late.pk, emoji="👍")
        thread_update(tenant=tenant, actor=actor, thread=thread, resolved=True, resolved_by=ceo.pk)
        thread_create(tenant=tenant, actor=actor, room_key=ceo.pk, author_id=late.pk, body="Welcome")

        # Some deliveries tried once: the endpoint refuses connections, so each gets a failed
        # attempt and a retry time.
        due = list(tenant.scope(Delivery.objects).order_by("pk").values_list("pk", flat=True)[:3])
        deliveries_attempt(due)
        # A week's score snapshots (the weekly job's).
        score_snapshots_take(tenant=tenant, day=date(2026, 3, 2))

    # An idempotent POST through the API: an idempotency record of the live key.
    client = Client()
    response = client.post(
        "/v1/employees",
        {"full_name": "Ida Idem", "start_date": "2024-01-08"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IDEMPOTENCY_KEY="create-ida",
    )
    assert response.status_code == 201, response.content
    # And one through a room token: an idempotency record with no key, naming its user instead.
    _room_token_post(workspace, lena["live"].pk, "room-live")
    return secrets


def _room_token_post(workspace, user_id: str, room_key: str) -> None:
    token, _ = room_token_issue(tenant=Tenant(workspace, "live"), room_key=room_key, user_id=user_id)
    response = Client().post(
        f"/v1/rooms/{room_key}/threads",
        {"comment": {"body": "Once only"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY="thread-once",
    )
    assert response.status_code == 201, response.content


def build() -> None:
    secrets = _fill(SLUG, rich=True)
    _fill(OTHER_SLUG, rich=False)
    print(json.dumps(secrets))


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if hasattr(o, "isoformat"):
            return o.isoformat()  # full precision, unlike DjangoJSONEncoder
        if isinstance(o, memoryview | bytes):
            return bytes(o).hex()
        return super().default(o)


def _row(obj) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField"):
            continue  # renumbered on import
        value = field.value_from_object(obj)
        if field.many_to_one and field.related_model is get_user_model() and value is not None:
            value = get_user_model().objects.get(pk=value).get_username()
        row[field.attname] = value
    return row


def dump(slug: str) -> None:
    """Every row of the workspace, per model the export covers (test_portability.py checks that
    it covers every model of a workspace), plus each model's total row count in the database."""
    workspace = Workspace.objects.filter(slug=slug).first()
    rows, totals = {}, {}
    for model in [Workspace, *(m for m, _ in registry().models)]:
        label = model._meta.label_lower
        if workspace is None:
            queryset = model._base_manager.none()
        elif model is Workspace:
            queryset = Workspace.objects.filter(pk=workspace.pk)
        else:
            queryset = workspace_rows(model, workspace)
        dumped = [json.loads(json.dumps(_row(obj), cls=_Encoder, sort_keys=True)) for obj in queryset]
        rows[label] = sorted(dumped, key=lambda r: json.dumps(r, sort_keys=True))
        totals[label] = model._base_manager.count()
    user_model = get_user_model()
    users = {
        u.get_username(): {"email": u.email, "is_active": u.is_active, "usable_password": u.has_usable_password()}
        for u in user_model.objects.all()
    }
    json.dump({"rows": rows, "totals": totals, "users": users}, sys.stdout)


# Every list of /v1 a key reads; each room, thread and comment is read on its own pages too.
LISTS = (
    "/v1/employees",
    "/v1/status-log",
    "/v1/kudos",
    "/v1/workload-checkins",
    "/v1/leave",
    "/v1/events",
    "/v1/webhook-endpoints",
    "/v1/rooms",
    "/v1/users",
)


def _answers(environment: str, secret: str) -> dict:
    client, answers = Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), {}

    def get(path: str, **params) -> list[dict]:
        response = client.get(path, params)
        answers[path] = {"status": response.status_code, "body": response.json()}
        return answers[path]["body"].get("data", []) if response.status_code == 200 else []

    lists = {path: get(path, limit=200) for path in LISTS}
    for employee in lists["/v1/employees"]:
        get(f"/v1/leave/balance/{employee['id']}")
    tenant = Tenant(Workspace.objects.get(slug=SLUG), environment)
    for room in lists["/v1/rooms"]:
        get(f"/v1/rooms/{room['id']}")
        for thread in get(f"/v1/rooms/{room['id']}/threads", limit=200):
            get(f"/v1/threads/{thread['id']}")
            for comment in get(f"/v1/threads/{thread['id']}/comments", limit=200):
                get(f"/v1/comments/{comment['id']}")
        catchup = room_catchup(SimpleNamespace(tenant=tenant, room_key=room["id"]), 0)
        answers[f"room {room['id']} changes"] = {"sequence": catchup.sequence, "messages": catchup.messages}
    return answers


def read_back(secrets: dict[str, str]) -> None:
    """What the API answers each key with, in this database, path by path: every list, each
    employee's leave balance, each room with its threads, each thread's comments, each comment;
    and each room's recent changes, as a socket's catch-up replays them."""
    answers = {environment: _answers(environment, secret) for environment, secret in secrets.items()}
    print(json.dumps(answers, cls=DjangoJSONEncoder))
