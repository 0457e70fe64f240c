"""Bulk-load employees into one workspace environment with PostgreSQL COPY.

Rows are written as COPY text straight into `employees_employee`, bypassing the ORM: the
services would take hours for a million rows. Ids are `emp_` + ULIDs whose timestamps
increase with the row number, so id order is creation order, as in production. The load
runs in one transaction that drops the table's secondary indexes and foreign keys, COPYs
with FREEZE, and rebuilds them, which is several times faster than maintaining them row by
row. Deterministic: the same seed gives the same names, departments and managers."""

import os
import random
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from ulid import ULID

TABLE = "employees_employee"
COLUMNS = (
    "id",
    "workspace_id",
    "environment",
    "full_name",
    "email",
    "role",
    "department",
    "location",
    "manager_id",
    "start_date",
    "end_date",
    "custom_fields",
    "version",
    "created_at",
    "updated_at",
)
# 20 departments, so filtering on one returns about 5% of the rows.
DEPARTMENTS = (
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "People",
    "Legal",
    "Operations",
    "Support",
    "Product",
    "Design",
    "Data",
    "Security",
    "IT",
    "Procurement",
    "Facilities",
    "Research",
    "Quality",
    "Logistics",
    "Partnerships",
    "Communications",
)
LOCATIONS = ("Rome", "Milan", "Berlin", "London", "Lisbon", "Remote")
LOCATION_WEIGHTS = (30, 25, 15, 10, 5, 15)
ROLES = (
    "Engineer",
    "Senior Engineer",
    "Analyst",
    "Manager",
    "Director",
    "Specialist",
    "Coordinator",
    "Associate",
    "Consultant",
    "Designer",
    "Account Executive",
    "Administrator",
)
FIRST_NAMES = (
    "Giulia Marco Sofia Luca Anna Paolo Chiara Matteo Elena Davide Sara Andrea Laura Francesco Marta Simone "
    "Emma Noah Olivia Liam Mia Lucas Lea Felix Hannah Jonas Ana Tiago Ines Pedro Grace Oliver"
).split()
LAST_NAMES = (
    "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa "
    "Muller Schmidt Schneider Fischer Weber Silva Santos Pereira Smith Jones Taylor Brown Wilson Evans"
).split()
TEAM_SIZE = 8  # every 8th row leads the 7 rows after it; leads report to leads of a tier above
NULL = "\\N"
CREATED_STEP_MS = 60_000  # one hire a minute: a million rows span about two years
BATCH_ROWS = 50_000


def manager_index(i: int) -> int | None:
    """Row i's manager, always an earlier row: members report to their team lead, leads to a lead above them."""
    if i == 0:
        return None
    if i % TEAM_SIZE:
        return i - i % TEAM_SIZE
    return (i // TEAM_SIZE) // TEAM_SIZE * TEAM_SIZE


def copy_batches(count: int, workspace_id: str, environment: str, first_ms: int, seed: int):
    """COPY text, BATCH_ROWS rows at a time, generated as COPY consumes them so that Python and
    PostgreSQL work side by side. No value can contain a tab, newline or backslash. Ids are
    `emp_` ULIDs with strictly increasing millisecond timestamps, so sorted by creation."""
    rng = random.Random(seed)
    first_day = date(2000, 1, 1)
    ids = []
    for batch_start in range(0, count, BATCH_ROWS):
        batch_size = min(BATCH_ROWS, count - batch_start)
        randomness = os.urandom(10 * batch_size)
        lines = []
        for offset in range(batch_size):
            i = batch_start + offset
            created_ms = first_ms + i * CREATED_STEP_MS
            ulid = ULID.from_bytes(created_ms.to_bytes(6, "big") + randomness[10 * offset : 10 * offset + 10])
            ids.append(f"emp_{ulid}")
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            manager = manager_index(i)
            start = first_day + timedelta(days=rng.randrange(9500))
            end = NULL
            if rng.random() < 0.12:
                end = (start + timedelta(days=rng.randrange(30, 3000))).isoformat()
            email = NULL if rng.random() < 0.02 else f"{first}.{last}.{i}@bench.example".lower()
            created = datetime.fromtimestamp(created_ms / 1000, tz=UTC).isoformat()
            lines.append(
                f"{ids[i]}\t{workspace_id}\t{environment}\t{first} {last}\t{email}\t{rng.choice(ROLES)}\t"
                f"{rng.choice(DEPARTMENTS)}\t{rng.choices(LOCATIONS, LOCATION_WEIGHTS)[0]}\t"
                f"{NULL if manager is None else ids[manager]}\t{start.isoformat()}\t{end}\t{{}}\t1\t"
                f"{created}\t{created}\n"
            )
        yield "".join(lines)


def detach_indexes(cur, table: str = TABLE) -> list[str]:
    """Drop the table's foreign keys, unique constraints and plain indexes (not the primary key:
    ids arrive in order, so it costs little); return the SQL that recreates them."""
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        (table,),
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (table,),
    )
    indexes = cur.fetchall()
    restore = []
    for name, definition in indexes:
        cur.execute(f"DROP INDEX {name}")  # regclass text is already quoted where needed
        restore.append(definition)
    # Foreign keys go first and come back last, so no constraint is dropped while another needs it.
    constraints.sort(key=lambda constraint: constraint[1] == "u")
    for name, _kind, _definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _kind, definition in reversed(constraints):
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return restore


def copy_frozen(
    cur, database_url: str, table: str, columns: list[str], chunks, timings: dict, *, truncate: str
) -> None:
    """Replace the table's rows with `chunks` (COPY text) as fast as PostgreSQL loads: indexes
    detached meanwhile, the TRUNCATE (`truncate`, e.g. "TRUNCATE t CASCADE") in the same
    transaction so COPY FREEZE writes rows already frozen and visible, then VACUUM (ANALYZE),
    which also sets the visibility map as autovacuum would. Records the phases in `timings`."""
    phase = time.perf_counter()
    restore = detach_indexes(cur, table)
    cur.execute(truncate)
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FREEZE)") as copy:
        for chunk in chunks:
            copy.write(chunk)
    timings["copy_s"] = time.perf_counter() - phase
    phase = time.perf_counter()
    for statement in restore:
        cur.execute(statement)
    timings["indexes_s"] = time.perf_counter() - phase
    cur.connection.commit()
    with psycopg.connect(database_url, autocommit=True) as conn:
        phase = time.perf_counter()
        conn.execute(f"VACUUM (ANALYZE) {table}")
        timings["analyze_s"] = time.perf_counter() - phase


def seed_employees(database_url: str, *, workspace_slug: str, environment: str, count: int, seed: int = 42) -> dict:
    """Replace every employee row, and every row that references one, with `count` generated rows in
    the given workspace environment (the bench database holds nothing else); returns phase timings."""
    timings = {}
    started = time.perf_counter()
    first_ms = int(time.time() * 1000) - (count + 1) * CREATED_STEP_MS

    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SELECT id FROM tenancy_workspace WHERE slug = %s", (workspace_slug,))
        (workspace_id,) = cur.fetchone()
        # CASCADE empties the tables that reference employees too (kudos, leave, ...): bench data only.
        chunks = copy_batches(count, workspace_id, environment, first_ms, seed)
        copy_frozen(cur, database_url, TABLE, COLUMNS, chunks, timings, truncate=f"TRUNCATE {TABLE} CASCADE")
    timings["total_s"] = time.perf_counter() - started
    return timings
