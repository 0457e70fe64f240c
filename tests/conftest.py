import os
import secrets
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from pulsehr.api import ratelimit
from pulsehr.api.counting import forget_local_counts
from pulsehr.health import forget_readiness
from pulsehr.tenancy.selectors import forget_cached_keys
from pulsehr.tenancy.services import api_key_create

from .factories import EmployeeFactory, WorkspaceFactory

# The suite runs as production does (DEBUG off) and needs no configuration: one generated key,
# put in the environment as well, so every server process a test starts from os.environ signs
# and verifies with the key the test process uses (a process spawned with an environment of
# its own passes SECRET_KEY explicitly).
if not os.environ.get("SECRET_KEY"):
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
django_settings.SECRET_KEY = os.environ["SECRET_KEY"]
# Every test calls from 127.0.0.1, and the counters outlive a test (one SQLite file or Redis
# database for the whole run): a per-address limit would pool unrelated tests' 401s and 404s.
# The tests of that limit (tests/api/test_unauthenticated_limits.py) turn it on, each for an
# address of its own.
os.environ.setdefault("PULSEHR_UNAUTHENTICATED_RATE_LIMIT", "0")
django_settings.PULSEHR_UNAUTHENTICATED_RATE_LIMIT = int(os.environ["PULSEHR_UNAUTHENTICATED_RATE_LIMIT"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before it drops the test database: the in-process realtime
    application's threads, which keep their database connections as in production, close them
    (else "being accessed by other users" and the database is left behind)."""
    yield
    asgi = sys.modules.get("pulsehr.asgi")
    if asgi is not None:
        with django_db_blocker.unblock():
            asgi.websocket_application.close_connections()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limit_store():
    ratelimit.reset_counter()
    yield
    ratelimit.reset_counter()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    yield
    forget_cached_keys()
    forget_local_counts()
    forget_readiness()


class Api:
    """An HTTP client holding one real API key: every API test goes through it."""

    def __init__(self, workspace, environment="live", scopes="read:*,write:*", employee=None):
        """`employee`: the employee the key acts as, or None for a key that acts as nobody."""
        self.workspace = workspace
        self.environment = environment
        self.key, self.secret = api_key_create(
            workspace=workspace,
            environment=environment,
            scopes=scopes,
            employee_id=employee.pk if employee is not None else None,
        )
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.secret}")

    def _call(self, method, path, data=None, headers=None, **kwargs):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if data is not None and method in ("post", "patch", "put", "delete"):
            kwargs.setdefault("format", "json")
        return getattr(self.client, method)(path, data, **kwargs, **extra)

    def get(self, path, params=None, **kw):
        return self._call("get", path, params, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)

    def delete(self, path, data=None, **kw):
        return self._call("delete", path, data, **kw)


@pytest.fixture
def workspace(db):
    return WorkspaceFactory()


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory()


@pytest.fixture
def api(workspace):
    return Api(workspace)


@pytest.fixture
def make_api(db):
    return Api


@pytest.fixture
def outsiders(make_api, workspace, other_workspace):
    """Keys that must see nothing of `workspace`'s live data: isolation tests try each."""
    return {
        "another workspace (live)": make_api(other_workspace, "live"),
        "another workspace (test)": make_api(other_workspace, "test"),
        "the other environment": make_api(workspace, "test"),
    }


@pytest.fixture
def employee(workspace):
    return EmployeeFactory(workspace=workspace, environment="live")


@pytest.fixture
def make_employee(workspace):
    def make(**kwargs):
        kwargs.setdefault("workspace", workspace)
        return EmployeeFactory(**kwargs)

    return make
