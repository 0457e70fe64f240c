"""Request bodies on /v1 are capped at PULSEHR_MAX_BODY_BYTES (1 MiB by default): a bigger one
is 413 payload_too_large before it is parsed, and an unauthenticated one is 401 before any of
it is read. Chunked bodies, which the test client cannot send, are in tests/live/test_body_limit.py."""

import io
import json

import pytest

from employees.models import Employee

from .test_envelope import assert_envelope

pytestmark = pytest.mark.django_db

NEW = {"full_name": "Ada Lovelace", "start_date": "2024-01-02"}


def body_of_size(size: int, **fields) -> bytes:
    """A valid employee, padded with JSON whitespace to exactly `size` bytes."""
    body = json.dumps({**NEW, **fields}).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body))


class SpyStream(io.BytesIO):
    """The server's input stream, noting how much of it the application read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def post_raw(client, body: bytes, **extra):
    return client.post("/v1/employees", body, content_type="application/json", **extra)


def test_the_default_limit_is_one_mebibyte(api):
    assert post_raw(api.client, body_of_size(1024 * 1024)).status_code == 201
    response = post_raw(api.client, body_of_size(1024 * 1024 + 1))
    error = assert_envelope(response, 413, "payload_too_large")
    assert "1048576 bytes" in error["message"]
    assert Employee.objects.count() == 1


def test_a_body_over_the_limit_is_refused_by_its_content_length_without_being_read(api, settings):
    settings.PULSEHR_MAX_BODY_BYTES = 2048
    stream = SpyStream(body_of_size(2049))
    response = post_raw(api.client, b"", CONTENT_LENGTH="2049", **{"wsgi.input": stream})
    assert_envelope(response, 413, "payload_too_large")
    assert stream.bytes_read == 0
    assert not Employee.objects.exists()


def test_a_body_at_the_limit_is_accepted(api, settings):
    settings.PULSEHR_MAX_BODY_BYTES = 2048
    response = post_raw(api.client, body_of_size(2048))
    assert response.status_code == 201, response.content
    assert Employee.objects.get().full_name == "Ada Lovelace"


def test_the_limit_applies_to_every_method_with_a_body(api, settings, employee):
    settings.PULSEHR_MAX_BODY_BYTES = 2048
    response = api.client.patch(
        f"/v1/employees/{employee.pk}", body_of_size(4096, role="x"), content_type="application/json"
    )
    assert_envelope(response, 413, "payload_too_large")
    employee.refresh_from_db()
    assert employee.role != "x"


def test_an_unauthenticated_request_is_refused_before_its_body_is_read(api, settings, client):
    settings.PULSEHR_MAX_BODY_BYTES = 2048
    for size in (100, 4096):  # within the limit and over it: a 401 either way, nothing read
        stream = SpyStream(body_of_size(size))
        response = post_raw(client, b"", CONTENT_LENGTH=str(size), **{"wsgi.input": stream})
        assert_envelope(response, 401, "unauthenticated")
        assert stream.bytes_read == 0
    bad_key = {"HTTP_AUTHORIZATION": "Bearer pk_live_unknown"}
    stream = SpyStream(body_of_size(4096))
    response = post_raw(client, b"", CONTENT_LENGTH="4096", **{"wsgi.input": stream}, **bad_key)
    assert_envelope(response, 401, "unauthenticated")
    assert stream.bytes_read == 0


def test_a_key_without_the_scope_is_refused_before_its_body_is_read(make_api, workspace, settings):
    reader = make_api(workspace, scopes="read:employees")
    stream = SpyStream(body_of_size(100))
    response = post_raw(reader.client, b"", CONTENT_LENGTH="100", **{"wsgi.input": stream})
    assert_envelope(response, 403, "permission_denied")
    assert stream.bytes_read == 0


def test_an_idempotent_post_over_the_limit_is_refused_and_claims_nothing(api, settings):
    settings.PULSEHR_MAX_BODY_BYTES = 2048
    headers = {"HTTP_IDEMPOTENCY_KEY": "big-1"}
    assert_envelope(post_raw(api.client, body_of_size(4096), **headers), 413, "payload_too_large")
    response = post_raw(api.client, body_of_size(2048), **headers)  # the key is still free
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


def test_payload_too_large_is_in_the_error_schema(api):
    schema = api.client.get("/v1/openapi.json").json()
    assert "payload_too_large" in schema["components"]["schemas"]["ErrorCode"]["enum"]
    assert "413" in schema["paths"]["/v1/employees"]["post"]["responses"]
