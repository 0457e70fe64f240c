"""What every part of the bench shares: its error, its log lines, manage.py, ports, child
processes, what /proc says of processes, and the environment the servers run with."""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
WEB_CONCURRENCY = "2"
# The servers run with DEBUG off, which refuses to start without a real SECRET_KEY
# (pulsehr/secretkey.py); a fixed one is all a benchmark needs.
SECRET_KEY = "pulsehr-bench-" + "x" * 40
# For the parts that set Django up in this process (page ids, seeds).
os.environ.setdefault("SECRET_KEY", SECRET_KEY)


class BenchError(Exception):
    """Something broke: the run cannot give figures."""


@dataclass(frozen=True)
class ProcessStat:
    parent: int
    name: str
    cpu_seconds: float  # user + system, so far


def process_table() -> dict[int, ProcessStat]:
    """Every process Linux's /proc shows, by pid: its parent, its name and the CPU it has used
    (empty elsewhere). A process that exits while it is read is left out."""
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
            fields = tail.split()  # [1] the parent pid, [11] and [12] user and system time in ticks
            table[int(stat.parent.name)] = ProcessStat(
                parent=int(fields[1]),
                name=head.partition("(")[2],
                cpu_seconds=(int(fields[11]) + int(fields[12])) / ticks_per_second,
            )
        except (OSError, ValueError, IndexError):
            continue
    return table


def family(pid: int, table: dict[int, ProcessStat]) -> set[int]:
    """`pid` and all its descendants in `table`."""
    members, changed = {pid}, True
    while changed:
        changed = False
        for child, stat in table.items():
            if stat.parent in members and child not in members:
                members.add(child)
                changed = True
    return members


def logger(part: str = ""):
    """A `log(message)` for one part of the bench: `[bench:webhooks] …`."""
    prefix = f"[bench:{part}]" if part else "[bench]"

    def log(message: str) -> None:
        print(f"{prefix} {message}", flush=True)

    return log


def bench_environment(*, database_url: str, redis_url: str, **extra: str) -> dict:
    """The environment of every process a bench part starts: production settings (DEBUG off,
    WEB_CONCURRENCY=2) on its own database and Redis, with no rate limit to stop the load."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "WEB_CONCURRENCY": WEB_CONCURRENCY,
        "DEBUG": "0",
        "PULSEHR_RATE_LIMIT": "0",
        **extra,
    }


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
