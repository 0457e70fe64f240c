"""Limits of the collaboration API, shared by validation, the docs and the widget."""

ROOM_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
ROOM_ID_RULE = "1–128 characters of letters, digits, '.', '_', ':' and '-'."
COMMENT_BODY_MAX_LENGTH = 10_000
METADATA_MAX_KEYS = 50
METADATA_KEY_MAX_LENGTH = 64
METADATA_VALUE_MAX_LENGTH = 1000
# GET /v1/rooms/{roomId} embeds this many of the room's threads (oldest first); the rest are
# read through GET /v1/rooms/{roomId}/threads, which pages.
ROOM_THREADS_EMBEDDED = 100
EMOJI_MAX_LENGTH = 32
# Room ids that name a PulseHR object tie the room to it (its admin page shows the threads).
LINKED_ROOM_PREFIXES = {"emp_": "employee", "sl_": "status_log", "lv_": "leave"}
# Room events kept for reconnecting clients; one that missed more is told to refetch.
ROOM_EVENTS_KEPT = 1000
# Room tokens: default and longest lifetime.
ROOM_TOKEN_MIN_TTL_SECONDS = 60
ROOM_TOKEN_DEFAULT_TTL_SECONDS = 3600
ROOM_TOKEN_MAX_TTL_SECONDS = 24 * 3600
# Real-time sockets: the first message must authenticate within this many seconds; a
# connection's presence lasts this long after its last heartbeat (clients ping every 20 s).
REALTIME_AUTH_TIMEOUT_SECONDS = 10
PRESENCE_HEARTBEAT_SECONDS = 20
PRESENCE_TTL_SECONDS = 60
