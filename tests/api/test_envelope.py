"""Every error, whatever raised it, leaves in one envelope with the request id."""

import re

import pytest
from django.test import Client
from django.test.utils import override_settings

from employees.api.views import EmployeeViewSet

pytestmark = pytest.mark.django_db

REQUEST_ID = re.compile(r"^req_[0-9A-HJKMNP-TV-Z]{26}$")


def assert_envelope(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert REQUEST_ID.match(error["request_id"])
    assert error["request_id"] == response["X-Request-Id"]
    return error


def test_every_response_carries_a_request_id(api):
    ok = api.get("/v1/employees")
    assert REQUEST_ID.match(ok["X-Request-Id"])
    assert api.get("/v1/employees")["X-Request-Id"] != ok["X-Request-Id"]
    assert REQUEST_ID.match(Client().get("/admin/login/")["X-Request-Id"])


def test_400_for_malformed_json(api):
    response = api.client.post("/v1/employees", data=b'{"full_name": ', content_type="application/json")
    assert_envelope(response, 400, "invalid_request")


def test_400_when_the_body_is_not_an_object(api):
    response = api.post("/v1/employees", ["not", "an", "object"])
    assert_envelope(response, 400, "invalid_request")


def test_400_lists_dotted_fields_for_nested_errors(api):
    response = api.post("/v1/employees", {"full_name": "A", "start_date": "2024-01-01", "custom_fields": "x"})
    assert assert_envelope(response, 400, "invalid_request")["fields"] == ["custom_fields"]


def test_401_without_a_key(db):
    response = Client().get("/v1/employees")
    assert_envelope(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_for_a_malformed_or_unknown_key(db):
    for header in ("Basic abc", "Bearer nope", "Bearer pk_live_doesnotexist", "pk_live_x"):
        assert_envelope(Client().get("/v1/employees", HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_403_for_a_missing_scope(make_api, workspace):
    reader = make_api(workspace, scopes="read:employees")
    error = assert_envelope(
        reader.post("/v1/employees", {"full_name": "A", "start_date": "2024-01-01"}), 403, "permission_denied"
    )
    assert "write:employees" in error["message"]


def test_404_for_unknown_urls_under_v1_even_without_a_key(db):
    assert_envelope(Client().get("/v1/does-not-exist"), 404, "not_found")
    assert_envelope(Client().get("/v1/employees/"), 404, "not_found")


def test_405_for_an_unsupported_method(api, employee):
    assert_envelope(api.client.put(f"/v1/employees/{employee.pk}", {}, format="json"), 405, "method_not_allowed")
    assert_envelope(api.client.post(f"/v1/employees/{employee.pk}", {}, format="json"), 405, "method_not_allowed")


def test_415_for_a_non_json_body(api):
    response = api.client.post("/v1/employees", data="full_name=A", content_type="application/x-www-form-urlencoded")
    assert_envelope(response, 415, "unsupported_media_type")


def test_an_odd_accept_header_still_gets_json(api):
    response = api.client.get("/v1/employees", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@override_settings(DEBUG=False)
def test_500_is_an_envelope_without_a_stack_trace(api, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(EmployeeViewSet, "list", explode)
    response = api.get("/v1/employees")
    error = assert_envelope(response, 500, "internal_error")
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["request_id"] in error["message"]


def test_nul_characters_are_400_not_a_database_error(api, employee):
    assert_envelope(api.get("/v1/employees", {"department": "a\x00b"}), 400, "invalid_request")
    assert_envelope(api.get("/v1/employees/emp_\x00"), 400, "invalid_request")
    response = api.post("/v1/employees", {"full_name": "A", "start_date": "2024-01-01", "custom_fields": {"k": "\x00"}})
    assert assert_envelope(response, 400, "invalid_request")["fields"] == ["custom_fields"]
    response = api.patch(f"/v1/employees/{employee.pk}", {"role": "x\x00"})
    assert assert_envelope(response, 400, "invalid_request")["fields"] == ["role"]


def test_an_oversized_body_is_400(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/v1/employees", {"full_name": "A" * 2000, "start_date": "2024-01-01"})
    assert_envelope(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "method, path, data, field, allowed",
    [
        (
            "post",
            "/v1/workload-checkins",
            {"level": "high", "week_start": "2026-03-02"},
            "level",
            "light, balanced, heavy, overloaded",
        ),
        (
            "post",
            "/v1/leave",
            {"kind": "holiday", "start_date": "2026-03-02"},
            "kind",
            "vacation, sick, personal, parental, unpaid",
        ),
        ("get", "/v1/employees", {"status": "gone"}, "status", "active, former"),
        ("get", "/v1/leave", {"status": "maybe"}, "status", "pending, approved, rejected, cancelled"),
    ],
)
def test_a_refused_choice_names_the_allowed_values_once(api, employee, method, path, data, field, allowed):
    """In a body or a query: '"high" is not one of light, balanced, heavy, overloaded.', and the
    field once in `fields`."""
    if method == "post":
        data = {"employee_id": employee.pk, **data}
    error = assert_envelope(getattr(api, method)(path, data), 400, "invalid_request")
    assert f'{field}: "{data[field]}" is not one of {allowed}.' in error["message"]
    assert error["fields"].count(field) == 1
