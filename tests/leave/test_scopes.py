"""The `leave` scope: read for lists, single leave and balances; write to log and cancel."""

import pytest

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db


def calls(employee, leave):
    body = {"employee_id": employee.pk, "kind": "vacation", "start_date": "2026-05-04"}
    return [
        ("read", "get", "/v1/leave", None),
        ("read", "get", f"/v1/leave/{leave.pk}", None),
        ("read", "get", f"/v1/leave/balance/{employee.pk}", None),
        ("write", "post", "/v1/leave", body),
        ("write", "delete", f"/v1/leave/{leave.pk}", None),
    ]


MATRIX = {
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:leave": {"read"},
    "write:leave": {"read", "write"},
    "read:employees": set(),
    "write:employees": set(),
    "read:leave,write:kudos": {"read"},
    "write:employees,read:kudos": set(),
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, employee, scopes, allowed):
    api = make_api(workspace, scopes=scopes)
    for action, method, path, body in calls(employee, LeaveFactory(employee=employee)):
        response = getattr(api, method)(path, body)
        if action in allowed:
            assert response.status_code in (200, 201), (scopes, method, path, response.content)
        else:
            assert response.status_code == 403, (scopes, method, path)
            assert response.json()["error"]["code"] == "permission_denied"
            assert "leave" in response.json()["error"]["message"]


def test_no_key_is_401(client, employee):
    for path in ("/v1/leave", f"/v1/leave/balance/{employee.pk}"):
        response = client.get(path)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
