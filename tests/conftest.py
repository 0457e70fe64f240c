import pytest
from rest_framework.test import APIClient

from pulsehr.api import ratelimit
from pulsehr.api.counting import forget_local_counts
from pulsehr.tenancy.selectors import forget_cached_keys
from pulsehr.tenancy.services import api_key_create

from .factories import EmployeeFactory, WorkspaceFactory


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


class Api:
    """An HTTP client holding one real API key: every API test goes through it."""

    def __init__(self, workspace, environment="live", scopes="read:*,write:*"):
        self.workspace = workspace
        self.environment = environment
        self.key, self.secret = api_key_create(workspace=workspace, environment=environment, scopes=scopes)
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
