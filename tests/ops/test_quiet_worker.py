"""`make run`'s worker on the embedded defaults says what a person needs and nothing more: no
banner, no line for each task received or run (the delivery sweep runs every 5 s) and no broker
warning on every connection. Through the Procfile's own worker line in a subprocess, on a
migrated SQLite database of its own."""

import os
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Two sweeps at 5 s, with a margin for a busy machine.
LISTEN_SECONDS = 12


def test_the_worker_logs_no_line_per_task_and_no_broker_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "LOG_LEVEL")}
    env.update(
        PULSEHR_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="pulsehr.settings",
        PATH=f"{BIN}{os.pathsep}{env['PATH']}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True, timeout=120
    )
    line = next(line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    argv = shlex.split(line.removeprefix("worker:"))
    worker = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(LISTEN_SECONDS)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=60)
    assert "ready." in output, output
    assert "[tasks]" not in output and "[queues]" not in output, output  # no banner
    assert "sweep_deliveries" not in output, output
    assert " received" not in output and " succeeded in " not in output, output
    assert "No hostname was supplied" not in output, output
