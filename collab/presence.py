"""Who is in a room right now: one entry per user, counting their open sockets.

Every socket is a connection id in its room's presence, kept alive by the client's heartbeat
and gone PRESENCE_TTL_SECONDS after the last one, so the sockets of a crashed process vanish
on their own. Rooms are named by their channel-layer group (`realtime.room_group_name`), so
presence works before the room's first thread exists.

With REDIS_URL the store is Redis, shared by every ASGI process on every host: per room a
hash of the users seen lately and, per user, a sorted set of their connection ids scored by
expiry; each change is one MULTI/EXEC, and listing costs one read per user, not per socket. Without it, a small SQLite
file under DATA_DIR, shared by the processes of one host (like the rate-limit counters).

`presence_join` and `presence_leave` say whether the user's first connection arrived or their
last one left: that is when the sockets in the room are told.

A REST view lists a room's presence with
`presence_list(group=room_group_name(workspace_id=…, environment=…, room_key=…))`,
or `presence_list(group=room_group(room))` when it holds the Room."""

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from pulsehr.stores import ProcessStore

from .constants import PRESENCE_TTL_SECONDS


@dataclass(frozen=True)
class PresenceUser:
    user_id: str
    name: str


@dataclass(frozen=True)
class _Connection:
    connection_id: str
    user_id: str
    name: str
    expires_at: float


def presence_entry(*, user_id: str, name: str, connections: int, last_seen: float) -> dict:
    return {
        "user_id": user_id,
        "name": name,
        "connections": connections,
        "last_seen_at": datetime.fromtimestamp(last_seen, tz=UTC).isoformat().replace("+00:00", "Z"),
    }


def presence_sorted(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda entry: (entry["name"].casefold(), entry["user_id"]))


def presence_entries(connections: list[_Connection], ttl_seconds: int) -> list[dict]:
    """One entry per user, by name: how many live connections, and their latest heartbeat."""
    users: dict[str, list[_Connection]] = {}
    for conn in connections:
        users.setdefault(conn.user_id, []).append(conn)
    return presence_sorted(
        [
            presence_entry(
                user_id=user_id,
                name=conns[0].name,
                connections=len(conns),
                last_seen=max(conn.expires_at for conn in conns) - ttl_seconds,
            )
            for user_id, conns in users.items()
        ]
    )


class RedisPresence:
    def __init__(self, url: str, ttl_seconds: int = PRESENCE_TTL_SECONDS, clock: Callable[[], float] = time.time):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2, decode_responses=True)
        self.ttl = ttl_seconds
        # Expiry is judged by this clock (the processes' own, in production): tests move it
        # rather than wait for it.
        self.clock = clock

    @staticmethod
    def _keys(group: str, user_id: str = "") -> tuple[str, str]:
        """The room's user id → name hash (everyone connected lately), and one user's sorted
        set of connections scored by expiry. Listing reads one small set per user, not every
        connection of the room: each socket's authentication lists the room."""
        base = f"pulsehr:presence:{group}"
        return f"{base}:users", f"{base}:user:{user_id}"

    def _refresh(self, pipe, group: str, connection_id: str, user: PresenceUser, now: float) -> None:
        users_key, user_key = self._keys(group, user.user_id)
        pipe.zadd(user_key, {connection_id: now + self.ttl})
        pipe.hset(users_key, user.user_id, user.name)
        # An abandoned room's keys go away by themselves.
        for key in (users_key, user_key):
            pipe.expire(key, self.ttl * 2)
        pipe.zremrangebyscore(user_key, "-inf", now)

    def join(self, group: str, connection_id: str, user: PresenceUser) -> bool:
        _, user_key = self._keys(group, user.user_id)
        pipe = self.client.pipeline(transaction=True)
        self._refresh(pipe, group, connection_id, user, self.clock())
        pipe.zcard(user_key)
        return pipe.execute()[-1] == 1

    def heartbeat(self, group: str, connection_id: str, user: PresenceUser) -> None:
        pipe = self.client.pipeline(transaction=True)
        self._refresh(pipe, group, connection_id, user, self.clock())
        pipe.execute()

    def leave(self, group: str, connection_id: str, user: PresenceUser) -> bool:
        _, user_key = self._keys(group, user.user_id)
        pipe = self.client.pipeline(transaction=True)
        pipe.zrem(user_key, connection_id)
        pipe.zremrangebyscore(user_key, "-inf", self.clock())
        pipe.zcard(user_key)
        removed, _, remaining = pipe.execute()
        # Only the call that removed the connection reports the departure.
        return removed == 1 and remaining == 0

    def list(self, group: str) -> list[dict]:
        now = self.clock()
        users_key, _ = self._keys(group)
        users = self.client.hgetall(users_key)
        pipe = self.client.pipeline(transaction=False)
        for user_id in users:
            _, user_key = self._keys(group, user_id)
            pipe.zremrangebyscore(user_key, "-inf", now)  # the connections of a crashed process
            pipe.zcard(user_key)
            pipe.zrange(user_key, -1, -1, withscores=True)
        results = pipe.execute()
        entries = []
        for index, (user_id, name) in enumerate(users.items()):
            live, latest = results[3 * index + 1], results[3 * index + 2]
            if live and latest:
                last_seen = latest[0][1] - self.ttl
                entries.append(presence_entry(user_id=user_id, name=name, connections=live, last_seen=last_seen))
        return presence_sorted(entries)


class SQLitePresence:
    """One connection per process (and per thread); reopened after a fork."""

    def __init__(self, path, ttl_seconds: int = PRESENCE_TTL_SECONDS, clock: Callable[[], float] = time.time):
        self.path = str(path)
        self.ttl = ttl_seconds
        self.clock = clock
        self.local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None or getattr(self.local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS presence (connection_id TEXT PRIMARY KEY, room TEXT NOT NULL, "
                "user_id TEXT NOT NULL, name TEXT NOT NULL, expires_at REAL NOT NULL)"
            )
            conn.execute("CREATE INDEX IF NOT EXISTS presence_room ON presence (room, user_id)")
            self.local.conn, self.local.pid = conn, os.getpid()
        return conn

    def _count_user(self, conn: sqlite3.Connection, group: str, user_id: str, now: float) -> int:
        (count,) = conn.execute(
            "SELECT count(*) FROM presence WHERE room = ? AND user_id = ? AND expires_at > ?", (group, user_id, now)
        ).fetchone()
        return count

    def join(self, group: str, connection_id: str, user: PresenceUser) -> bool:
        conn = self._connection()
        now = self.clock()
        # IMMEDIATE takes the write lock first, so two joins of one user cannot both count 1.
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM presence WHERE expires_at <= ?", (now,))
            self._upsert(conn, group, connection_id, user, now)
            count = self._count_user(conn, group, user.user_id, now)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return count == 1

    def heartbeat(self, group: str, connection_id: str, user: PresenceUser) -> None:
        self._upsert(self._connection(), group, connection_id, user, self.clock())

    def _upsert(self, conn: sqlite3.Connection, group: str, connection_id: str, user: PresenceUser, now: float):
        conn.execute(
            "INSERT INTO presence (connection_id, room, user_id, name, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(connection_id) DO UPDATE SET expires_at = excluded.expires_at",
            (connection_id, group, user.user_id, user.name, now + self.ttl),
        )

    def leave(self, group: str, connection_id: str, user: PresenceUser) -> bool:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            removed = conn.execute("DELETE FROM presence WHERE connection_id = ?", (connection_id,)).rowcount
            remaining = self._count_user(conn, group, user.user_id, self.clock())
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return removed == 1 and remaining == 0

    def list(self, group: str) -> list[dict]:
        rows = (
            self._connection()
            .execute(
                "SELECT connection_id, user_id, name, expires_at FROM presence WHERE room = ? AND expires_at > ?",
                (group, self.clock()),
            )
            .fetchall()
        )
        return presence_entries([_Connection(*row) for row in rows], self.ttl)


_store = ProcessStore(
    lambda: RedisPresence(settings.REDIS_URL) if settings.REDIS_URL else SQLitePresence(settings.PULSEHR_PRESENCE_FILE)
)
get_presence_store = _store.get
reset_presence_store = _store.reset


def presence_join(*, group: str, connection_id: str, user: PresenceUser) -> bool:
    """Count a new socket in. True when it is the user's first live connection in the room."""
    return get_presence_store().join(group, connection_id, user)


def presence_heartbeat(*, group: str, connection_id: str, user: PresenceUser) -> None:
    """Keep the socket present for another PRESENCE_TTL_SECONDS (and bring it back if it had expired)."""
    get_presence_store().heartbeat(group, connection_id, user)


def presence_leave(*, group: str, connection_id: str, user: PresenceUser) -> bool:
    """Count a closed socket out. True when it was the user's last live connection in the room."""
    return get_presence_store().leave(group, connection_id, user)


def presence_list(*, group: str) -> list[dict]:
    """`[{"user_id", "name", "connections", "last_seen_at"}]`, one per user with a live connection, by name."""
    return get_presence_store().list(group)
