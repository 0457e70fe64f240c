"""Bulk-load status-log entries into one workspace environment with PostgreSQL COPY.

Like `seed.py` for employees: COPY text straight into `statuslog_statuslogentry`, in one
transaction that drops the table's secondary indexes, unique constraint and foreign keys,
COPYs with FREEZE and rebuilds them. The entries are a standup log as the service would
have accepted it: `authors` active employees (started before the first date, no end date)
each post one entry on each of `dates` weekdays ending yesterday (one per employee per date,
never in the future), with 1 to 3 lines and, for most, a topic. Ids are `sl_` + ULIDs whose
timestamps are the posting times, which increase row by row, so id order is posting order.
The lines and topics are deterministic for a given seed; the ULIDs' random bits are not."""

import json
import os
import random
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from seed import NULL, copy_frozen
from ulid import ULID

TABLE = "statuslog_statuslogentry"
COLUMNS = ("id", "workspace_id", "environment", "employee_id", "date", "lines", "topic", "created_at")
DATES = 200
POSTING_WINDOW_MS = 10 * 3600 * 1000  # everyone posts between 07:00 and 17:00 UTC
BATCH_DATES = 10
VERBS = (
    "Finished",
    "Reviewed",
    "Started on",
    "Paired on",
    "Shipped",
    "Fixed a bug in",
    "Wrote the spec for",
    "Tested",
    "Demoed",
    "Planned",
    "Refactored",
    "Documented",
    "Kept working on",
    "Synced with the team about",
)
OBJECTS = (
    "the onboarding flow",
    "the Q3 roadmap",
    "the payroll export",
    "the leave calendar",
    "customer feedback",
    "the billing migration",
    "the hiring pipeline",
    "the release checklist",
    "the search results page",
    "the quarterly report",
    "the API rate limits",
    "the on-call runbook",
    "the design system",
    "the sales playbook",
    "the data retention policy",
    "the mobile app login",
)
TAILS = ("", "", "", " with Marco", " for the Rome office", ", blocked on review", ", nearly done", " (day 2)")
TOPICS = (
    "Atlas",
    "Payroll",
    "Onboarding",
    "Hiring",
    "Billing",
    "Mobile",
    "Search",
    "Compliance",
    "Q3 planning",
    "Support",
    "Infrastructure",
    "Design system",
)
TOPIC_SHARE = 0.7
LINE_SETS = 4096  # distinct `lines` values to draw from


def weekdays_before(day: date, count: int) -> list[date]:
    """The `count` weekdays before `day`, oldest first."""
    found = []
    while len(found) < count:
        day -= timedelta(days=1)
        if day.isoweekday() <= 5:
            found.append(day)
    return found[::-1]


def line_sets(rng: random.Random) -> list[str]:
    """COPY-ready JSON lists of 1 to 3 lines (no tab, newline, quote or backslash in any line)."""
    sets = []
    for _ in range(LINE_SETS):
        count = rng.choices((1, 2, 3), (30, 45, 25))[0]
        lines = [f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}" for _ in range(count)]
        sets.append(json.dumps(lines))
    return sets


def copy_batches(authors: list[str], dates: list[date], workspace_id: str, environment: str, seed: int):
    """COPY text, BATCH_DATES dates at a time. On each date every author posts once, in a
    shuffled order, at strictly increasing milliseconds spread over the posting window."""
    rng = random.Random(seed)
    lines_pool = line_sets(rng)
    step_ms = POSTING_WINDOW_MS // len(authors)
    order = list(range(len(authors)))
    prefix = f"\t{workspace_id}\t{environment}\t"
    for batch_start in range(0, len(dates), BATCH_DATES):
        chunk = []
        for day in dates[batch_start : batch_start + BATCH_DATES]:
            day_ms = int(datetime(day.year, day.month, day.day, 7, tzinfo=UTC).timestamp() * 1000)
            randomness = os.urandom(10 * len(authors))
            rng.shuffle(order)
            iso_day = day.isoformat()
            for slot, author in enumerate(order):
                created_ms = day_ms + slot * step_ms + rng.randrange(step_ms)
                ulid = ULID.from_bytes(created_ms.to_bytes(6, "big") + randomness[10 * slot : 10 * slot + 10])
                topic = rng.choice(TOPICS) if rng.random() < TOPIC_SHARE else NULL
                created = datetime.fromtimestamp(created_ms / 1000, tz=UTC).isoformat()
                chunk.append(
                    f"sl_{ulid}{prefix}{authors[author]}\t{iso_day}\t{rng.choice(lines_pool)}\t{topic}\t{created}\n"
                )
        yield "".join(chunk)


def seed_status_log(
    database_url: str, *, workspace_slug: str, environment: str, count: int, today: date, seed: int = 7
) -> dict:
    """Replace every status-log entry with `count` generated ones (count / DATES authors, each
    posting on DATES weekdays before `today`); returns phase timings and what was seeded."""
    if count % DATES:
        raise ValueError(f"the status-log row count must be a multiple of {DATES}")
    timings = {}
    started = time.perf_counter()
    dates = weekdays_before(today, DATES)
    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SELECT id FROM tenancy_workspace WHERE slug = %s", (workspace_slug,))
        (workspace_id,) = cur.fetchone()
        cur.execute(
            "SELECT id FROM employees_employee WHERE workspace_id = %s AND environment = %s "
            "AND end_date IS NULL AND start_date <= %s ORDER BY id LIMIT %s",
            (workspace_id, environment, dates[0], count // DATES),
        )
        authors = [row[0] for row in cur.fetchall()]
        if len(authors) * DATES != count:
            raise ValueError(f"only {len(authors):,} employees can post {DATES} entries each")
        chunks = copy_batches(authors, dates, workspace_id, environment, seed)
        copy_frozen(cur, database_url, TABLE, COLUMNS, chunks, timings, truncate=f"TRUNCATE {TABLE}")
    timings["total_s"] = time.perf_counter() - started
    return {
        "timings": timings,
        "authors": len(authors),
        "dates": [dates[0].isoformat(), dates[-1].isoformat()],
    }
