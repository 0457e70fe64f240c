"""The TypeScript SDK (sdk/typescript) against real PulseHR servers, driven from pytest.

The live suite's machinery is reused as it is: a database of the session's own, gunicorn
processes, keys minted with `create_api_key`, and the webhook stack (a Celery worker over the
same database). Node's packages come from the committed lockfile (`npm ci`, once per session);
the SDK and its tests are compiled by tsc, and the tests (sdk/typescript/test/*.test.ts) run with
Node's own test runner, one process per file, all at once, with the servers and keys in
PULSE_TEST_* variables. Where `node` is missing these tests skip, saying how to get it.

Every test here runs on one xdist worker (the group below): they share one node_modules, one
build and one set of servers."""

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conformance.fault_server import FaultServer
from tests.live import conftest as live
from tests.live.conftest import WEBHOOK_ENV, Server, _start_server, _stop_servers, _wait_until_ready

BASE_DIR = Path(__file__).resolve().parents[2]
SDK_DIR = BASE_DIR / "sdk" / "typescript"
NODE_MISSING = (
    "node is not installed: the TypeScript SDK's tests need Node.js >= 18 with npm "
    "(`make node` installs Debian's nodejs and npm where apt-get is available)."
)
# Requests per key per minute on the rate-limited server: a real 429 comes after this many.
TINY_RATE_LIMIT = 3

# The live suite's fixtures, made available to this folder.
live_site = live.live_site
webhook_stack = live.webhook_stack


def run(argv: list[str], *, cwd: Path = SDK_DIR, env: dict[str, str] | None = None, timeout: float = 300):
    """Run a command to the end; its CompletedProcess (stdout and stderr merged)."""
    return subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout
    )


def check(argv: list[str], **kwargs) -> str:
    result = run(argv, **kwargs)
    assert result.returncode == 0, f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}"
    return result.stdout


def require_node() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(NODE_MISSING)
    version = check(["node", "--version"]).strip()
    if int(version.lstrip("v").split(".")[0]) < 18:
        pytest.skip(f"node is {version}: {NODE_MISSING}")


@pytest.fixture(scope="session")
def node_sdk():
    """sdk/typescript with node_modules from the lockfile (`npm ci`), the SDK built into dist/ and
    its tests into build-test/. A lock keeps two sessions from installing into one folder at once."""
    require_node()
    digest = hashlib.sha256(str(SDK_DIR).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"pulsehr-sdk-typescript-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        check(["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"])
        check(["npm", "run", "build"])
        check(["npm", "run", "build:test"])
        yield SDK_DIR


@dataclass
class NodeSite:
    """The servers and keys the Node tests get, as PULSE_TEST_* variables."""

    env: dict[str, str]
    servers: list[Server] = field(default_factory=list)


@pytest.fixture(scope="session")
def node_site(request, live_site, tmp_path_factory):
    """A server without rate limits and one with a tiny one, keys of the session's workspace
    (read/write, read-only, and a fresh one for the tiny limit), the webhook stack's server and
    key, and the signature vectors. The servers boot while the keys are minted, the SDK is built
    and the webhook stack starts."""
    require_node()
    plain = _start_server(live_site, 0, "ts-sdk", extra_env=WEBHOOK_ENV)
    limited = _start_server(live_site, TINY_RATE_LIMIT, "ts-sdk-limited", extra_env=WEBHOOK_ENV)
    site = NodeSite(env={}, servers=[plain, limited])
    # The conformance scenarios' misbehaving server, in front of the plain one.
    fault = FaultServer(plain.url).__enter__()
    try:
        vectors = tmp_path_factory.mktemp("ts-sdk") / "webhook-vectors.json"
        vectors.write_text(signature_vectors())
        site.env = {
            "PULSE_TEST_BASE_URL": f"{plain.url}/v1",
            "PULSE_TEST_KEY": live_site.create_api_key(),
            "PULSE_TEST_READONLY_KEY": live_site.create_api_key(scopes="read:*"),
            "PULSE_TEST_LIMITED_BASE_URL": f"{limited.url}/v1",
            "PULSE_TEST_LIMITED_KEY": live_site.create_api_key(),
            "PULSE_TEST_LIMITED_LIMIT": str(TINY_RATE_LIMIT),
            "PULSE_TEST_WEBHOOK_VECTORS": str(vectors),
            "PULSE_CONFORMANCE_DIR": str(BASE_DIR / "sdk" / "conformance"),
            "PULSE_TEST_FAULT_URL": fault.url,
        }
        request.getfixturevalue("node_sdk")
        stack = request.getfixturevalue("webhook_stack")
        stack.ensure_default_worker()
        site.env["PULSE_TEST_WEBHOOK_BASE_URL"] = f"{stack.web.url}/v1"
        site.env["PULSE_TEST_WEBHOOK_KEY"] = stack.api.key
        _wait_until_ready(plain)
        _wait_until_ready(limited)
        yield site
    finally:
        fault.__exit__(None, None, None)
        _stop_servers(site.servers)


def node_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a Node process: this one's, less any PULSE_API_* of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULSE_API_", "PULSE_TEST_"))}
    env.update(extra or {})
    return env


@dataclass
class NodeRun:
    """One test file's `node --test` process, started with the others and waited for by its test."""

    name: str
    process: subprocess.Popen
    log_path: Path
    started: float
    seconds: float | None = None

    def wait(self, timeout: float) -> tuple[int, str]:
        try:
            code = self.process.wait(timeout=max(1.0, self.started + timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
            code = -9
        if self.seconds is None:
            self.seconds = time.monotonic() - self.started
        return code, self.log_path.read_text(errors="replace")


def node_test_files() -> list[str]:
    return sorted(path.name.removesuffix(".test.ts") for path in (SDK_DIR / "test").glob("*.test.ts"))


@pytest.fixture(scope="session")
def node_runs(node_sdk, node_site, tmp_path_factory):
    """Every test file's `node --test`, all started at once (the rate-limit file waits out up to a
    minute of Retry-After; the others run meanwhile)."""
    log_dir = tmp_path_factory.mktemp("node-test")
    runs: dict[str, NodeRun] = {}
    for name in node_test_files():
        log_path = log_dir / f"{name}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                ["node", "--test", "--test-reporter=spec", f"build-test/test/{name}.test.js"],
                cwd=SDK_DIR,
                env=node_env(node_site.env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        runs[name] = NodeRun(name=name, process=process, log_path=log_path, started=time.monotonic())
    try:
        yield runs
    finally:
        for node_run in runs.values():
            if node_run.process.poll() is None:
                os.killpg(node_run.process.pid, 9)
                node_run.process.wait()


def signature_vectors() -> str:
    """Webhook signatures made by the server's own signing code (webhooks/signing.py) for the Node
    tests to verify: valid ones under each scheme and during a rotation, and each
    way a delivery can fail."""
    import json
    import secrets as random

    from webhooks.signing import new_secret, pulse_signature, standard_signature

    event_id = "evt_01HR3TSVECTORS0000000000"
    body = json.dumps(
        {"id": event_id, "type": "kudos.awarded", "created_at": "2026-04-20T10:12:03Z", "data": {"id": "kud_1"}}
    )
    raw = body.encode()
    now = int(time.time())
    secret, old, other = new_secret(), new_secret(), new_secret()
    message_id = "del_01HR3TSVECTORS00000000000"

    def pulse(at: int = now, secrets: list[str] | None = None, payload: bytes = raw) -> str:
        return pulse_signature(body=payload, timestamp=at, secrets=secrets or [secret])

    def standard(at: int = now, secrets: list[str] | None = None, payload: bytes = raw) -> dict[str, str]:
        signature = standard_signature(message_id=message_id, body=payload, timestamp=at, secrets=secrets or [secret])
        return {"webhook-id": message_id, "webhook-timestamp": str(at), "webhook-signature": signature}

    tampered = body.replace("kud_1", "kud_2")
    cases = [
        ("pulse header", body, {"X-Pulse-Signature": pulse()}, secret, "ok"),
        ("pulse header, lower case", body, {"x-pulse-signature": pulse()}, secret, "ok"),
        ("pulse value alone", body, pulse(), secret, "ok"),
        ("standard headers", body, standard(), secret, "ok"),
        ("both schemes", body, {"X-Pulse-Signature": pulse(), **standard()}, secret, "ok"),
        ("pulse, rotation, old secret", body, {"X-Pulse-Signature": pulse(secrets=[old, secret])}, old, "ok"),
        ("pulse, rotation, new secret", body, {"X-Pulse-Signature": pulse(secrets=[old, secret])}, secret, "ok"),
        ("standard, rotation, old secret", body, standard(secrets=[old, secret]), old, "ok"),
        ("standard, rotation, new secret", body, standard(secrets=[old, secret]), secret, "ok"),
        ("pulse, tampered body", tampered, {"X-Pulse-Signature": pulse()}, secret, "No v1 signature matches"),
        ("standard, tampered body", tampered, standard(), secret, "No v1 signature matches"),
        ("pulse, wrong secret", body, {"X-Pulse-Signature": pulse()}, other, "No v1 signature matches"),
        ("standard, wrong secret", body, standard(), other, "No v1 signature matches"),
        ("pulse, rotation, a third secret", body, pulse(secrets=[old, secret]), other, "No v1 signature matches"),
        ("pulse, old timestamp", body, pulse(at=now - 301), secret, "more than 300 s from now"),
        ("pulse, future timestamp", body, pulse(at=now + 301), secret, "more than 300 s from now"),
        ("standard, old timestamp", body, standard(at=now - 301), secret, "more than 300 s from now"),
        ("standard, future timestamp", body, standard(at=now + 301), secret, "more than 300 s from now"),
        ("pulse, no v1", body, pulse().split(",")[0], secret, "no v1 signature"),
        ("pulse, no timestamp", body, ",".join(pulse().split(",")[1:]), secret, "no valid timestamp"),
        ("standard, no webhook-id", body, {**standard(), "webhook-id": ""}, secret, "No webhook-id header"),
        ("no signature headers", body, {"Content-Type": "application/json"}, secret, "No X-Pulse-Signature header"),
        ("no headers", body, None, secret, "No X-Pulse-Signature header"),
        ("not a JSON object", "[1]", pulse(payload=b"[1]"), secret, "not a JSON object"),
        ("not JSON", "nope", standard(payload=b"nope"), secret, "not JSON"),
    ]
    verify = [{"name": n, "body": b, "headers": h, "secret": s, "expect": e} for n, b, h, s, e in cases]
    hour_old = {"body": body, "secret": secret, "headers": pulse(at=now - 3600)}
    verify += [
        {**hour_old, "name": "an hour old", "expect": "more than 300 s"},
        {**hour_old, "name": "an hour old, 2 h tolerance", "expect": "ok", "tolerance_seconds": 7200},
        {**hour_old, "name": "an hour old, no tolerance", "expect": "ok", "tolerance_seconds": None},
    ]
    sign = [{"body": body, "secret": secret, "timestamp": now, "header": pulse()}]
    sign.append({"body": "ünïcode ✓", "secret": f"whsec_{random.token_hex(8)}", "timestamp": 1_700_000_000})
    sign[-1]["header"] = pulse_signature(
        body=sign[-1]["body"].encode(), timestamp=1_700_000_000, secrets=[sign[-1]["secret"]]
    )
    # `now` is when they were made: the Node test verifies as of then, however late it runs.
    return json.dumps({"event_id": event_id, "now": now, "verify": verify, "sign": sign})
