"""Fixtures for the collaboration API tests: people, a thread opened through the API, and a
client holding a room token minted through the API."""

import pytest
from rest_framework.test import APIClient

from ..conftest import Api


class TokenApi(Api):
    """Like Api, but authenticated with a room token (`Bearer rt_…`) instead of an API key."""

    def __init__(self, token: str):
        self.token = token
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def alice(make_employee):
    return make_employee(full_name="Alice Author")


@pytest.fixture
def bob(make_employee):
    return make_employee(full_name="Bob Builder")


@pytest.fixture
def open_thread(api, alice):
    """POST /v1/rooms/{room}/threads with the key; returns the thread as the API answered it."""

    def open_(room="standup:2024-05-15", body="Who takes the release?", author=None, client=None, **extra):
        author_id = (author or alice).pk
        response = (client or api).post(
            f"/v1/rooms/{room}/threads", {"comment": {"body": body, "author_id": author_id}, **extra}
        )
        assert response.status_code == 201, response.json()
        return response.json()

    return open_


@pytest.fixture
def token_api(api):
    """A client holding a room token for `room` acting as `user`, minted through the API."""

    def make(room, user, **extra):
        response = api.post(f"/v1/rooms/{room}/tokens", {"user_id": user.pk, **extra})
        assert response.status_code == 201, response.json()
        return TokenApi(response.json()["token"])

    return make


@pytest.fixture
def broadcasts(monkeypatch):
    """What the room's sockets would be sent: (group, message) per broadcast, once the
    on-commit callbacks run."""
    sent = []
    monkeypatch.setattr("collab.realtime.broadcast", lambda group, message: sent.append((group, message)))
    return sent
