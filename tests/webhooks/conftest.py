"""Fixtures for the webhook tests: endpoints made through the service, a real HTTP receiver
in a thread with programmable answers, and a recorder in place of the broker."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pulsehr.tenancy.context import SYSTEM, Tenant
from webhooks import services
from webhooks.models import Delivery
from webhooks.tasks import deliver, deliver_batch

# Short enough to keep the suite fast, long enough for a loaded CI machine to answer a 200.
TIMEOUT_SECONDS = 1.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    stall: float = 0.0  # after the headers and the first byte of the body


class Receiver:
    """An integrator's server on 127.0.0.1: records every request and answers each path as
    told (200 "ok" unless told otherwise)."""

    def __init__(self):
        self.answers: dict[str, Answer] = {}
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                answer = receiver.answers.get(self.path, Answer())
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    if answer.stall:
                        self.wfile.write(answer.body[:1])
                        self.wfile.flush()
                        time.sleep(answer.stall)
                        self.wfile.write(answer.body[1:])
                    else:
                        self.wfile.write(answer.body)
                except OSError:
                    pass  # the sender gave up waiting: that is what the test is about

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def answer(self, path: str, **kwargs) -> None:
        self.answers[path] = Answer(**kwargs)

    def received(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]


@pytest.fixture
def webhook_settings(settings):
    """Sends to the local receiver are allowed, with a short timeout and a two-step schedule."""
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = True
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (1.0, 1.0)
    return settings


@pytest.fixture
def receiver(webhook_settings):
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def queued(monkeypatch):
    """Records what would be published to the broker instead of publishing it, as (task name,
    *args): the broker is the live tests' concern. Every message goes out without Celery's
    retries, so a broker that is down costs the request nothing (the sweep makes up for it)."""
    calls = []

    def publisher(task):
        def apply_async(args=None, **options):
            assert options.get("retry") is False, "a message must be published with retry=False"
            calls.append((task.name, *args))

        return apply_async

    for task in (deliver, deliver_batch):
        monkeypatch.setattr(task, "apply_async", publisher(task))
    return calls


@pytest.fixture
def tenant(workspace):
    return Tenant(workspace, "live")


@pytest.fixture
def make_endpoint(webhook_settings, tenant):
    """An endpoint made through the service (http and private URLs allowed)."""

    def make(url="https://hooks.example.com/pulse", enabled_events=("*",), tenant=tenant, **kwargs):
        return services.endpoint_create(tenant=tenant, url=url, enabled_events=list(enabled_events), **kwargs)

    return make


@pytest.fixture
def make_delivery(tenant):
    """A due delivery of a fresh ping event to `endpoint`, made through the service."""

    def make(endpoint) -> Delivery:
        return services.endpoint_send_test(tenant=tenant, endpoint=endpoint, actor=SYSTEM)

    return make
