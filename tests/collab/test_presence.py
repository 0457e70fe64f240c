"""Presence stores: both the Redis one (when REDIS_URL is set) and the embedded SQLite one.

Two store instances over the same Redis database or the same file stand for two ASGI
processes: what one counts in, the other sees. Expiry is tested by moving the stores' clock,
not by sleeping past it, so a busy machine cannot stretch a heartbeat past its TTL."""

import time
import uuid

import pytest
from django.conf import settings

from collab import presence
from collab.presence import PresenceUser, RedisPresence, SQLitePresence

ADA = PresenceUser(user_id="emp_ada", name="Ada Lovelace")
GRACE = PresenceUser(user_id="emp_grace", name="grace Hopper")


class Clock:
    """The time the stores see: now, until a test moves it on."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _sqlite_pair(tmp_path, ttl, clock):
    path = tmp_path / "presence.sqlite3"
    return SQLitePresence(path, ttl_seconds=ttl, clock=clock), SQLitePresence(path, ttl_seconds=ttl, clock=clock)


def _redis_pair(tmp_path, ttl, clock):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the Redis presence store is tested on the Redis run.")
    return (
        RedisPresence(settings.REDIS_URL, ttl_seconds=ttl, clock=clock),
        RedisPresence(settings.REDIS_URL, ttl_seconds=ttl, clock=clock),
    )


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(params=["sqlite", "redis"])
def make_stores(request, tmp_path, clock):
    """`make_stores(ttl)` → two stores sharing one backend and one clock, as two processes would."""
    pair = _sqlite_pair if request.param == "sqlite" else _redis_pair
    return lambda ttl=60: pair(tmp_path, ttl, clock)


@pytest.fixture
def group():
    return f"collab.test{uuid.uuid4().hex}"


def test_first_connection_of_a_user_joins_and_last_one_leaves(make_stores, group):
    store, _ = make_stores()

    assert store.join(group, "c1", ADA) is True
    assert store.join(group, "c2", ADA) is False
    assert store.leave(group, "c1", ADA) is False
    assert store.leave(group, "c2", ADA) is True


def test_a_connection_leaving_twice_reports_the_departure_once(make_stores, group):
    store, other_process = make_stores()
    store.join(group, "c1", ADA)

    assert store.leave(group, "c1", ADA) is True
    assert other_process.leave(group, "c1", ADA) is False


def test_list_has_one_entry_per_user_with_connection_count_and_last_seen(make_stores, group):
    store, _ = make_stores()
    before = time.time()
    store.join(group, "c1", ADA)
    store.join(group, "c2", ADA)
    store.join(group, "c3", GRACE)

    entries = store.list(group)

    assert [(e["user_id"], e["name"], e["connections"]) for e in entries] == [
        ("emp_ada", "Ada Lovelace", 2),
        ("emp_grace", "grace Hopper", 1),
    ]
    for entry in entries:
        assert entry["last_seen_at"].endswith("Z")
        seen = presence.datetime.fromisoformat(entry["last_seen_at"]).timestamp()
        assert before - 1 <= seen <= time.time() + 1


def test_two_processes_see_each_others_connections(make_stores, group):
    process_a, process_b = make_stores()

    assert process_a.join(group, "a1", ADA) is True
    assert process_b.join(group, "b1", ADA) is False  # the user is already present through process A
    assert process_b.join(group, "b2", GRACE) is True

    assert [(e["user_id"], e["connections"]) for e in process_a.list(group)] == [("emp_ada", 2), ("emp_grace", 1)]
    assert process_a.leave(group, "a1", ADA) is False
    assert process_b.leave(group, "b1", ADA) is True
    assert [e["user_id"] for e in process_a.list(group)] == ["emp_grace"]


def test_rooms_do_not_share_presence(make_stores, group):
    store, _ = make_stores()
    store.join(group, "c1", ADA)

    assert store.list(group + "x") == []


def test_connections_vanish_after_the_ttl_without_heartbeat(make_stores, clock, group):
    """A crashed process never says goodbye: its sockets expire."""
    crashed, survivor = make_stores(ttl=10)
    crashed.join(group, "gone", ADA)
    survivor.join(group, "alive", GRACE)

    clock.advance(6)
    survivor.heartbeat(group, "alive", GRACE)
    assert [e["user_id"] for e in survivor.list(group)] == ["emp_ada", "emp_grace"]
    clock.advance(6)

    assert [e["user_id"] for e in survivor.list(group)] == ["emp_grace"]
    # Ada's expired connection no longer counts: her next one is a fresh arrival.
    assert survivor.join(group, "back", ADA) is True


def test_heartbeat_moves_last_seen_forward(make_stores, clock, group):
    store, _ = make_stores()
    store.join(group, "c1", ADA)
    first = store.list(group)[0]["last_seen_at"]

    clock.advance(5)
    store.heartbeat(group, "c1", ADA)

    assert store.list(group)[0]["last_seen_at"] > first


def test_module_functions_use_the_configured_store(settings, tmp_path, group):
    settings.REDIS_URL = ""
    settings.PULSEHR_PRESENCE_FILE = tmp_path / "embedded.sqlite3"
    presence.reset_presence_store()
    try:
        assert presence.presence_join(group=group, connection_id="c1", user=ADA) is True
        presence.presence_heartbeat(group=group, connection_id="c1", user=ADA)
        assert [e["user_id"] for e in presence.presence_list(group=group)] == ["emp_ada"]
        assert (tmp_path / "embedded.sqlite3").exists()
        assert presence.presence_leave(group=group, connection_id="c1", user=ADA) is True
        assert presence.presence_list(group=group) == []
    finally:
        presence.reset_presence_store()
