"""What the Python SDK shares with the TypeScript and Go SDKs, against a live server: the
collaboration resources, the leave ledger and score operations, response metadata, typed
parameters refused at run time, typed events and one error class per code."""

import asyncio
import datetime as dt
import inspect

import httpx
import pytest
from pulsehr_sdk import (
    APIError,
    AsyncPulse,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PayloadTooLargeError,
    Pulse,
    PulseError,
    RateLimitedError,
    RateLimitError,
    UnprocessableEntityError,
    errors,
    resources,
)
from pulsehr_sdk.models import (
    Comment,
    EmployeeScore,
    LedgerEntry,
    Presence,
    Reaction,
    RoomDetail,
    RoomToken,
    ScoreGroups,
    Thread,
    WhosOut,
)

from .test_resources import new_employee, unique


def test_collaboration_rooms_threads_comments_reactions_presence_tokens_and_users(pulse, sdk_site):
    author, colleague = new_employee(pulse), new_employee(pulse)
    room_id = unique("design-review")
    thread = pulse.threads.create(
        room_id, comment={"body": "First pass ready", "author_id": author.id}, metadata={"page": 2}
    )
    assert isinstance(thread, Thread) and thread.id.startswith("thr_")
    assert (thread.room_id, thread.created_by, thread.metadata) == (room_id, author.id, {"page": 2})
    assert pulse.threads.retrieve(thread.id) == thread
    assert [t.id for t in pulse.threads.list(room_id)] == [thread.id]

    room = pulse.rooms.retrieve(room_id)
    assert isinstance(room, RoomDetail) and [t.id for t in room.threads] == [thread.id]
    assert room_id in [r.id for r in pulse.rooms.list()]
    presence = pulse.rooms.presence(room_id)
    assert isinstance(presence, Presence) and presence.data == []

    comment = pulse.comments.create(thread.id, body=f"Looks good @{author.id}", author_id=colleague.id)
    assert isinstance(comment, Comment) and comment.mentions == [author.id]
    assert pulse.comments.retrieve(comment.id) == comment
    assert [c.author_id for c in pulse.comments.list(thread.id)] == [author.id, colleague.id]
    edited = pulse.comments.update(comment.id, body="Looks great", if_match=comment.version)
    assert edited.body == "Looks great" and edited.edited_at is not None
    with pytest.raises(ConflictError):
        pulse.comments.update(comment.id, body="Stale", if_match=comment.version)

    reaction = pulse.reactions.create(comment.id, emoji="👍", user_id=author.id)
    assert isinstance(reaction, Reaction) and reaction.id.startswith("rct_")
    assert pulse.reactions.create(comment.id, emoji="👍", user_id=author.id).id == reaction.id
    assert pulse.reactions.delete(reaction.id) is None
    assert pulse.comments.retrieve(comment.id).reactions == []

    resolved = pulse.threads.update(thread.id, resolved=True, resolved_by=author.id, if_match=thread.version)
    assert resolved.resolved and resolved.resolved_by == author.id

    token = pulse.rooms.create_token(room_id, user_id=colleague.id, ttl_seconds=600)
    assert isinstance(token, RoomToken) and token.token.startswith("rt_")
    with Pulse(api_key=token.token, base_url=sdk_site.base_url) as as_browser:
        own = as_browser.comments.create(thread.id, body="From the widget")
    assert own.author_id == colleague.id
    assert pulse.comments.delete(own.id) is None
    assert pulse.threads.delete(thread.id, if_match=resolved.version) is None
    with pytest.raises(NotFoundError):
        pulse.threads.retrieve(thread.id)
    assert [(u.id, u.name) for u in pulse.users.list(q=author.full_name)] == [(author.id, author.full_name)]


def test_collaboration_async(sdk_site):
    async def scenario():
        async with sdk_site.async_client() as pulse:
            author = await pulse.employees.create(full_name=unique("Async"), start_date="2024-01-08")
            room_id = unique("async-room")
            thread = await pulse.threads.create(room_id, comment={"body": "Async hello", "author_id": author.id})
            comment = await pulse.comments.create(thread.id, body="A reply", author_id=author.id)
            reaction = await pulse.reactions.create(comment.id, emoji="🎉", user_id=author.id)
            await pulse.reactions.delete(reaction.id)
            listed = [c.body async for c in pulse.comments.list(thread.id)]
            rooms = [r.id async for r in pulse.rooms.list()]
            presence = await pulse.rooms.presence(room_id)
            token = await pulse.rooms.create_token(room_id, user_id=author.id)
            users = [u.id async for u in pulse.users.list(q=author.full_name)]
            await pulse.threads.delete(thread.id)
            return listed, rooms, presence, token, users, author, room_id

    listed, rooms, presence, token, users, author, room_id = asyncio.run(scenario())
    assert listed == ["Async hello", "A reply"]
    assert room_id in rooms and presence.data == [] and token.token.startswith("rt_") and users == [author.id]


def test_leave_ledger_adjustments_decisions_and_whos_out(pulse):
    person = new_employee(pulse)
    entry = pulse.leave.adjust(employee_id=person.id, kind="vacation", amount=1.5, reason="Worked the launch weekend")
    assert isinstance(entry, LedgerEntry) and entry.entry_type == "adjustment"
    entries = list(pulse.leave.ledger(employee_id=person.id, kind="vacation", from_=dt.date(2000, 1, 1)))
    assert entry.id in [e.id for e in entries]
    # `from_` is sent as `from`: a window after the entry leaves it out.
    later = list(
        pulse.leave.ledger(employee_id=person.id, kind="vacation", from_=entry.effective_date + dt.timedelta(days=1))
    )
    assert entry.id not in [e.id for e in later]

    out = pulse.leave.whos_out()
    assert isinstance(out, WhosOut) and len(out.days) > 0
    sick = pulse.leave.create(employee_id=person.id, kind="sick", start_date="2025-03-03", end_date="2025-03-03")
    with pytest.raises(UnprocessableEntityError):
        pulse.leave.approve(sick.id, reason="Get well")
    with pytest.raises(UnprocessableEntityError):
        pulse.leave.reject(sick.id)
    balance = pulse.leave.balance(person.id, as_of=dt.date.today())
    assert {b.kind for b in balance.balances} >= {"vacation", "sick"}


def test_scores(pulse):
    person, colleague = new_employee(pulse), new_employee(pulse)
    pulse.kudos.create(from_employee_id=colleague.id, to_employee_id=person.id, coins=5)
    score = pulse.employees.score(person.id)
    assert isinstance(score, EmployeeScore) and score.employee_id == person.id
    assert [f.key for f in score.factors] == ["recognition", "participation", "workload", "time_off"]
    assert list(pulse.employees.score_history(person.id)) == []
    groups = pulse.scores.groups(by="department")
    assert isinstance(groups, ScoreGroups) and groups.by == "department" and groups.min_group_size >= 3


def test_every_result_and_page_carries_its_response(pulse):
    created = new_employee(pulse)
    answer = created.last_response
    assert answer.status == 201 and answer.request_id.startswith("req_")
    assert answer.etag == f'"{created.version}"' and answer.headers["ETag"] == answer.etag
    assert answer.rate_limit_remaining is None  # this server runs without a rate limit
    assert "last_response" not in created.to_dict() and "last_response" not in repr(created)
    updated = pulse.employees.update(created.id, role="Lead", if_match=answer.etag)
    assert updated.last_response.status == 200 and updated.last_response.request_id != answer.request_id
    page = pulse.employees.list(q=created.full_name).first_page()
    assert page.last_response.status == 200 and page.last_response.request_id.startswith("req_")
    assert all(e.last_response is None for e in page.data)  # items share their page's answer


def test_rate_limit_remaining_is_read_from_the_header():
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"data": [], "next_cursor": None, "total_count": 0}
        return httpx.Response(200, json=body, headers={"X-RateLimit-Remaining": "41", "X-Request-Id": "req_1"})

    with Pulse(
        api_key="pk_test_x",
        base_url="http://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    ) as pulse:
        page = pulse.employees.list().first_page()
    assert (page.last_response.rate_limit_remaining, page.last_response.request_id) == (41, "req_1")


def test_unknown_keywords_are_refused_before_anything_is_sent():
    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    with Pulse(
        api_key="pk_test_x",
        base_url="http://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    ) as pulse:
        with pytest.raises(
            TypeError, match=r"employees.list\(\) got unexpected keyword argument\(s\) 'statuz'; it takes .*status"
        ):
            pulse.employees.list(statuz="active")
        with pytest.raises(TypeError, match="'ful_name'"):
            pulse.employees.create(ful_name="Ada", start_date="2024-01-08")
        with pytest.raises(TypeError, match="'rol'"):
            pulse.employees.update("emp_1", rol="Lead")
        with pytest.raises(TypeError, match="'reson'"):
            pulse.leave.approve("lv_1", reson="ok")
        with pytest.raises(TypeError, match="'from'"):
            pulse.leave.ledger(**{"from": "2024-01-01"})  # the keyword is from_
    assert sent == []

    async def async_misuse():
        async with AsyncPulse(api_key="pk_test_x", base_url="http://api.test/v1") as pulse:
            with pytest.raises(TypeError, match="'statuz'"):
                pulse.employees.list(statuz="active")
            with pytest.raises(TypeError, match="'bdy'"):
                await pulse.comments.create("thr_1", bdy="hi")

    asyncio.run(async_misuse())


def test_one_error_class_per_code_under_api_error():
    assert RateLimitError is RateLimitedError
    for cls in errors.ERRORS_BY_CODE.values():
        assert issubclass(cls, APIError) and issubclass(cls, PulseError)
    assert errors.ERRORS_BY_CODE["payload_too_large"] is PayloadTooLargeError
    assert not issubclass(errors.APIConnectionError, APIError)
    teapot = errors.error_from_response(httpx.Response(418, text="short and stout"))
    assert type(teapot) is APIError and teapot.status == 418


def test_a_body_over_the_limit_is_a_payload_too_large_error(pulse):
    with pytest.raises(PayloadTooLargeError) as error:
        pulse.employees.create(full_name="Big", start_date="2024-01-08", custom_fields={"note": "x" * 2_000_000})
    assert error.value.status == 413 and error.value.code == "payload_too_large"


def test_invalid_request_names_the_field(pulse):
    with pytest.raises(InvalidRequestError) as error:
        pulse.employees.create(full_name="No start")
    assert error.value.fields == ["start_date"]


PUBLIC_CLASSES = [
    cls
    for name, cls in inspect.getmembers(resources, inspect.isclass)
    if cls.__module__ == resources.__name__ and not name.startswith("_")
]


def test_every_public_method_has_a_docstring():
    from pulsehr_sdk import client, pagination, webhooks

    missing = []
    for cls in [
        *PUBLIC_CLASSES,
        client.Pulse,
        client.AsyncPulse,
        pagination.ListIterator,
        pagination.AsyncListIterator,
    ]:
        if not cls.__doc__:
            missing.append(cls.__name__)
        for name, member in vars(cls).items():
            if not name.startswith("_") and callable(member) or isinstance(member, property):
                if not getattr(member, "__doc__", None):
                    missing.append(f"{cls.__name__}.{name}")
    for name, member in inspect.getmembers(webhooks, inspect.isfunction):
        if not name.startswith("_") and member.__module__ == webhooks.__name__ and not member.__doc__:
            missing.append(f"webhooks.{name}")
    assert len(PUBLIC_CLASSES) >= 26
    assert missing == []


def test_sync_and_async_resources_have_the_same_methods():
    sync = {
        cls.__name__.removesuffix("Resource"): cls for cls in PUBLIC_CLASSES if not cls.__name__.startswith("Async")
    }
    for name, cls in sync.items():
        twin = getattr(resources, f"Async{name}")
        ours = {m for m in vars(cls) if not m.startswith("_")}
        assert ours == {m for m in vars(twin) if not m.startswith("_")}, name
        for method in ours:
            assert (
                inspect.signature(getattr(cls, method)).parameters
                == inspect.signature(getattr(twin, method)).parameters
            ), f"{name}.{method}"
