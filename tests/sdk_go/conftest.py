"""The Go SDK (sdk/go) against real PulseHR servers, driven from pytest.

The live suite's machinery is reused as it is: a database of the session's own, a gunicorn
process, keys minted with `create_api_key`, and the conformance fault server in front of it.
`go` comes from the system (Debian's golang-go, Go >= 1.19; `make go` installs it where apt-get
is available); where it is missing these tests skip, saying how to get it. The SDK has no
module dependencies, so nothing is downloaded (GOPROXY=off)."""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conformance.fault_server import FaultServer
from tests.live import conftest as live
from tests.live.conftest import WEBHOOK_ENV, _start_server, _stop_servers, _wait_until_ready

BASE_DIR = Path(__file__).resolve().parents[2]
GO_DIR = BASE_DIR / "sdk" / "go"
GO_MISSING = (
    "go is not installed: the Go SDK's tests need Go >= 1.19 "
    "(`make go` installs Debian's golang-go where apt-get is available)."
)

# The live suite's fixture, made available to this folder.
live_site = live.live_site


def require_go() -> None:
    if shutil.which("go") is None or shutil.which("gofmt") is None:
        pytest.skip(GO_MISSING)
    version = subprocess.run(["go", "version"], capture_output=True, text=True, check=True).stdout
    major, minor = map(int, re.search(r"go(\d+)\.(\d+)", version).groups())
    if (major, minor) < (1, 19):
        pytest.skip(f"{version.strip()}: {GO_MISSING}")


def go_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment less any PULSE_* of the developer's, offline, with a build cache
    of the session's own when HOME has none (CI runs as root, which has one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
    env.update({"GOPROXY": "off", "GOFLAGS": "-mod=mod", "GO111MODULE": "on", "GOTOOLCHAIN": "local"})
    env.setdefault("GOCACHE", str(Path(tempfile.gettempdir()) / "pulsehr-go-build-cache"))
    env.setdefault("GOPATH", str(Path(tempfile.gettempdir()) / "pulsehr-go-path"))
    env.update(extra or {})
    return env


def run(argv: list[str], *, cwd: Path = GO_DIR, env: dict[str, str] | None = None, timeout: float = 600):
    """Run a command to the end; its CompletedProcess (stdout and stderr merged)."""
    return subprocess.run(
        argv, cwd=cwd, env=env or go_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout
    )


@dataclass
class GoSite:
    """The server and keys the Go tests get, as PULSE_TEST_* variables."""

    env: dict[str, str]
    base_url: str
    key: str


@pytest.fixture(scope="session")
def go_site(live_site):
    """A server without rate limits (webhook URLs on 127.0.0.1 allowed), a read/write and a
    read-only key of the session's workspace, and the fault server in front of the server."""
    require_go()
    server = _start_server(live_site, 0, "go-sdk", extra_env=WEBHOOK_ENV)
    try:
        with FaultServer(server.url) as fault:
            key = live_site.create_api_key()
            env = {
                "PULSE_TEST_BASE_URL": f"{server.url}/v1",
                "PULSE_TEST_KEY": key,
                "PULSE_TEST_READONLY_KEY": live_site.create_api_key(scopes="read:*"),
                "PULSE_TEST_FAULT_URL": fault.url,
                "PULSE_CONFORMANCE_DIR": str(BASE_DIR / "sdk" / "conformance"),
                "PULSE_TEST_REQUIRE_LIVE": "1",
            }
            _wait_until_ready(server)
            yield GoSite(env=env, base_url=f"{server.url}/v1", key=key)
    finally:
        _stop_servers([server])
