"""Seed the Employee Score's signals for the employees of one workspace environment, in SQL on the
server (INSERT … SELECT over generate_series): `python bench/seed_scores.py` is not a command; run
by bench/scores_bench.py after bench/seed.py loaded the employees.

For the people employed today (ordered by id, numbered n = 0, 1, …):
- kudos: three in the last 85 days from three colleagues (n+7, n+13, n+29 mod count), 5 coins each,
  and one more from the first of them for every fourth person (a giver repeating);
- status log: everyone but every fifth person posts on each of the last 10 weekdays;
- workload: a check-in for each of the last 6 weeks, the level cycling by n and week;
- leave: a two-day approved vacation about 60 days ago (a Tuesday and Wednesday).
Ids are prefix + a zero-padded counter (valid ULID characters, unique, in order)."""

import time
from datetime import date, timedelta

import psycopg

ACTIVE = """
    CREATE TEMP TABLE bench_people AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, workspace_id, environment
    FROM employees_employee
    WHERE workspace_id = %(workspace_id)s AND environment = %(environment)s
      AND (end_date IS NULL OR end_date > %(today)s) AND start_date <= %(today)s
"""


def _weekdays_before(today: date, count: int) -> list[date]:
    days, day = [], today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.isoweekday() <= 5:
            days.append(day)
    return days


def seed_scores(database_url: str, *, workspace_slug: str, environment: str, today: date) -> dict:
    timings = {}
    started = time.perf_counter()
    monday = today - timedelta(days=today.weekday())
    leave_start = monday - timedelta(weeks=9) + timedelta(days=1)  # a Tuesday
    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM tenancy_workspace WHERE slug = %s", (workspace_slug,))
        (workspace_id,) = cur.fetchone()
        params = {"workspace_id": workspace_id, "environment": environment, "today": today}
        for table in ("kudos_kudos", "statuslog_statuslogentry", "workload_workloadcheckin", "leave_leave"):
            cur.execute(f"DELETE FROM {table} WHERE workspace_id = %s", (workspace_id,))
        cur.execute(ACTIVE, params)
        cur.execute("SELECT count(*) FROM bench_people")
        (count,) = cur.fetchone()
        cur.execute("CREATE UNIQUE INDEX ON bench_people (n)")
        cur.execute(
            """
            INSERT INTO kudos_kudos (id, workspace_id, environment, from_employee_id, to_employee_id, coins, tag,
                                     note, created_at)
            SELECT 'kud_' || lpad((p.n * 4 + g.k)::text, 26, '0'), p.workspace_id, p.environment, giver.id, p.id,
                   5, 'craft', '', now() - make_interval(days => ((p.n + g.k * 11) %% 85)::int)
            FROM bench_people p
            CROSS JOIN (VALUES (0, 7), (1, 13), (2, 29), (3, 7)) AS g(k, offset_)
            JOIN bench_people giver ON giver.n = (p.n + g.offset_) %% %(count)s
            WHERE giver.id <> p.id AND (g.k < 3 OR p.n %% 4 = 0)
            """,
            {**params, "count": count},
        )
        days = _weekdays_before(today, 10)
        cur.execute(
            """
            INSERT INTO statuslog_statuslogentry (id, workspace_id, environment, employee_id, date, lines, topic,
                                                  created_at)
            SELECT 'sl_' || lpad((p.n * 10 + d.k)::text, 26, '0'), p.workspace_id, p.environment, p.id, d.day,
                   '["Worked on the roadmap"]', NULL, now()
            FROM bench_people p CROSS JOIN unnest(%(days)s::date[]) WITH ORDINALITY AS d(day, k)
            WHERE p.n %% 5 <> 0
            """,
            {**params, "days": days},
        )
        cur.execute(
            """
            INSERT INTO workload_workloadcheckin (id, workspace_id, environment, employee_id, week_start, level,
                                                  created_at)
            SELECT 'wl_' || lpad((p.n * 6 + w)::text, 26, '0'), p.workspace_id, p.environment, p.id,
                   %(monday)s::date - (w * 7), (ARRAY['light', 'balanced', 'balanced', 'heavy', 'overloaded'])
                   [1 + ((p.n + w) %% 5)], now()
            FROM bench_people p CROSS JOIN generate_series(0, 5) AS w
            """,
            {**params, "monday": monday},
        )
        cur.execute(
            """
            INSERT INTO leave_leave (id, workspace_id, environment, employee_id, kind, start_date, end_date, half_day,
                                     days, note, status, decided_by, decided_by_name, decision_reason, version,
                                     created_at, updated_at)
            SELECT 'lv_' || lpad(p.n::text, 26, '0'), p.workspace_id, p.environment, p.id, 'vacation', %(start)s,
                   %(start)s::date + 1, false, 2, '', 'approved', '', '', '', 1, now(), now()
            FROM bench_people p
            """,
            {**params, "start": leave_start},
        )
        timings["insert_s"] = time.perf_counter() - started
    with psycopg.connect(database_url, autocommit=True) as conn:
        for table in ("kudos_kudos", "statuslog_statuslogentry", "workload_workloadcheckin", "leave_leave"):
            conn.execute(f"VACUUM ANALYZE {table}")
    timings["total_s"] = time.perf_counter() - started
    return {"employed": count, "timings": timings}
