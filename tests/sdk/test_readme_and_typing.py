"""The Python SDK's README runs as written, and its typed parameters hold under mypy."""

import fcntl
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .test_resources import new_employee

SDK_DIR = Path(__file__).resolve().parents[2] / "sdk" / "python"
PYRIGHT_DIR = Path(__file__).resolve().parent / "pyright"

CORRECT_USE = """
import datetime as dt

from pulsehr_sdk import Pulse, webhooks
from pulsehr_sdk.models import Employee, EmployeeCreatedEvent

pulse = Pulse(api_key="pk_test_x")
e: Employee = pulse.employees.create(full_name="Ada", start_date=dt.date(2024, 1, 8), custom_fields={"a": 1})
for x in pulse.employees.list(status="active", department="R&D", limit=10):
    print(x.full_name)
pulse.employees.update(e.id, manager_id=None, if_match=e.version)
pulse.leave.ledger(from_="2024-01-01", kind="vacation")
pulse.threads.create("room", comment={"body": "hi"}, metadata={"page": 2})
event = webhooks.verify(b"{}", {"X-Pulse-Signature": "t=1,v1=00"}, "whsec_x")
if isinstance(event, EmployeeCreatedEvent):
    print(event.data.full_name.upper())
if e.last_response is not None:
    print(e.last_response.request_id)
"""

# Each line 5-10 is one mistake a type checker must report, at its line.
MISUSE = """
from pulsehr_sdk import Pulse

pulse = Pulse(api_key="pk_test_x")
pulse.employees.create(ful_name="Ada", start_date="2024-01-08")
pulse.employees.list(statuz="active")
pulse.employees.list(status="retired")
pulse.employees.create(start_date="2024-01-08")
pulse.leave.ledger(from_="2024-01-01", kind="holiday")
pulse.comments.create("thr_1", bdy="hi")
"""
MISTAKES = {
    5: ("ful_name",),
    6: ("statuz",),
    7: ("retired",),
    8: ("full_name",),
    9: ("holiday",),
    10: ("bdy",),
}

# After the README's blocks: its two webhook handlers, fed a signed delivery and a forged one.
DRIVE_THE_HANDLERS = """
import json, threading, urllib.request, urllib.error
from http.server import HTTPServer

body = json.dumps({"id": "evt_readme", "type": "employee.created", "created_at": "2026-01-05T09:00:00Z",
                   "data": employee.to_dict()}).encode()
secret = os.environ["PULSE_WEBHOOK_SECRET"]

server = HTTPServer(("127.0.0.1", 0), PulseHook)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/"
def post(signature):
    request = urllib.request.Request(url, data=body, headers={"X-Pulse-Signature": signature}, method="POST")
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code
assert post(webhooks.sign(body, secret)) == 204
assert post(webhooks.sign(body, "whsec_forged")) == 400
server.shutdown()

from django.conf import settings
settings.configure()
from django.test import RequestFactory
signed = RequestFactory().post("/hook", body, content_type="application/json",
                               headers={"X-Pulse-Signature": webhooks.sign(body, secret)})
assert pulse_hook(signed).status_code == 204
forged = RequestFactory().post("/hook", body, content_type="application/json",
                               headers={"X-Pulse-Signature": webhooks.sign(body, "whsec_forged")})
assert pulse_hook(forged).status_code == 400
print("README OK")
"""


def readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (SDK_DIR / "README.md").read_text(), re.S)


def test_the_readme_examples_run_as_written(pulse, sdk_site, tmp_path):
    """Every ```python block, in order and in one namespace, against a live server: the
    placeholders `emp_01HR3…` and `emp_01HR4…` become two real employees; then both webhook
    handlers are fed a delivery signed by the SDK and a forged one."""
    blocks = readme_blocks()
    assert len(blocks) >= 8
    author, colleague = new_employee(pulse), new_employee(pulse)
    script = "\n\n".join(blocks).replace("emp_01HR3…", author.id).replace("emp_01HR4…", colleague.id)
    assert "…" not in script.replace("# ", "").split("\n", 1)[0]
    (tmp_path / "readme.py").write_text(script + "\n" + DRIVE_THE_HANDLERS)
    env = {
        "PATH": "/usr/bin:/bin",
        "PULSE_API_KEY": sdk_site.key,
        "PULSE_API_BASE": sdk_site.base_url,
        "PULSE_WEBHOOK_SECRET": "whsec_" + "c2VjcmV0" * 4,
    }
    result = subprocess.run(
        [sys.executable, "readme.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "README OK" in result.stdout
    assert "['end_date']" in result.stdout  # the error example caught the class the API answers with


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy is in the dev extras: `make install`")
    path = tmp_path / "integrator.py"
    path.write_text(source)
    argv = [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def pyright(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    """pyright from tests/sdk/pyright's lockfile (`npm ci`, once, under a lock), against this
    interpreter's packages."""
    if shutil.which("npm") is None:
        pytest.skip("node and npm are needed for pyright (`make node`)")
    with open(Path(tempfile.gettempdir()) / "pulsehr-pyright.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PYRIGHT_DIR / "node_modules" / ".bin" / "pyright").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PYRIGHT_DIR, check=True, capture_output=True)
    path = tmp_path / "integrator.py"
    path.write_text(source)
    argv = [str(PYRIGHT_DIR / "node_modules" / ".bin" / "pyright"), "--pythonpath", sys.executable, str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def reported(output: str, checker: str) -> dict[int, str]:
    """Error text by line of integrator.py, from mypy's or pyright's output."""
    pattern = (
        r"integrator\.py:(\d+):\d*:? ?error: (.*)" if checker == "mypy" else r"integrator\.py:(\d+):\d+ - error: (.*)"
    )
    found: dict[int, str] = {}
    for line, text in re.findall(pattern, output):
        found[int(line)] = found.get(int(line), "") + text
    return found


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_type_checkers_accept_correct_use(checker, tmp_path):
    result = (mypy if checker == "mypy" else pyright)(tmp_path, CORRECT_USE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_type_checkers_refuse_misspelt_and_wrong_parameters(checker, tmp_path):
    result = (mypy if checker == "mypy" else pyright)(tmp_path, MISUSE)
    found = reported(result.stdout, checker)
    assert sorted(found) == sorted(MISTAKES), result.stdout
    for line, words in MISTAKES.items():
        assert all(word in found[line] for word in words), (line, found[line])


def test_mypy_finds_nothing_in_the_sdk_itself():
    pytest.importorskip("mypy", reason="mypy is in the dev extras: `make install`")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "-p", "pulsehr_sdk"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
